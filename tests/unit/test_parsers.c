/* test_parsers.c - the parsers that read what clients send: query strings,
 * globs, typed values, hyperlinks, cursors. */
#include "check.h"

#include "arena.h"
#include "cursor.h"
#include "glob.h"
#include "json_strict.h"
#include "link.h"
#include "query.h"
#include "values.h"

#include <regex.h>

static bool glob_matches(struct arena *a, const char *glob, const char *s)
{
	/* PostgreSQL's regex flavour agrees with POSIX ERE on what
	 * glob_to_regex emits */
	regex_t re;
	if (regcomp(&re, glob_to_regex(a, glob), REG_EXTENDED | REG_NOSUB))
		return false;
	bool m = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return m;
}

static void test_query(struct arena *a)
{
	struct query q;
	CHECK(query_parse(a,
	                  "name=SEIRS_model/parameters&root=file:///tmp/x/"
	                  "&a=1+2&b=%41%zz&empty=&flag",
	                  &q) == 0);
	CHECK(q.n == 6);
	CHECK_STR(query_get(&q, "name"), "SEIRS_model/parameters");
	CHECK_STR(query_get(&q, "root"), "file:///tmp/x/");
	CHECK_STR(query_get(&q, "a"), "1 2");
	CHECK_STR(query_get(&q, "b"), "A%zz");
	CHECK_STR(query_get(&q, "empty"), "");
	CHECK_STR(query_get(&q, "flag"), "");
	CHECK(query_get(&q, "missing") == NULL);
	CHECK(query_parse(a, "x=1&x=2", &q) == 0);
	CHECK_STR(query_get(&q, "x"), "2");
	CHECK(query_parse(a, "", &q) == 0 && q.n == 0);
	CHECK(query_parse(a, "&&&", &q) == 0 && q.n == 0);
	CHECK_STR(url_decode(a, "%", 1, false), "%");
	CHECK_STR(url_decode(a, "%4", 2, false), "%4");
	CHECK_STR(url_decode(a, "a+b", 3, false), "a+b");
}

static void test_glob(struct arena *a)
{
	/* ranges, reversed ranges (dropped, as Python's fnmatch does),
	 * runs of wildcards collapsed */
	CHECK(glob_matches(a, "[a-c]x", "bx"));
	CHECK(!glob_matches(a, "[a-c]x", "dx"));
	CHECK(!glob_matches(a, "[z-a]", "m"));
	CHECK(!glob_matches(a, "[z-a]", "z"));
	CHECK(glob_matches(a, "[!z-a]", "m"));
	CHECK(glob_matches(a, "[xz-a]", "x"));
	CHECK(!glob_matches(a, "[xz-a]", "z"));
	CHECK(glob_matches(a, "[a-]", "-"));
	CHECK(glob_matches(a, "[]]", "]"));
	CHECK(glob_matches(a, "[!]]", "a"));
	CHECK_STR(glob_to_regex(a, "a***b"), "^a.*b$");
	CHECK_STR(glob_to_regex(a, "a*?*?b"), "^a...*b$");
	CHECK_STR(glob_to_regex(a, "[z-a]"), "^(?!)$");
	CHECK_STR(glob_to_regex(a, "[!z-a]"), "^.$");
	CHECK(glob_parts("a***b") == 1);
	CHECK(glob_parts("*a?b[c]d[e") == 3);
	CHECK(glob_parts("x") == 0);
	CHECK(glob_matches(a, "SEIRS*", "SEIRS_model/parameters"));
	CHECK(glob_matches(a, "*/parameters", "SEIRS_model/parameters"));
	CHECK(!glob_matches(a, "SEIRS", "SEIRS_model"));
	CHECK(glob_matches(a, "a?c", "abc"));
	CHECK(!glob_matches(a, "a?c", "abbc"));
	CHECK(glob_matches(a, "[ab]x", "bx"));
	CHECK(!glob_matches(a, "[!ab]x", "bx"));
	CHECK(glob_matches(a, "[!ab]x", "cx"));
	CHECK(glob_matches(a, "a.b", "a.b"));
	CHECK(!glob_matches(a, "a.b", "axb"));
	CHECK(glob_matches(a, "x[", "x["));
	CHECK(glob_matches(a, "(a)+$", "(a)+$"));
	CHECK(!glob_matches(a, "abc", "ABC"));
	CHECK_STR(glob_to_regex(a, "a*"), "^a.*$");

	char *lo, *hi;
	CHECK(glob_prefix_range(a, "model/run-0001*/output-*", &lo, &hi));
	CHECK_STR(lo, "model/run-0001");
	CHECK_STR(hi, "model/run-0002");
	CHECK(glob_prefix_range(a, "abc", &lo, &hi));
	CHECK_STR(lo, "abc");
	CHECK_STR(hi, "abd");
	CHECK(glob_prefix_range(a, "ab[c]", &lo, &hi));
	CHECK_STR(hi, "ac");
	CHECK(glob_prefix_range(a, "a?", &lo, &hi));
	CHECK_STR(hi, "b");
	CHECK(!glob_prefix_range(a, "*x", &lo, &hi));
	CHECK(!glob_prefix_range(a, "", &lo, &hi));
	/* code points, not bytes, are raised; the highest is dropped */
	CHECK(glob_prefix_range(a, "\xc3\xa9*", &lo, &hi));
	CHECK_STR(hi, "\xc3\xaa");
	CHECK(glob_prefix_range(a, "\xed\x9f\xbf", &lo, &hi));
	CHECK_STR(hi, "\xee\x80\x80");
	CHECK(glob_prefix_range(a, "a\xf4\x8f\xbf\xbf*", &lo, &hi));
	CHECK_STR(hi, "b");
	CHECK(!glob_prefix_range(a, "\xf4\x8f\xbf\xbf", &lo, &hi));
	CHECK(!glob_prefix_range(a, "a\xff", &lo, &hi));
}

