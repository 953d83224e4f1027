/* settings.h - every setting the registry has, in one place. Each comes from
 * the settings file (`key = value` lines), then the environment, then the
 * command line, the later overriding the earlier; src/settings.c holds the
 * table that names them all, and `registry config` prints it. */
#ifndef SETTINGS_H
#define SETTINGS_H

#include <stdbool.h>

/* The effective settings, filled in once by settings_load() before anything
 * else runs and read-only afterwards (workers inherit them over fork). */
struct settings {
	const char *database;   /* libpq URI, "service=NAME", or "" (PG*) */
	const char *listen;     /* the pool's unix socket, or HOST:PORT */
	const char *allow_from; /* front servers, TCP listener */
	int db_wait;            /* seconds to wait for the database */
	const char *prepared_statements; /* "named" or "unnamed" */
	const char *replica;             /* conninfo, "" = none */
	int replica_max_lag;             /* seconds */
	const char *metrics_allow;       /* who may read /metrics */
	const char *pidfile;             /* "" = none */
	int workers;                     /* 0 = two per core */
	const char *data_dir;            /* the object store; "" = none */
	const char *docs_dir;            /* the guides the website renders */
	const char *migrations_dir;
	int upload_ttl;     /* seconds an upload URL stays good */
	long long body_max; /* largest request body read, bytes */
	bool remote;        /* a registry for others: no file:// serving */
	/* sign-in through the front server (docs/accounts.md) */
	bool remote_user_auth;
	const char *authorised_users_file; /* "" = none */
	bool signin_create_any;
	const char *auth_provider;
	const char *session_key_file;
	int session_ttl; /* seconds */
};

extern struct settings settings;

/* Reads the settings file (REGISTRY_CONFIG, else registry.conf beside the
 * executable), the REGISTRY_* environment and the `--key value` flags of
 * argv that name a setting (they are removed from argv; argc is updated).
 * On a bad file, line or value prints "FILE:LINE: reason" to stderr and
 * returns false. */
bool settings_load(int *argc, char **argv);

/* `registry config`: the effective settings, one `key = value` line each
 * with where it came from, secrets masked; with example, a commented
 * settings file holding every setting at its default. */
void settings_print(bool example);

/* Parses one settings file's text into the table (for the unit tests and
 * settings_load); name is used in messages. */
bool settings_parse(const char *name, const char *text);

/* Back to the built-in defaults (unit tests). */
void settings_reset(void);

/* The directory of the running executable, with a trailing name appended
 * ("../migrations"); a static buffer. */
const char *settings_beside_exe(const char *rel);

#endif
