/* settings.c - the registry's settings: one table names every setting with
 * its type, default, environment variable and a line of help, and drives
 * the settings file's parser, the environment, the command-line flags and
 * `registry config` alike (as nginx's command arrays do).
 *
 * The file is plain `key = value` lines; blank lines and lines whose first
 * non-blank character is '#' are ignored. A '#' later in a line is part of
 * the value: passwords and URIs may hold one. Precedence, weakest first:
 * built-in default, file, environment, command line. Shared hosts run CGI
 * programs under suEXEC, which empties the environment; the file beside
 * the executable is what reaches the program there. */
#define _GNU_SOURCE /* strndup, program_invocation_name */
#include "settings.h"
#include "allow.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <libpq-fe.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define FILE_MAX (1024 * 1024)

/* Where a checkout's binary (cgi-bin/registry) finds its settings file and
 * its files: beside itself. An installed one is built with the installed
 * places instead (Makefile, install). Relative paths are taken from the
 * executable's directory. */
#ifndef REGISTRY_CONFIG_FILE
#define REGISTRY_CONFIG_FILE "registry.conf"
#endif
#ifndef REGISTRY_DOCS_DIR
#define REGISTRY_DOCS_DIR "../docs"
#endif
#ifndef REGISTRY_MIGRATIONS_DIR
#define REGISTRY_MIGRATIONS_DIR "../migrations"
#endif
#ifndef REGISTRY_LISTEN
#define REGISTRY_LISTEN "var/run/registry.sock"
#endif
#define DEFAULT_FILE REGISTRY_CONFIG_FILE

struct settings settings;

enum stype {
	T_STR,
	T_PATH, /* T_STR that, given as a relative path by default, is
	           taken from the executable's directory */
	T_INT,
	T_SIZE, /* bytes, with an optional k, M or G suffix (powers of 1024) */
	T_BOOL,
	T_CHOICE, /* one of the words in def, "a|b|c" (the first is the
	             default), stored as its index */
	T_PREFIX, /* a URL path: "" or "/a/b", a trailing '/' dropped */
	T_ORIGIN, /* "" or scheme://host[:port], a trailing '/' dropped */
	T_ADDRS,  /* an address list (src/allow.c): IPv4 or IPv6, each
	             optionally /PREFIX; a host name or a bad prefix is
	             refused here, not silently never matched later */
};

enum secret {
	S_NONE,
	S_CONNINFO, /* a libpq connection string: only its password */
	S_ALL,
};

struct setting {
	const char *key;
	const char *env;  /* environment variable that overrides the file */
	const char *flag; /* an older spelling on the command line, or NULL */
	enum stype type;
	size_t offset; /* in struct settings */
	const char *def;
	long long min, max; /* T_INT, T_SIZE */
	enum secret secret;
	const char *help;
};

#define AT(member) offsetof(struct settings, member)

