/* test_builders.c - what is built from the resource table: select lists,
 * and the table's own consistency (every link names a resource); and the
 * JSON strings records are written with, and the nested writer documents
 * built from the table use. */
#include "check.h"

#include "arena.h"
#include "json_text.h"
#include "json_writer.h"
#include "schema.h"
#include "sql.h"

#include <json-c/json.h>

static void test_select_list(struct arena *a)
{
	struct buf b;
	buf_init(&b, a);
	sql_select_list(&b, resource_find("storage_root", -1));
	CHECK_STR(b.p, "t.id, t.\"last_updated\", t.\"root\", t.\"local\", "
	               "t.\"updated_by_id\", (SELECT array_agg(x.id ORDER BY "
	               "x.id) FROM \"storage_location\" x WHERE "
	               "x.\"storage_root_id\" = t.id)");
	buf_init(&b, a);
	sql_select_list(&b, resource_find("code_run", -1));
	CHECK(strstr(b.p, "FROM \"code_run_inputs\" j WHERE "
	                  "j.\"code_run_id\" = t.id") != NULL);
	CHECK(strstr(b.p, "ro_crate") == NULL); /* computed, not selected */
}

static void test_table(void)
{
	CHECK(n_resources == 19);
	for (int i = 0; i < n_resources; i++) {
		const struct resource *r = &resources[i];
		CHECK(resource_find(r->name, -1) == r);
		for (const struct field *f = r->fields; f->name; f++) {
			if (f->type == F_LINK || f->type == F_LINKS ||
			    f->type == F_REVERSE)
				CHECK(f->target &&
				      resource_find(f->target, -1));
			if (f->type == F_LINKS)
				CHECK(f->join && f->join_self && f->join_other);
			CHECK(field_find(r, f->name) == f);
		}
	}
	CHECK(resource_find("nothing", -1) == NULL);
	CHECK(resource_find("object_component", 6) ==
	      resource_find("object", -1));
}

static void test_buf(struct arena *a)
{
	struct buf b;
	buf_init(&b, a);
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	CHECK(b.len == strlen(b.p));
	CHECK(!strncmp(b.p, "0,1,2,", 6));
	struct params p;
	params_init(&p, a);
	for (int i = 0; i < 100; i++)
		CHECK(params_add(&p, "x") == i + 1);
}

static const char *json(struct arena *a, const char *s, size_t n, bool ascii)
{
	struct buf b;
	buf_init(&b, a);
	json_string(&b, s, n, ascii);
	return b.p;
}

/* json-c's and Python's escapes: '/' kept, \u00XX lowercase, UTF-8 kept
 * unless ascii asks for \uXXXX and surrogate pairs. */
static void test_json_string(struct arena *a)
{
	CHECK_STR(json(a, "", 0, false), "\"\"");
	CHECK_STR(json(a, "http://x/api/a/1/", 17, false),
	          "\"http://x/api/a/1/\"");
	CHECK_STR(json(a, "a\"b\\c\nd\re\tf\bg\fh", 15, false),
	          "\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\"");
	CHECK_STR(json(a, "\x01\x1f\x7f", 3, false), "\"\\u0001\\u001f\x7f\"");
	CHECK_STR(json(a, "x\0y", 3, false), "\"x\\u0000y\"");
	CHECK_STR(json(a, "\xc3\xa9\xe2\x82\xac", 5, false),
	          "\"\xc3\xa9\xe2\x82\xac\"");
	/* a byte to escape at every place of a long string (the scan goes
	 * eight bytes a step) */
	for (int k = 0; k < 24; k++) {
		char in[25], want[32];
		memset(in, 'a', 24);
		in[24] = 0;
		in[k] = k % 2 ? '"' : '\n';
		snprintf(want, sizeof want, "\"%.*s\\%c%s\"", k, in,
		         k % 2 ? '"' : 'n', in + k + 1);
		CHECK_STR(json(a, in, 24, false), want);
	}
	CHECK_STR(json(a, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x7f", 10, true),
	          "\"\\u00e9\\u20ac\\ud83d\\ude00\\u007f\"");
}

/* The nested writer puts commas only between values, whatever mix of
 * keys, arrays, raw text and empty containers; the text parses back. */
static void test_json_writer(struct arena *a)
{
	struct buf b;
	buf_init(&b, a);
	struct jw w = {.b = &b};
	jw_open(&w, '{');
	jw_kstr(&w, "s", "a\"b");
	jw_key(&w, "n");
	jw_num(&w, -42);
	jw_key(&w, "empty");
	jw_open(&w, '[');
	jw_close(&w, ']');
	jw_key(&w, "list");
	jw_open(&w, '[');
	jw_str(&w, "x");
	jw_raw(&w, "{\"r\":true}");
	jw_open(&w, '{');
	jw_close(&w, '}');
	jw_num(&w, 1);
	jw_close(&w, ']');
	jw_kraw(&w, "null", "null");
	jw_close(&w, '}');
	CHECK_STR(b.p, "{\"s\":\"a\\\"b\",\"n\":-42,\"empty\":[],\"list\":"
	               "[\"x\",{\"r\":true},{},1],\"null\":null}");
	json_object *o = json_tokener_parse(b.p);
	CHECK(o != NULL);
	json_object_put(o);
}

int main(void)
{
	struct arena a = {0};
	test_select_list(&a);
	test_table();
	test_buf(&a);
	test_json_string(&a);
	test_json_writer(&a);
	arena_free(&a);
	return check_done("test_builders");
}
