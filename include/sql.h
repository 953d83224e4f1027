/* sql.h - SQL text made from the resource table: select lists with the
 * many-to-many and reverse relations aggregated in the same statement. */
#ifndef SQL_H
#define SQL_H

#include "arena.h"
#include "schema.h"

#include <stdbool.h>

/* Text parameters of one statement, numbered $1.. in the order added. */
struct params {
	const char **v;
	int n, cap;
	struct arena *a;
};

void params_init(struct params *p, struct arena *a);
/* Adds a value and returns its number (for "$%d"). */
int params_add(struct params *p, const char *v);

/* Whether the field is stored in the resource's own table. */
bool field_has_column(const struct field *f);
/* Appends the field's column name: "name", or "object_id" for a link. */
void sql_column(struct buf *b, const struct field *f);

/* Appends "t.id, <one expression per field that has a value from the
 * database>", in field order (F_HREF has none). */
void sql_select_list(struct buf *b, const struct resource *r);

/* Does the field contribute a column to the select list? */
bool field_selected(const struct field *f);

#endif