static const struct setting table[] = {
    {"database", "REGISTRY_DATABASE_URL", "--db", T_STR, AT(database), "", 0, 0,
     S_CONNINFO,
     "PostgreSQL to use: a libpq URI (postgresql://user@host/db), "
     "\"service=NAME\" (pg_service.conf), or empty for the PG* variables; "
     "keep passwords in ~/.pgpass or a service file"},
    {"listen", "REGISTRY_LISTEN", "--socket", T_STR, AT(listen),
     REGISTRY_LISTEN, 0, 0, S_NONE,
     "where `registry serve` takes FastCGI connections from the front "
     "server: a unix socket's path, or HOST:PORT for TCP (front servers on "
     "other hosts; see allow_from)"},
    {"allow_from", "REGISTRY_ALLOW_FROM", NULL, T_ADDRS, AT(allow_from),
     "127.0.0.1 ::1", 0, 0, S_NONE,
     "on a TCP listener, the front servers' addresses (IPv4 or IPv6, each "
     "optionally /PREFIX) separated by spaces or commas; a connection from "
     "any other address is closed before it is read"},
    {"db_wait", "REGISTRY_DB_WAIT", NULL, T_INT, AT(db_wait), "5", 0, 300,
     S_NONE,
     "seconds a request waits for a database that went away (a restart, a "
     "failover) before it is answered 503; a read, or a write that never "
     "reached COMMIT, is then run again"},
    {"prepared_statements", "REGISTRY_PREPARED_STATEMENTS", NULL, T_STR,
     AT(prepared_statements), "named", 0, 0, S_NONE,
     "named: each statement is prepared once per connection and reused; "
     "unnamed: planned on every run, for PgBouncer in transaction pooling "
     "mode before 1.21, which cannot keep named statements"},
    {"replica", "REGISTRY_REPLICA", NULL, T_STR, AT(replica), "", 0, 0,
     S_CONNINFO,
     "a streaming replica of the database (libpq URI or key=value): GET "
     "and HEAD are answered from it; empty for none"},
    {"replica_max_lag", "REGISTRY_REPLICA_MAX_LAG", NULL, T_INT,
     AT(replica_max_lag), "5", 0, 3600, S_NONE,
     "seconds the replica may lag behind the primary before reads go to "
     "the primary"},
    {"metrics_allow", "REGISTRY_METRICS_ALLOW", NULL, T_ADDRS,
     AT(metrics_allow), "127.0.0.1 ::1", 0, 0, S_NONE,
     "client addresses (as for allow_from) that may read /metrics; empty "
     "for nobody"},
    {"pidfile", "REGISTRY_PIDFILE", NULL, T_STR, AT(pidfile), "", 0, 0, S_NONE,
     "where `registry serve` writes its pid; empty for nowhere"},
    {"workers", "REGISTRY_WORKERS", NULL, T_INT, AT(workers), "0", 0, 4096,
     S_NONE, "worker processes of `registry serve`; 0 for two per core"},
    {"data_dir", "REGISTRY_DATA_DIR", NULL, T_STR, AT(data_dir), "", 0, 0,
     S_NONE,
     "the object store's directory (absolute); empty for no object store"},
    {"docs_dir", "REGISTRY_DOCS", NULL, T_PATH, AT(docs_dir), REGISTRY_DOCS_DIR,
     0, 0, S_NONE, "the guides the website renders at /docs/"},
    {"migrations_dir", "REGISTRY_MIGRATIONS", NULL, T_PATH, AT(migrations_dir),
     REGISTRY_MIGRATIONS_DIR, 0, 0, S_NONE,
     "the schema migrations `registry migrate` applies"},
    {"upload_ttl", "REGISTRY_UPLOAD_TTL", NULL, T_INT, AT(upload_ttl), "3600",
     1, 7 * 24 * 3600, S_NONE, "seconds an object store upload URL lasts"},
    {"body_max", "REGISTRY_BODY_MAX", NULL, T_SIZE, AT(body_max), "64M", 1024,
     1LL << 34, S_NONE,
     "largest request body the registry reads (the front server may "
     "refuse smaller ones first)"},
    {"statement_timeout", "REGISTRY_STATEMENT_TIMEOUT", NULL, T_INT,
     AT(statement_timeout), "30000", 0, 3600 * 1000, S_NONE,
     "milliseconds one database statement of a request may run before "
     "PostgreSQL cancels it and the request is answered 503; 0 for no "
     "limit"},
    {"remote", "REGISTRY_REMOTE", NULL, T_BOOL, AT(remote), "false", 0, 0,
     S_NONE,
     "a registry for others: it serves no file:// data from its own disk"},
    {"remote_user_auth", "REGISTRY_REMOTE_USER_AUTH", NULL, T_BOOL,
     AT(remote_user_auth), "false", 0, 0, S_NONE,
     "sign people in with the user name the front server authenticated "
     "(REMOTE_USER, set by its own authentication) on /get-token and "
     "/revoke-token; docs/accounts.md"},
    {"authorised_users_file", "REGISTRY_AUTHORISED_USERS", NULL, T_STR,
     AT(authorised_users_file), "", 0, 0, S_NONE,
     "file of user names (one a line) who may sign in for the first time; "
     "empty for only the users made with `registry user add`"},
    {"signin_create_any", "REGISTRY_SIGNIN_CREATE_ANY", NULL, T_BOOL,
     AT(signin_create_any), "false", 0, 0, S_NONE,
     "create every user the front server authenticated on first sign-in, "
     "listed or not"},
    {"auth_provider", "REGISTRY_AUTH_PROVIDER", NULL, T_STR, AT(auth_provider),
     "", 0, 0, S_NONE,
     "what GET /api/auth-provider/ names as the sign-in provider (the "
     "reference's AUTH_METHOD, e.g. GitHub)"},
    {"session_key_file", "REGISTRY_SESSION_KEY_FILE", NULL, T_PATH,
     AT(session_key_file), "../var/session.key", 0, 0, S_NONE,
     "the secret that signs session cookies: a file of mode 600, made "
     "with random bytes when missing"},
    {"session_ttl", "REGISTRY_SESSION_TTL", NULL, T_INT, AT(session_ttl),
     "28800", 60, 30 * 24 * 3600, S_NONE,
     "seconds a browser session lasts after sign-in"},
    {"prefix", "REGISTRY_PREFIX", NULL, T_PREFIX, AT(prefix), "", 0, 0, S_NONE,
     "the path the registry is mounted at, such as /fair: every hyperlink "
     "starts with it and any other path is answered 404; empty to take it "
     "from the front server (SCRIPT_NAME), else the root of the host"},
    {"base_url", "REGISTRY_BASE_URL", NULL, T_ORIGIN, AT(base_url), "", 0, 0,
     S_NONE,
     "scheme://host[:port] that every absolute hyperlink starts with, such "
     "as https://data.example.org (the prefix follows it); empty to take "
     "it from each request (Host, X-Forwarded-Host, X-Forwarded-Proto)"},
    {"send_files", "REGISTRY_SEND_FILES", NULL, T_CHOICE, AT(send_files),
     "x-accel-redirect|x-sendfile|registry", 0, 0, S_NONE,
     "who sends stored files to clients: x-accel-redirect (nginx, through "
     "the internal locations <prefix>/_store/ and <prefix>/_files/), "
     "x-sendfile (Apache with mod_xsendfile) or registry (the registry "
     "reads them out itself, a piece at a time: plain CGI, Apache without "
     "mod_xsendfile)"},
};

