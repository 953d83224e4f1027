/* session.c - browser sessions: a cookie
 * "<user>.<epoch>.<expires>.<nonce>.<mac>" whose HMAC-SHA256 under the
 * registry's session key proves the registry made it, so no session table is
 * needed and every worker (or mod_fcgid process) checks it alike. The key lives
 * in a file of mode 600 (setting session_key_file), made with random bytes by
 * whichever process needs it first. The CSRF token is another MAC of the
 * cookie: a page can only show it to the session it belongs to. */
#define _GNU_SOURCE /* memrchr */
#include "session.h"
#include "digest.h"
#include "settings.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define KEY_MIN 32
#define KEY_MAX 256

static unsigned char key[KEY_MAX];
static size_t key_len;

/* Reads the key file: 1, or 0 when there is none, -1 when it cannot be
 * used (a file others may read is no secret and is refused). */
static int key_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "registry: session key %s: %s\n", path,
		        strerror(errno));
		return -1;
	}
	struct stat st;
	ssize_t n = -1;
	if (fstat(fd, &st) == 0 && !(st.st_mode & 077))
		n = read(fd, key, sizeof key);
	else
		fprintf(stderr,
		        "registry: session key %s: group or others may read "
		        "it (chmod 600)\n",
		        path);
	close(fd);
	if (n < KEY_MIN) {
		if (n >= 0)
			fprintf(stderr,
			        "registry: session key %s: shorter "
			        "than 32 bytes\n",
			        path);
		return -1;
	}
	key_len = (size_t)n;
	return 1;
}

/* Writes a fresh key beside the file and links it into place, so that a
 * reader never sees half a key and of two processes racing one wins. */
static void key_create(const char *path)
{
	unsigned char fresh[KEY_MIN];
	char tmp[4096];
	if (RAND_bytes(fresh, sizeof fresh) != 1)
		return;
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "registry: session key %s: %s\n", tmp,
		        strerror(errno));
		return;
	}
	bool ok = write(fd, fresh, sizeof fresh) == (ssize_t)sizeof fresh;
	ok = close(fd) == 0 && ok;
	if (ok && link(tmp, path) < 0 && errno != EEXIST)
		fprintf(stderr, "registry: session key %s: %s\n", path,
		        strerror(errno));
	unlink(tmp);
}

static bool have_key(void)
{
	const char *path = settings.session_key_file;
	if (key_len)
		return true;
	if (!path || !*path)
		return false;
	int got = key_read(path);
	if (got == 0) {
		key_create(path);
		got = key_read(path);
	}
	return got > 0;
}

static void mac_hex(const char *what, const char *msg, size_t n, char out[65])
{
	/* a domain label keeps a cookie's MAC from ever being a CSRF token */
	unsigned char k[SHA256_LEN], md[SHA256_LEN];
	digest_hmac_sha256(key, key_len, what, strlen(what), k);
	digest_hmac_sha256(k, sizeof k, msg, n, md);
	digest_hex(md, sizeof md, out);
}

/* The value of the session cookie in a Cookie header, or NULL. */
static const char *cookie_value(struct request *rq, size_t *len)
{
	static const char name[] = SESSION_COOKIE "=";
	const char *c = rq->cookie;
	while (c && *c) {
		while (*c == ' ' || *c == ';')
			c++;
		size_t n = strcspn(c, ";");
		if (n > sizeof name - 1 && !strncmp(c, name, sizeof name - 1)) {
			*len = n - (sizeof name - 1);
			return c + sizeof name - 1;
		}
		c += n;
	}
	return NULL;
}

long long session_user(struct request *rq, long long *epoch)
{
	size_t n = 0;
	const char *v = cookie_value(rq, &n);
	if (!v || n > 200 || !have_key())
		return 0;
	const char *dot = memrchr(v, '.', n);
	if (!dot || (size_t)(v + n - dot - 1) != 64)
		return 0;
	char mac[65];
	mac_hex("session", v, (size_t)(dot - v), mac);
	if (CRYPTO_memcmp(mac, dot + 1, 64))
		return 0;
	char *end;
	long long user = strtoll(v, &end, 10);
	if (*end != '.' || user <= 0)
		return 0;
	*epoch = strtoll(end + 1, &end, 10);
	if (*end != '.')
		return 0;
	long long expires = strtoll(end + 1, &end, 10);
	if (*end != '.' || expires < (long long)time(NULL))
		return 0;
	rq->session = arena_strndup(rq->a, v, n);
	return user;
}

static bool https(const struct request *rq)
{
	return !strncasecmp(rq->base, "https:", 6);
}

bool session_start(struct request *rq, long long user, long long epoch)
{
	unsigned char nonce[16];
	char hex[33], mac[65];
	if (!have_key() || RAND_bytes(nonce, sizeof nonce) != 1)
		return false;
	digest_hex(nonce, sizeof nonce, hex);
	char *body =
	    arena_printf(rq->a, "%lld.%lld.%lld.%s", user, epoch,
	                 (long long)time(NULL) + settings.session_ttl, hex);
	mac_hex("session", body, strlen(body), mac);
	rq->session = arena_printf(rq->a, "%s.%s", body, mac);
	req_header(rq, "Set-Cookie",
	           arena_printf(rq->a,
	                        SESSION_COOKIE "=%s; Path=/; Max-Age=%d; "
	                                       "HttpOnly; SameSite=Lax%s",
	                        rq->session, settings.session_ttl,
	                        https(rq) ? "; Secure" : ""));
	return true;
}

void session_end(struct request *rq)
{
	rq->session = NULL;
	req_header(rq, "Set-Cookie",
	           arena_printf(rq->a,
	                        SESSION_COOKIE "=; Path=/; Max-Age=0; "
	                                       "HttpOnly; SameSite=Lax%s",
	                        https(rq) ? "; Secure" : ""));
}

const char *session_csrf(struct request *rq)
{
	if (!rq->session || !have_key())
		return NULL;
	char *out = arena_alloc(rq->a, 65);
	mac_hex("csrf", rq->session, strlen(rq->session), out);
	return out;
}

static bool refuse(struct request *rq, const char *why)
{
	resp_detail(rq, 403, arena_printf(rq->a, "CSRF Failed: %s", why));
	return false;
}

/* scheme://host[:port] of an Origin header, compared with the address the
 * registry answers at */
static bool same_origin(const struct request *rq, const char *origin)
{
	return !strcasecmp(origin, rq->base);
}

bool session_csrf_check(struct request *rq, const char *given)
{
	if (rq->fetch_site && !strcmp(rq->fetch_site, "cross-site"))
		return refuse(rq, "Cross-site request refused.");
	if (rq->origin && !same_origin(rq, rq->origin))
		return refuse(rq, arena_printf(rq->a,
		                               "Origin checking failed - %s "
		                               "does not match any trusted "
		                               "origins.",
		                               rq->origin));
	const char *want = session_csrf(rq);
	if (!given || !*given)
		return refuse(rq, "CSRF token missing.");
	if (!want || strlen(given) != 64 || CRYPTO_memcmp(given, want, 64))
		return refuse(rq, "CSRF token incorrect.");
	return true;
}
