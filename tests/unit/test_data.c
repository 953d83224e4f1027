/* test_data.c - the data-access parsers and builders: how an alias splits
 * (checked against the reference's URL patterns run through Python's re),
 * how a root and a path join (Python's os.path.join), the upload URL's
 * signature (Python's hmac) and what counts as a SHA-1. */
#include "check.h"

#include "alias.h"
#include "arena.h"
#include "store.h"

static void split(struct arena *a, const char *s, bool first_any,
                  const char *first, const char *name, const char *version)
{
	struct alias al;
	bool ok = alias_split(a, s, first_any, &al);
	CHECK(ok == (first != NULL));
	if (!ok || !first)
		return;
	CHECK_STR(al.first, first);
	CHECK_STR(al.name, name);
	CHECK_STR(al.version, version);
}

static void test_split(struct arena *a)
{
	/* data_product: <str:namespace>:<path:name>@<str:version> */
	split(a, "ns:name@1.0.0", false, "ns", "name", "1.0.0");
	split(a, "my:ns:a/b:c@d@1.0.0", false, "my:ns", "a/b:c@d", "1.0.0");
	split(a, "a@b:c@1", false, "a@b", "c", "1");
	split(a, "ns:a:@1", false, "ns", "a:", "1");
	split(a, "ns::@1", false, "ns", ":", "1");
	split(a, "a:b:c:@1", false, "a:b", "c:", "1");
	split(a, "doi:10.1/x:my/title@1.0.0", false, "doi", "10.1/x:my/title",
	      "1.0.0");
	split(a, "x\n:ab@1", false, "x\n", "ab", "1");
	split(a, "ns:x", false, NULL, NULL, NULL);
	split(a, "ns:x@", false, NULL, NULL, NULL);
	split(a, "ns:@1", false, NULL, NULL, NULL);
	split(a, ":x@1", false, NULL, NULL, NULL);
	split(a, "ns:x@1/2", false, NULL, NULL, NULL);
	split(a, "a/b:c@1", false, NULL, NULL, NULL);
	split(a, "x:a\nb@1", false, NULL, NULL, NULL);
	split(a, "", false, NULL, NULL, NULL);
	split(a, "@", false, NULL, NULL, NULL);

	/* external_object: <path:alternate_identifier>:<path:title>@<str> */
	split(a, "my:ns:a/b:c@d@1.0.0", true, "my:ns:a/b", "c@d", "1.0.0");
	split(a, "doi:10.1/x:my/title@1.0.0", true, "doi:10.1/x", "my/title",
	      "1.0.0");
	split(a, "a/b:c@1", true, "a/b", "c", "1");
	split(a, "x\n:ab@1", true, NULL, NULL, NULL);
	split(a, "ns:x@1/2", true, NULL, NULL, NULL);
}

static void test_join(struct arena *a)
{
	CHECK_STR(alias_join(a, "file:///a/", "b"), "file:///a/b");
	CHECK_STR(alias_join(a, "https://x.org", "a b"), "https://x.org/a b");
	CHECK_STR(alias_join(a, "root", "/\\/x"), "/x");
	CHECK_STR(alias_join(a, "", "p"), "p");
	CHECK_STR(alias_join(a, "r/", ""), "r/");
	CHECK_STR(alias_join(a, "r", ""), "r/");
	CHECK_STR(alias_join(a, "r/", "//\\\\q"), "r/q");
}

static void test_store(void)
{
	unsigned char key[32];
	char sig[65];
	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)i;
	store_sign(key, sizeof key, "da39a3ee5e6b4b0d3255bfef95601890afd80709",
	           1700000000, sig);
	CHECK_STR(sig, "0fc3da954d49fa2d0331fbb42560bf157fa70048ee1572faa41e0"
	               "5d04067692b");
	CHECK(store_is_sha1("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
	CHECK(!store_is_sha1("DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"));
	CHECK(!store_is_sha1("da39a3ee5e6b4b0d3255bfef95601890afd8070"));
	CHECK(!store_is_sha1("da39a3ee5e6b4b0d3255bfef95601890afd807090"));
	CHECK(!store_is_sha1("../../../../../../../../../../etc/passwd"));
	CHECK(!store_is_sha1(""));
}

int main(void)
{
	struct arena a = {0};
	test_split(&a);
	test_join(&a);
	test_store();
	arena_free(&a);
	return check_done("test_data");
}
