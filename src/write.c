/* write.c - create, update and delete, each one transaction covering every
 * row it touches (the record, its many-to-many rows, derived records such as
 * an object's whole_object component). The database's constraints decide
 * what is allowed; this file turns their names into the reference's
 * errors. */
#include "handlers.h"
#include "link.h"
#include "sql.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

/* The field a foreign-key constraint belongs to: "<table>_<field>_id_fkey"
 * on the resource's table, "<join>_<column>_fkey" on a join table. */
static const struct field *fk_field(struct arena *a, const struct resource *r,
                                    const char *constraint)
{
	for (const struct field *f = r->fields; f->name; f++) {
		const char *want = NULL;
		if (f->type == F_LINK)
			want =
			    arena_printf(a, "%s_%s_id_fkey", r->name, f->name);
		else if (f->type == F_LINKS && field_writable(f))
			want = arena_printf(a, "%s_%s_fkey", f->join,
			                    f->join_other);
		if (want && !strcmp(want, constraint))
			return f;
	}
	return NULL;
}

/* "storage_root" -> "storage root", as Django's verbose names read */
static char *words(struct arena *a, const char *name)
{
	char *s = arena_strdup(a, name);
	for (char *p = s; *p; p++)
		if (*p == '_')
			*p = ' ';
	return s;
}

/* PostgreSQL cuts identifiers to 63 bytes */
static bool same_name(const char *pg, const char *ours)
{
	return !strncmp(pg, ours, 63);
}

/* 409 {"detail": "Field x must be unique"} on create; on update the
 * serializer-style 400 the reference gives. */
static void unique_error(struct request *rq, const struct resource *r,
                         const char *constraint, bool update)
{
	for (const struct field *f = r->fields; f->name; f++) {
		if (!f->unique ||
		    !same_name(constraint, arena_printf(rq->a, "%s_%s_key",
		                                        r->name, f->name)))
			continue;
		if (!update)
			resp_detail(rq, 409,
			            arena_printf(rq->a,
			                         "Field %s must be unique",
			                         f->name));
		else
			resp_field_error(
			    rq, f->name,
			    arena_printf(
			        rq->a, "%s with this %s already exists.",
			        words(rq->a, r->name), words(rq->a, f->name)));
		return;
	}
	for (int i = 0; i < 2 && r->unique_together[i]; i++) {
		char *fields = arena_strdup(rq->a, r->unique_together[i]);
		char *name = arena_printf(rq->a, "%s_%s_key", r->name, fields);
		for (char *p = name; *p; p++)
			if (*p == ',')
				*p = '_';
		if (!same_name(constraint, name))
			continue;
		if (!update) {
			resp_detail(rq, 409,
			            "Field non_field_errors must be unique");
		} else {
			struct buf b;
			buf_init(&b, rq->a);
			buf_puts(&b, "The fields ");
			for (char *p = fields; *p; p++)
				if (*p == ',')
					buf_puts(&b, ", ");
				else
					buf_putc(&b, *p);
			buf_puts(&b, " must make a unique set.");
			resp_field_error(rq, "non_field_errors", b.p);
		}
		return;
	}
	resp_detail(rq, 409, "Field non_field_errors must be unique");
}

/* Answers for a failed write statement; the transaction is rolled back. */
static void write_error(struct request *rq, const struct resource *r,
                        PGresult *res, bool update)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *cons = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
	const char *col = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
	if (!state || db_lost(rq->db) || !strcmp(state, "57014")) {
		resp_db_failure(rq);
		return;
	}
	/* 23P01: the long identifiers' uniqueness is an exclusion
	 * constraint (migrations/0005_long_values.sql) */
	if ((!strcmp(state, "23505") || !strcmp(state, "23P01")) && cons) {
		unique_error(rq, r, cons, update);
		return;
	}
	if (!strcmp(state, "23503") && cons) {
		const struct field *f = fk_field(rq->a, r, cons);
		if (f) {
			resp_field_error(
			    rq, f->name,
			    "Invalid hyperlink - Object does not exist.");
			return;
		}
		resp_detail(rq, 409,
		            "This record is referred to by others and cannot "
		            "be deleted.");
		return;
	}
	if (!strcmp(state, "23514") && cons) {
		for (int i = 0; i < 2 && r->checks[i].constraint; i++)
			if (!strcmp(cons, r->checks[i].constraint)) {
				resp_field_error(rq, r->checks[i].key,
				                 r->checks[i].message);
				return;
			}
		for (const struct field *f = r->fields; f->name; f++)
			if (!strcmp(cons, arena_printf(rq->a, "%s_%s_check",
			                               r->name, f->name))) {
				resp_field_error(rq, f->name, "Invalid value.");
				return;
			}
		resp_field_error(rq, "non_field_errors", "Invalid value.");
		return;
	}
	if (!strcmp(state, "23502") && col) {
		const struct field *f = field_find(r, col);
		if (!f) { /* a link's column is <field>_id */
			char *name = arena_strdup(rq->a, col);
			size_t n = strlen(name);
			if (n > 3 && !strcmp(name + n - 3, "_id"))
				name[n - 3] = 0;
			f = field_find(r, name);
		}
		resp_field_error(rq, f ? f->name : col,
		                 "This field may not be null.");
		return;
	}
	if (!strncmp(state, "22", 2)) { /* data exceptions */
		resp_field_error(rq, col ? col : "non_field_errors",
		                 "Invalid value.");
		return;
	}
	if (!strcmp(state, "40001") || !strcmp(state, "40P01")) {
		resp_detail(rq, 503, "Conflicting write, please retry.");
		return;
	}
	fprintf(stderr, "registry: write %s: %s", r->name,
	        PQresultErrorMessage(res));
	resp_detail(rq, 500, "Internal server error.");
}

