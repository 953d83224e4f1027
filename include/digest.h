/* digest.h - the SHA-1 and SHA-256 digests the registry takes (token
 * hashes, list cursors, identifiers' UUIDs, stored files' names, upload
 * URL signatures), kept to OpenSSL's low-level functions: its EVP layer
 * loads the provider machinery, megabytes resident in every worker. */
#ifndef DIGEST_H
#define DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#define SHA1_LEN   20
#define SHA256_LEN 32

void digest_sha256(const void *p, size_t n, unsigned char md[SHA256_LEN]);
void digest_hmac_sha256(const void *key, size_t key_len, const void *msg,
                        size_t n, unsigned char md[SHA256_LEN]);
/* SHA-1 of all that fd reads; false on a read error. */
bool digest_sha1_fd(int fd, unsigned char md[SHA1_LEN]);
/* n bytes as 2n lowercase hex digits and a NUL */
void digest_hex(const unsigned char *md, size_t n, char *out);

#endif