#define NSETTINGS (int)(sizeof table / sizeof table[0])

/* Where each setting's value came from, for `registry config`. */
static char *origin[NSETTINGS];
static char *config_file; /* the file read, or NULL */

/* ---- values ------------------------------------------------------------- */

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static char *xprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	return s;
}

const char *settings_beside_exe(const char *rel)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	if (rel[0] == '/')
		return rel;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return rel;
	exe[n] = 0;
	snprintf(path, sizeof path, "%s/%s", dirname(exe), rel);
	return path;
}

static bool parse_number(const char *v, long long *out, bool size)
{
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (end == v || errno || n < 0)
		return false;
	if (size && *end) {
		int shift = *end == 'k' || *end == 'K'   ? 10
		            : *end == 'm' || *end == 'M' ? 20
		            : *end == 'g' || *end == 'G' ? 30
		                                         : -1;
		if (shift < 0 || n > (LLONG_MAX >> shift))
			return false;
		n <<= shift;
		end++;
	}
	*out = n;
	return *end == 0;
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *yes[] = {"true", "yes", "on", "1"};
	static const char *no[] = {"false", "no", "off", "0"};
	for (int i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]))
			return *out = true, true;
		if (!strcasecmp(v, no[i]))
			return *out = false, true;
	}
	return false;
}

/* The index of v among the choices "a|b|c" in s->def (NULL: the first) */
static const char *choose(const struct setting *s, const char *v, int *out)
{
	int i = 0;
	for (const char *c = s->def; *c; i++) {
		size_t n = strcspn(c, "|");
		if (!v || (strlen(v) == n && !strncmp(c, v, n)))
			return *out = i, NULL;
		c += n + (c[n] == '|');
	}
	return "expected one of the words in its help";
}

/* A mount path: letters, digits and -._~/%+@ only (nothing that would need
 * escaping in a hyperlink or in a web server's configuration), no empty,
 * "." or ".." segment. */
