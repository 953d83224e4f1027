/* digest.c - SHA-1, SHA-256 and HMAC-SHA256 on OpenSSL's low-level
 * functions. Those are deprecated in OpenSSL 3 in favour of EVP, but EVP
 * (and the one-shot SHA256(), which fetches the algorithm by name on every
 * call) loads the provider machinery: some 2 MiB more resident in each
 * worker, and a name lookup per digest. The low-level ones hash in place. */
#define OPENSSL_API_COMPAT 0x10100000L /* the low-level API, no warnings */
#include "digest.h"

#include <errno.h>
#include <openssl/sha.h>
#include <string.h>
#include <unistd.h>

void digest_sha256(const void *p, size_t n, unsigned char md[SHA256_LEN])
{
	SHA256_CTX c;
	SHA256_Init(&c);
	SHA256_Update(&c, p, n);
	SHA256_Final(md, &c);
}

/* RFC 2104, with SHA-256's 64-byte block */
void digest_hmac_sha256(const void *key, size_t key_len, const void *msg,
                        size_t n, unsigned char md[SHA256_LEN])
{
	unsigned char k[SHA256_CBLOCK] = {0}, pad[SHA256_CBLOCK];
	unsigned char inner[SHA256_LEN];
	SHA256_CTX c;
	if (key_len > sizeof k)
		digest_sha256(key, key_len, k);
	else
		memcpy(k, key, key_len);
	for (size_t i = 0; i < sizeof k; i++)
		pad[i] = k[i] ^ 0x36;
	SHA256_Init(&c);
	SHA256_Update(&c, pad, sizeof pad);
	SHA256_Update(&c, msg, n);
	SHA256_Final(inner, &c);
	for (size_t i = 0; i < sizeof k; i++)
		pad[i] = k[i] ^ 0x5c;
	SHA256_Init(&c);
	SHA256_Update(&c, pad, sizeof pad);
	SHA256_Update(&c, inner, sizeof inner);
	SHA256_Final(md, &c);
}

bool digest_sha1_fd(int fd, unsigned char md[SHA1_LEN])
{
	/* static: a worker hashes one upload at a time; 64 KiB reads cost
	 * little more than bigger ones and keep less resident after */
	static unsigned char chunk[64 * 1024];
	SHA_CTX c;
	ssize_t n;
	SHA1_Init(&c);
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		SHA1_Update(&c, chunk, (size_t)n);
	}
	SHA1_Final(md, &c);
	return true;
}

void digest_hex(const unsigned char *md, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * n] = 0;
}