static void test_values(struct arena *a)
{
	CHECK(parse_bool("True") == 1 && parse_bool("1") == 1);
	CHECK(parse_bool("false") == 0 && parse_bool("0") == 0);
	CHECK(parse_bool("maybe") == -1 && parse_bool("") == -1);
	CHECK(is_semver("1.0.0") && is_semver("0.1.2-alpha.1+build.5"));
	CHECK(!is_semver("1.x") && !is_semver("01.0.0") && !is_semver("1.0") &&
	      !is_semver("1.0.0-") && !is_semver("1.0.0-01"));
	CHECK(is_url("https://github.com/FAIRDataPipeline/x") &&
	      is_url("http://localhost:8000/api/") &&
	      is_url("ftp://192.168.0.1/x") && is_url("https://[::1]:80/"));
	CHECK(!is_url("file:///tmp/") && !is_url("not a url") &&
	      !is_url("https://") && !is_url("http://nodot/"));
	CHECK_STR(parse_uuid(a, "175972F7B4044122A571C86BD4656B38"),
	          "175972f7-b404-4122-a571-c86bd4656b38");
	CHECK(parse_uuid(a, "175972f7-b404-4122") == NULL);
	CHECK(parse_datetime(a, "2024-02-09T15:35:42.655339Z") != NULL);
	CHECK(parse_datetime(a, "2024-02-09 15:35") != NULL);
	CHECK(parse_datetime(a, "2024-02-09T15:35:42+01:00") != NULL);
	CHECK(parse_datetime(a, "2024-13-09T15:35:42Z") == NULL);
	CHECK(parse_datetime(a, "yesterday") == NULL);
	CHECK(is_name("SEIRS_model/parameters") && !is_name("a*b") &&
	      !is_name("a[b") && !is_name("a?"));
}