static const char *bad_prefix(const char *v)
{
	if (!*v)
		return NULL;
	if (v[0] != '/')
		return "expected a path starting with /, such as /fair";
	if (strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	              "0123456789-._~/%+@") != strlen(v))
		return "only letters, digits and - . _ ~ / % + @ may be used";
	for (const char *p = v; *p; p += strcspn(p + 1, "/") + 1) {
		size_t n = strcspn(p + 1, "/");
		if (!n || (n == 1 && p[1] == '.') ||
		    (n == 2 && !strncmp(p + 1, "..", 2)))
			return "an empty, . or .. segment";
	}
	return NULL;
}

/* scheme://host[:port] and nothing more */
static const char *bad_origin(const char *v)
{
	if (!*v)
		return NULL;
	const char *h = !strncmp(v, "http://", 7)    ? v + 7
	                : !strncmp(v, "https://", 8) ? v + 8
	                                             : NULL;
	if (!h || !*h)
		return "expected http://host or https://host[:port]";
	if (strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	              "0123456789-.:[]") != strlen(h))
		return "expected scheme://host[:port] without a path (a path "
		       "goes in prefix)";
	return NULL;
}

/* Stores v as setting s; on a bad value returns the reason. */
static const char *assign(const struct setting *s, const char *v,
                          bool is_default)
{
	char *p = (char *)&settings + s->offset;
	long long n;
	switch (s->type) {
	case T_STR:
	case T_PATH:
		/* every string is the table's own copy, so it can be freed
		 * when a stronger source replaces it */
		free(*(char **)p);
		*(char **)p =
		    xstrdup(s->type == T_PATH && is_default && v[0] != '/'
		                ? settings_beside_exe(v)
		                : v);
		return NULL;
	case T_INT:
	case T_SIZE:
		if (!parse_number(v, &n, s->type == T_SIZE))
			return s->type == T_SIZE
			           ? "expected a number of bytes (with an "
			             "optional k, M or G)"
			           : "expected a whole number";
		if (n < s->min || n > s->max)
			return "out of range";
		if (s->type == T_INT)
			*(int *)p = (int)n;
		else
			*(long long *)p = n;
		return NULL;
	case T_ADDRS: {
		const char *bad;
		if (!allow_valid(v, &bad)) {
			static char why[160];
			snprintf(why, sizeof why,
			         "'%s' is not an IPv4 or IPv6 address with an "
			         "optional /PREFIX (host names are not looked "
			         "up)",
			         bad);
			return why;
		}
		free(*(char **)p);
		*(char **)p = xstrdup(v);
		return NULL;
	}
	case T_BOOL:
		if (!parse_bool(v, (bool *)p))
			return "expected true or false";
		return NULL;
	case T_CHOICE:
		return choose(s, is_default ? NULL : v, (int *)p);
	case T_PREFIX:
	case T_ORIGIN: {
		size_t n = strlen(v);
		while (n && v[n - 1] == '/')
			n--;
		char *t = strndup(v, n);
		if (!t)
			abort();
		const char *why =
		    s->type == T_PREFIX ? bad_prefix(t) : bad_origin(t);
		if (why) {
			free(t);
			return why;
		}
		free(*(char **)p);
		*(char **)p = t;
		return NULL;
	}
	}
	return "unknown type";
}

static const struct setting *find(const char *key, size_t n)
{
	for (int i = 0; i < NSETTINGS; i++)
		if (strlen(table[i].key) == n && !strncmp(table[i].key, key, n))
			return &table[i];
	return NULL;
}

static void set_origin(const struct setting *s, char *from)
{
	int i = (int)(s - table);
	free(origin[i]);
	origin[i] = from;
}

void settings_reset(void)
{
	for (int i = 0; i < NSETTINGS; i++) {
		const char *why = assign(&table[i], table[i].def, true);
		if (why) /* a default the table itself gets wrong */
			abort();
		set_origin(&table[i], xstrdup("default"));
	}
}

/* ---- the file ----------------------------------------------------------- */