/* Runs one statement of a transaction; on failure answers, rolls back and
 * returns NULL. */
static PGresult *step(struct request *rq, const struct resource *r,
                      const char *sql, struct params *p, bool update)
{
	PGresult *res = db_query(rq->db, sql, p->n, p->v);
	ExecStatusType st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	write_error(rq, r, res, update);
	PQclear(res);
	if (!db_lost(rq->db))
		db_cmd(rq->db, "ROLLBACK");
	return NULL;
}

/* Replaces the many-to-many rows of every given F_LINKS field. */
static bool write_links(struct request *rq, const struct resource *r,
                        const struct wval *v, const char *id, bool replace)
{
	int i = 0;
	for (const struct field *f = r->fields; f->name; f++, i++) {
		if (f->type != F_LINKS || !field_writable(f) || !v[i].given)
			continue;
		struct params p;
		params_init(&p, rq->a);
		params_add(&p, id);
		PGresult *res;
		if (replace) {
			char *del = arena_printf(
			    rq->a, "DELETE FROM \"%s\" WHERE \"%s\" = $1",
			    f->join, f->join_self);
			if (!(res = step(rq, r, del, &p, true)))
				return false;
			PQclear(res);
		}
		params_add(&p, v[i].text ? v[i].text : "{}");
		char *ins = arena_printf(
		    rq->a,
		    "INSERT INTO \"%s\" (\"%s\", \"%s\") SELECT DISTINCT "
		    "$1::bigint, unnest($2::bigint[])",
		    f->join, f->join_self, f->join_other);
		if (!(res = step(rq, r, ins, &p, replace)))
			return false;
		PQclear(res);
	}
	return true;
}

/* A derived column: (SELECT <column> FROM <target> WHERE id = $link). */
static void copy_expr(struct buf *b, struct request *rq,
                      const struct resource *r, const struct field *f,
                      const struct wval *v, struct params *p)
{
	const struct field *l = field_find(r, f->copy_link);
	(void)rq;
	buf_printf(b, "(SELECT \"%s\" FROM \"%s\" WHERE id = $%d::bigint)",
	           f->copy_column, l->target,
	           params_add(p, v[l - r->fields].text));
}

static void answer_record(struct request *rq, const struct resource *r,
                          long long id, int status)
{
	struct buf b;
	buf_init(&b, rq->a);
	if (!record_text(rq, r, id, &b))
		return;
	if (status == 201)
		req_header(rq, "Location", link_to(rq, r->name, id));
	resp_text(rq, status, "application/json", b.p, b.len);
}

/* COMMIT, keeping what the write answers (rq->committed) for the worker
 * should the connection be lost from here on. */
static bool commit(struct request *rq, const struct resource *r, long long id,
                   int status)
{
	bool ok = db_cmd(rq->db, "COMMIT");
	if (ok || rq->db->in_doubt)
		rq->committed = (struct committed_write){r, id, status, ok};
	if (!ok)
		resp_db_failure(rq);
	return ok;
}

void write_answer_committed(struct request *rq)
{
	if (rq->committed.status == 204)
		resp_text(rq, 204, "application/json", "", 0);
	else
		answer_record(rq, rq->committed.r, rq->committed.id,
		              rq->committed.status);
}

/* The record's row, its many-to-many rows and what follows an insert, in
 * the caller's transaction: the new id, or NULL with the answer set and the
 * transaction rolled back. */
