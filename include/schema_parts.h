/* schema_parts.h - what the pieces of the resource table share: the fields
 * every resource carries, and each resource's fields, documentation and
 * extra SQL, defined by resource group in src/schema/ and gathered into
 * resources[] by src/schema.c. Only those files include this. */
#ifndef SCHEMA_PARTS_H
#define SCHEMA_PARTS_H

#include "schema.h"

#define LONG_TEXT 1048576

/* An object has no name of its own: the product or release it holds,
 * else its description, else its file's path. o is the row's alias. */
#define OBJECT_LABEL(o)                                                        \
	"coalesce((SELECT n.name || ':' || d.name || '@' || d.version "        \
	"FROM data_product d JOIN namespace n ON n.id = d.namespace_id "       \
	"WHERE d.object_id = " o ".id ORDER BY d.id LIMIT 1), "                \
	"(SELECT c.name || '@' || c.version FROM code_repo_release c "         \
	"WHERE c.object_id = " o ".id), nullif(" o ".description, ''), "       \
	"(SELECT l.path FROM storage_location l "                              \
	"WHERE l.id = " o ".storage_location_id), 'Object ' || " o ".id)"

/* A time as the website shows it. */
#define WEB_STAMP(col)                                                         \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"

/* Fields every resource carries; the server fills them on each write. */
#define LAST_UPDATED                                                           \
	{                                                                      \
		.name = "last_updated", .type = F_DATETIME, .aut = A_NOW,      \
		.read_only = true,                                             \
		.help = "When this record was last written (set by the "       \
		        "server).",                                            \
	}
#define UPDATED_BY                                                             \
	{                                                                      \
		.name = "updated_by", .type = F_LINK, .target = "users",       \
		.aut = A_USER, .read_only = true, .label = "Last updated by",  \
		.help = "The user whose token wrote this record last.",        \
	}

extern const struct field users_fields[];
extern const char users_doc[];
extern const struct field groups_fields[];
extern const char groups_doc[];
extern const struct field author_fields[];
extern const char author_doc[];
extern const struct field user_author_fields[];
extern const char user_author_doc[];
extern const struct field file_type_fields[];
extern const char file_type_doc[];
extern const struct field object_fields[];
extern const char object_doc[];
extern const char object_after_insert[];
extern const struct field object_component_fields[];
extern const char object_component_doc[];
extern const struct field storage_root_fields[];
extern const char storage_root_doc[];
extern const struct field storage_location_fields[];
extern const char storage_location_doc[];
extern const struct field namespace_fields[];
extern const char namespace_doc[];
extern const struct field data_product_fields[];
extern const char data_product_doc[];
extern const struct field external_object_fields[];
extern const char external_object_doc[];
extern const struct field code_repo_release_fields[];
extern const char code_repo_release_doc[];
extern const struct field code_run_fields[];
extern const char code_run_doc[];
extern const struct field issue_fields[];
extern const char issue_doc[];
extern const struct field quality_controlled_fields[];
extern const char quality_controlled_doc[];
extern const struct field keyword_fields[];
extern const char keyword_doc[];
extern const struct field licence_fields[];
extern const char licence_doc[];
extern const struct field key_value_fields[];
extern const char key_value_doc[];

#endif