static bool file_error(const char *name, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool file_error(const char *name, int line, const char *fmt, ...)
{
	va_list ap;
	if (line)
		fprintf(stderr, "registry: %s:%d: ", name, line);
	else
		fprintf(stderr, "registry: %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return false;
}

static const char *trim(const char *s, const char *end, size_t *len)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*len = (size_t)(end - s);
	return s;
}

bool settings_parse(const char *name, const char *text)
{
	bool seen[NSETTINGS] = {0};
	int line = 0;
	for (const char *p = text; *p;) {
		const char *eol = p + strcspn(p, "\n");
		const char *next = *eol ? eol + 1 : eol;
		size_t n;
		const char *s = trim(p, eol, &n);
		line++;
		p = next;
		if (!n || *s == '#')
			continue;
		if (memchr(s, 0, n))
			return file_error(name, line, "a NUL byte");
		const char *eq = memchr(s, '=', n);
		if (!eq)
			return file_error(
			    name, line, "expected `key = value`, found no '='");
		size_t kn, vn;
		const char *key = trim(s, eq, &kn);
		const char *val = trim(eq + 1, s + n, &vn);
		if (!kn)
			return file_error(name, line, "a value without a key");
		const struct setting *st = find(key, kn);
		if (!st)
			return file_error(name, line, "unknown setting '%.*s'",
			                  (int)kn, key);
		if (seen[st - table])
			return file_error(name, line,
			                  "'%s' is set twice in this file",
			                  st->key);
		seen[st - table] = true;
		/* "..." keeps white space at either end */
		if (vn >= 2 && val[0] == '"' && val[vn - 1] == '"')
			val++, vn -= 2;
		char *v = strndup(val, vn);
		if (!v)
			abort();
		const char *why = assign(st, v, false);
		free(v);
		if (why)
			return file_error(name, line, "%s: %s", st->key, why);
		set_origin(st, xprintf("%s:%d", name, line));
	}
	return true;
}

/* Reads the file; a missing default file is no error, a named one is. */
static bool read_file(const char *path, bool named)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		if (!named && errno == ENOENT)
			return true;
		return file_error(path, 0, "cannot read: %s", strerror(errno));
	}
	char *text = malloc(FILE_MAX + 1);
	if (!text)
		abort();
	size_t n = fread(text, 1, FILE_MAX + 1, f);
	bool bad = ferror(f);
	fclose(f);
	if (bad || n > FILE_MAX) {
		free(text);
		return file_error(path, 0, bad ? "read error" : "too large");
	}
	text[n] = 0;
	free(config_file);
	config_file = xstrdup(path);
	bool ok = settings_parse(path, text);
	free(text);
	return ok;
}

/* ---- environment and flags ---------------------------------------------- */

static bool from_environment(void)
{
	for (int i = 0; i < NSETTINGS; i++) {
		const char *v = getenv(table[i].env);
		if (!v)
			continue;
		const char *why = assign(&table[i], v, false);
		if (why) {
			fprintf(stderr, "registry: %s=%s: %s\n", table[i].env,
			        v, why);
			return false;
		}
		set_origin(&table[i], xprintf("environment %s", table[i].env));
	}
	return true;
}

/* The setting a flag names: --key, --key-with-dashes, or its old spelling;
 * a value may follow as the next argument or after '='. */
static const struct setting *flag_setting(const char *arg, size_t *name_len)
{
	if (strncmp(arg, "--", 2))
		return NULL;
	const char *name = arg + 2;
	size_t n = strcspn(name, "=");
	*name_len = n + 2;
	char key[64];
	if (n >= sizeof key)
		return NULL;
	for (size_t i = 0; i < n; i++)
		key[i] = name[i] == '-' ? '_' : name[i];
	for (int i = 0; i < NSETTINGS; i++) {
		if (table[i].flag && strlen(table[i].flag) == n + 2 &&
		    !strncmp(table[i].flag, arg, n + 2))
			return &table[i];
	}
	return find(key, n);
}

static bool from_flags(int *argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		size_t nl;
		const struct setting *s = flag_setting(argv[i], &nl);
		if (!s) {
			argv[out++] = argv[i];
			continue;
		}
		const char *v;
		if (argv[i][nl] == '=') {
			v = argv[i] + nl + 1;
		} else if (i + 1 < *argc) {
			v = argv[++i];
		} else {
			fprintf(stderr, "registry: %s needs a value\n",
			        argv[i]);
			return false;
		}
		const char *why = assign(s, v, false);
		if (why) {
			fprintf(stderr, "registry: --%s %s: %s\n", s->key, v,
			        why);
			return false;
		}
		set_origin(s, xprintf("command line"));
	}
	argv[out] = NULL;
	*argc = out;
	return true;
}

