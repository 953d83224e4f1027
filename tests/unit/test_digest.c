/* test_digest.c - the digests against known answers (FIPS 180 examples,
 * RFC 4231 for HMAC, Python's hashlib for the rest), and what is built on
 * them: token hashes, identifiers' UUIDs and cursors must not change, or
 * stored tokens and clients' cursors stop working. */
#include "check.h"

#include "arena.h"
#include "auth.h"
#include "cursor.h"
#include "digest.h"
#include "validate.h"

#include <stdio.h>
#include <unistd.h>

static const char *sha256_hex(const char *s, char out[65])
{
	unsigned char md[SHA256_LEN];
	digest_sha256(s, strlen(s), md);
	digest_hex(md, sizeof md, out);
	return out;
}

static const char *hmac_hex(const void *key, size_t key_len, const char *msg,
                            char out[65])
{
	unsigned char md[SHA256_LEN];
	digest_hmac_sha256(key, key_len, msg, strlen(msg), md);
	digest_hex(md, sizeof md, out);
	return out;
}

/* SHA-1 of what a file holds: n copies of c */
static const char *sha1_file_hex(char c, size_t n, char out[41])
{
	unsigned char md[SHA1_LEN];
	FILE *f = tmpfile();
	if (!f)
		return NULL;
	for (size_t i = 0; i < n; i++)
		fputc(c, f);
	fflush(f);
	lseek(fileno(f), 0, SEEK_SET);
	bool ok = digest_sha1_fd(fileno(f), md);
	fclose(f);
	if (!ok)
		return NULL;
	digest_hex(md, sizeof md, out);
	return out;
}

static void test_sha(void)
{
	char h[65];
	CHECK_STR(sha256_hex("abc", h), "ba7816bf8f01cfea414140de5dae2223b0036"
	                                "1a396177a9cb410ff61f20015ad");
	CHECK_STR(sha256_hex("", h), "e3b0c44298fc1c149afbf4c8996fb92427ae41e"
	                             "4649b934ca495991b7852b855");
	CHECK_STR(sha1_file_hex('a', 0, h),
	          "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	/* more than one read's worth */
	CHECK_STR(sha1_file_hex('a', 1000000, h),
	          "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	CHECK(!digest_sha1_fd(-1, (unsigned char[SHA1_LEN]){0}));
	FILE *f = tmpfile();
	if (f) {
		fputs("abc", f);
		fflush(f);
		lseek(fileno(f), 0, SEEK_SET);
		unsigned char md[SHA1_LEN];
		CHECK(digest_sha1_fd(fileno(f), md));
		digest_hex(md, sizeof md, h);
		CHECK_STR(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
		fclose(f);
	}
}

static void test_hmac(void)
{
	unsigned char k[131];
	char h[65];
	memset(k, 0x0b, 20);
	CHECK_STR(hmac_hex(k, 20, "Hi There", h),
	          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e3"
	          "2cff7");
	CHECK_STR(hmac_hex("Jefe", 4, "what do ya want for nothing?", h),
	          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964e"
	          "c3843");
	/* a key longer than the block is hashed first; one of exactly a
	 * block is not */
	memset(k, 0xaa, sizeof k);
	CHECK_STR(hmac_hex(k, sizeof k,
	                   "Test Using Larger Than Block-Size Key - Hash Key "
	                   "First",
	                   h),
	          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee"
	          "37f54");
	CHECK_STR(hmac_hex(k, 64, "x", h), "ce3c639dcb9d8baae5d44c3b8b5e233faab"
	                                   "4d1860e07489af5c84f213998bd79");
}

static void test_users(struct arena *a)
{
	char h[65];
	token_hash("132d49ec4a19fbd6e8ed6e39c5372f40002396f3", h);
	CHECK_STR(h, "fbd2ea50edd424711859fd6891484701294483b21d04b79493a3953"
	             "50316eff1");
	CHECK_STR(uuid_from_identifier(a, "ns:name@1.0"),
	          "b21249ac-a3b8-702d-c931-79acbaa7cba5");
	struct cursor c = {.backward = true,
	                   .ordering = "-name,-id",
	                   .nvals = 2,
	                   .vals = {NULL, "42"}};
	CHECK_STR(cursor_encode(a, &c),
	          "WyJwIiwiLW5hbWUsLWlkIixbbnVsbCwiNDIiXV1Qfc4cX7DWNQ");
}

int main(void)
{
	struct arena a = {0};
	test_sha();
	test_hmac();
	test_users(&a);
	arena_free(&a);
	return check_done("test_digest");
}