static void test_links(void)
{
	long long id = 0;
	CHECK(link_parse("http://any.host/api/object/3/", "", "object", &id) ==
	          LINK_OK &&
	      id == 3);
	CHECK(link_parse("/api/object/12/", "", "object", &id) == LINK_OK &&
	      id == 12);
	CHECK(link_parse("/api/object/12", "", "object", &id) == LINK_NO_MATCH);
	CHECK(link_parse("http://h/api/object/3/?format=json", "", "object",
	                 &id) == LINK_OK);
	CHECK(link_parse("http://h/api/author/3/", "", "object", &id) ==
	      LINK_WRONG_MATCH);
	CHECK(link_parse("http://h/other/3/", "", "object", &id) ==
	      LINK_NO_MATCH);
	CHECK(link_parse("nonsense", "", "object", &id) == LINK_NO_MATCH);
	CHECK(link_parse("/api/object/x/", "", "object", &id) ==
	      LINK_NO_OBJECT);
	CHECK(link_parse("/api/object/99999999999999999999999/", "", "object",
	                 &id) == LINK_NO_OBJECT);
	CHECK(link_parse("http://h/fair/api/object/4/", "/fair", "object",
	                 &id) == LINK_OK &&
	      id == 4);
	CHECK(link_parse("/api/object/5/", "/fair", "object", &id) == LINK_OK &&
	      id == 5);
	CHECK(link_parse("http://h/fairy/api/object/4/", "/fair", "object",
	                 &id) == LINK_NO_MATCH);
	CHECK(link_parse("/api/object/3/extra/", "", "object", &id) ==
	      LINK_NO_MATCH);
}

static void test_cursor(struct arena *a)
{
	struct cursor c = {.backward = true,
	                   .ordering = "-name,-id",
	                   .nvals = 2,
	                   .vals = {NULL, "42"}};
	char *s = cursor_encode(a, &c);
	struct cursor d;
	CHECK(cursor_decode(a, s, &d));
	CHECK(d.backward && d.nvals == 2 && d.vals[0] == NULL);
	CHECK_STR(d.vals[1], "42");
	CHECK_STR(d.ordering, "-name,-id");
	CHECK(!cursor_decode(a, "", &d));
	CHECK(!cursor_decode(a, "!!!!", &d));
	CHECK(!cursor_decode(
	    a, b64url_encode(a, (const unsigned char *)"[1]", 3), &d));
	CHECK(!cursor_decode(
	    a,
	    b64url_encode(a, (const unsigned char *)"[\"n\",\"-id\",[null]]",
	                  19),
	    &d));
	size_t n;
	unsigned char *raw = b64url_decode(a, "aGVsbG8", &n);
	CHECK(raw && n == 5 && !memcmp(raw, "hello", 5));
}

static bool strict_ok(struct arena *a, const char *s)
{
	return json_strict_check(a, s, strlen(s)) == NULL;
}

static void test_json_strict(struct arena *a)
{
	CHECK(strict_ok(a, "{}"));
	CHECK(strict_ok(a, " [1, -0.5e+3, 1E2, true, false, null, \"\"] "));
	CHECK(strict_ok(a, "\"\\ud83d\\ude00 caf\xc3\xa9\""));
	CHECK(strict_ok(a, "0"));
	CHECK(!strict_ok(a, ""));
	CHECK(!strict_ok(a, "[1,]"));
	CHECK(!strict_ok(a, "{\"a\":1,}"));
	CHECK(!strict_ok(a, "[1]/**/"));
	CHECK(!strict_ok(a, "['a']"));
	CHECK(!strict_ok(a, "[NaN]"));
	CHECK(!strict_ok(a, "[-Infinity]"));
	CHECK(!strict_ok(a, "[01]"));
	CHECK(!strict_ok(a, "[1.]"));
	CHECK(!strict_ok(a, "[\"\x01\"]"));
	CHECK(!strict_ok(a, "[\"\xc0\xaf\"]"));
	CHECK(!strict_ok(a, "[\"\xed\xa0\x80\"]"));
	CHECK(!strict_ok(a, "[\"\\ud800\"]"));
	CHECK(!strict_ok(a, "[\"\\udc00\"]"));
	CHECK(!strict_ok(a, "[] []"));
	char deep[200];
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	deep[128] = 0;
	CHECK(strict_ok(a, deep));
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	deep[130] = 0;
	CHECK(!strict_ok(a, deep));
	CHECK_STR(json_strict_check(a, "{\"a\" 1}", 8),
	          "Expecting ':' delimiter: line 1 column 6 (char 5)");
	CHECK(utf8_text_ok("caf\xc3\xa9", 5));
	CHECK(!utf8_text_ok("a\0b", 3));
	CHECK(!utf8_text_ok("\xf4\x90\x80\x80", 4));
}

int main(void)
{
	struct arena a = {0};
	test_query(&a);
	test_glob(&a);
	test_values(&a);
	test_links();
	test_cursor(&a);
	test_json_strict(&a);
	arena_free(&a);
	return check_done("test_parsers");
}