bool settings_load(int *argc, char **argv)
{
	settings_reset();
	const char *named = getenv("REGISTRY_CONFIG");
	bool ok = named && *named
	              ? read_file(named, true)
	              : read_file(settings_beside_exe(DEFAULT_FILE), false);
	return ok && from_environment() && from_flags(argc, argv);
}

/* ---- registry config ---------------------------------------------------- */

/* A connection string with its password replaced, rebuilt by libpq's own
 * parser so that URIs and key=value strings are both understood. */
static void print_conninfo(const char *v)
{
	PQconninfoOption *opts = PQconninfoParse(v, NULL);
	bool has_password = false;
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (!strcmp(o->keyword, "password") && o->val)
			has_password = true;
	if (!opts || !has_password) {
		fputs(v, stdout);
		PQconninfoFree(opts);
		return;
	}
	const char *sep = "";
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val)
			continue;
		bool pw = !strcmp(o->keyword, "password");
		printf("%s%s=%s", sep, o->keyword, pw ? "********" : o->val);
		sep = " ";
	}
	PQconninfoFree(opts);
}

/* The value as it would be written in the file. */
static void print_value(const struct setting *s)
{
	const char *p = (const char *)&settings + s->offset;
	switch (s->type) {
	case T_STR:
	case T_PATH: {
		const char *v = *(const char *const *)p;
		if (s->secret == S_CONNINFO)
			print_conninfo(v);
		else if (s->secret == S_ALL && *v)
			fputs("********", stdout);
		else
			fputs(v, stdout);
		break;
	}
	case T_INT:
		printf("%d", *(const int *)p);
		break;
	case T_SIZE:
		printf("%lld", *(const long long *)p);
		break;
	case T_BOOL:
		fputs(*(const bool *)p ? "true" : "false", stdout);
		break;
	case T_CHOICE: {
		const char *c = s->def;
		for (int i = *(const int *)p; i > 0; i--)
			c += strcspn(c, "|") + 1;
		printf("%.*s", (int)strcspn(c, "|"), c);
		break;
	}
	case T_PREFIX:
	case T_ORIGIN:
	case T_ADDRS:
		fputs(*(const char *const *)p, stdout);
		break;
	}
}

/* text as '#' lines of at most 72 columns, broken between words */
static void print_comment(const char *text)
{
	putchar('\n');
	while (*text) {
		size_t n = strlen(text);
		if (n > 70) {
			n = 70;
			while (n && text[n] != ' ')
				n--;
			if (!n)
				n = strcspn(text, " ");
		}
		printf("# %.*s\n", (int)n, text);
		text += n;
		text += strspn(text, " ");
	}
}

/* A settings file with every setting commented out at its default, each
 * under its help text: the example file `make install` ships. */
static void print_example(void)
{
	puts("# registry.conf - the FAIR data registry's settings.\n"
	     "# `key = value` lines; a line starting with # is a comment.\n"
	     "# The environment variable named beside each setting, then a\n"
	     "# `--key value` flag, override what is written here.\n"
	     "# `registry config` prints the settings in effect.");
	for (int i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &table[i];
		char *text = xprintf("%s (environment: %s)", s->help, s->env);
		print_comment(text);
		free(text);
		const char *def = s->type == T_PATH ? "" : s->def;
		int dn = s->type == T_CHOICE ? (int)strcspn(def, "|")
		                             : (int)strlen(def);
		printf("#%s =%s%.*s\n", s->key, dn ? " " : "", dn, def);
	}
}

void settings_print(bool example)
{
	if (example) {
		print_example();
		return;
	}
	if (config_file)
		printf("# settings file: %s\n", config_file);
	else
		printf("# settings file: none (REGISTRY_CONFIG is unset and "
		       "there is no %s)\n",
		       settings_beside_exe(DEFAULT_FILE));
	for (int i = 0; i < NSETTINGS; i++) {
		printf("%s = ", table[i].key);
		print_value(&table[i]);
		printf("    # %s\n", origin[i]);
	}
}