static const char *insert_record(struct request *rq, const struct resource *r,
                                 const struct wval *v)
{
	const char *user = arena_printf(rq->a, "%lld", rq->user);
	struct buf cols, vals;
	struct params p;
	buf_init(&cols, rq->a);
	buf_init(&vals, rq->a);
	params_init(&p, rq->a);
	int i = 0;
	for (const struct field *f = r->fields; f->name; f++, i++) {
		if (!field_has_column(f))
			continue;
		if (f->aut == A_NONE && !f->copy_link && !v[i].given)
			continue;
		buf_puts(&cols, cols.len ? ", " : "");
		sql_column(&cols, f);
		buf_puts(&vals, vals.len ? ", " : "");
		if (f->aut == A_NOW)
			buf_puts(&vals, "now()");
		else if (f->aut == A_USER)
			buf_printf(&vals, "$%d::bigint", params_add(&p, user));
		else if (f->copy_link)
			copy_expr(&vals, rq, r, f, v, &p);
		else
			buf_printf(&vals, "$%d", params_add(&p, v[i].text));
	}
	char *sql = arena_printf(rq->a,
	                         "INSERT INTO \"%s\" (%s) VALUES (%s) "
	                         "RETURNING id",
	                         r->name, cols.p, vals.p);
	PGresult *res = step(rq, r, sql, &p, false);
	if (!res)
		return NULL;
	const char *id = arena_strdup(rq->a, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (!write_links(rq, r, v, id, false))
		return NULL;
	if (r->after_insert) {
		struct params ap;
		params_init(&ap, rq->a);
		params_add(&ap, id);
		params_add(&ap, user);
		if (!(res = step(rq, r, r->after_insert, &ap, false)))
			return NULL;
		PQclear(res);
	}
	return id;
}

void handle_create(struct request *rq, const struct resource *r)
{
	struct wval v[MAX_FIELDS];
	if (!validate_body(rq, r, W_CREATE, v))
		return;
	if (!db_cmd(rq->db, "BEGIN")) {
		resp_db_failure(rq);
		return;
	}
	const char *id = insert_record(rq, r, v);
	if (!id)
		return;
	if (!commit(rq, r, strtoll(id, NULL, 10), 201))
		return;
	answer_record(rq, r, strtoll(id, NULL, 10), 201);
}

long long write_create(struct request *rq, const struct resource *r)
{
	struct wval v[MAX_FIELDS];
	if (!validate_body(rq, r, W_CREATE, v))
		return 0;
	const char *id = insert_record(rq, r, v);
	return id ? strtoll(id, NULL, 10) : 0;
}

static bool exists(struct request *rq, const struct resource *r, long long id)
{
	const char *v = arena_printf(rq->a, "%lld", id);
	char *sql =
	    arena_printf(rq->a, "SELECT 1 FROM \"%s\" WHERE id = $1", r->name);
	PGresult *res = db_query(rq->db, sql, 1, &v);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		resp_db_failure(rq);
		return false;
	}
	int n = PQntuples(res);
	PQclear(res);
	if (!n)
		resp_detail(rq, 404,
		            arena_printf(rq->a,
		                         "No %s matches the given query.",
		                         r->model));
	return n > 0;
}

void handle_update(struct request *rq, const struct resource *r, long long id,
                   bool partial)
{
	if (!exists(rq, r, id))
		return;
	struct wval v[MAX_FIELDS];
	if (!validate_body(rq, r, partial ? W_PATCH : W_PUT, v))
		return;
	const char *ids = arena_printf(rq->a, "%lld", id);
	struct buf set;
	struct params p;
	buf_init(&set, rq->a);
	params_init(&p, rq->a);
	params_add(&p, ids);
	int i = 0;
	for (const struct field *f = r->fields; f->name; f++, i++) {
		if (!field_has_column(f))
			continue;
		if (f->copy_link) {
			const struct field *l = field_find(r, f->copy_link);
			if (!v[l - r->fields].given)
				continue;
		} else if (f->aut == A_USER) {
			continue; /* the reference keeps the creator */
		} else if (f->aut == A_NONE && !v[i].given) {
			continue;
		}
		buf_puts(&set, set.len ? ", " : "");
		sql_column(&set, f);
		buf_puts(&set, " = ");
		if (f->aut == A_NOW)
			buf_puts(&set, "now()");
		else if (f->copy_link)
			copy_expr(&set, rq, r, f, v, &p);
		else
			buf_printf(&set, "$%d", params_add(&p, v[i].text));
	}
	if (!db_cmd(rq->db, "BEGIN")) {
		resp_db_failure(rq);
		return;
	}
	PGresult *res;
	if (set.len) {
		char *sql = arena_printf(rq->a,
		                         "UPDATE \"%s\" SET %s WHERE id = "
		                         "$1::bigint",
		                         r->name, set.p);
		if (!(res = step(rq, r, sql, &p, true)))
			return;
		PQclear(res);
	}
	if (!write_links(rq, r, v, ids, true))
		return;
	if (!commit(rq, r, id, 200))
		return;
	answer_record(rq, r, id, 200);
}

void handle_delete(struct request *rq, const struct resource *r, long long id)
{
	if (!exists(rq, r, id))
		return;
	struct params p;
	params_init(&p, rq->a);
	params_add(&p, arena_printf(rq->a, "%lld", id));
	char *sql =
	    arena_printf(rq->a, "DELETE FROM \"%s\" WHERE id = $1", r->name);
	if (!db_cmd(rq->db, "BEGIN")) {
		resp_db_failure(rq);
		return;
	}
	PGresult *res = step(rq, r, sql, &p, true);
	if (!res)
		return;
	PQclear(res);
	if (!commit(rq, r, id, 204))
		return;
	/* the reference labels even this empty answer as JSON */
	resp_text(rq, 204, "application/json", "", 0);
}
