/* main.c - the one binary: FastCGI master and pool, plain FastCGI worker
 * (spawn-fcgi, mod_fcgid), and the administration commands. */
#include "admin.h"
#include "cli.h"
#include "example.h"
#include "import.h"
#include "metrics.h"
#include "migrate.h"
#include "pool.h"
#include "settings.h"
#include "store.h"
#include "worker.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc - 1; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

static bool fd0_is_socket(void)
{
	struct stat st;
	return fstat(0, &st) == 0 && S_ISSOCK(st.st_mode);
}

static int cmd_migrate(PGconn *c, int argc, char **argv)
{
	const char *dir = opt(argc, argv, "--dir");
	return migrate_run(c, dir ? dir : settings.migrations_dir);
}

static bool is(const char *a, const char *b)
{
	return !strcmp(a, b);
}

/* `user add|list|disable|enable [NAME]`; a bare `user NAME` is `add`. */
static int cmd_user(PGconn *c, int argc, char **argv)
{
	const char *sub = argv[2], *name = argc > 3 ? argv[3] : NULL;
	if (is(sub, "list"))
		return admin_user_list(c);
	if (is(sub, "add") || is(sub, "disable") || is(sub, "enable")) {
		if (!name) {
			fprintf(stderr, "registry: user %s NAME\n", sub);
			return -1;
		}
		return is(sub, "add")
		           ? admin_user(c, name)
		           : admin_user_disable(c, name, is(sub, "disable"));
	}
	return admin_user(c, sub);
}

/* `token issue|rotate|revoke NAME`, `token list [NAME]`; a bare
 * `token NAME` is `issue`. */
static int cmd_token(PGconn *c, int argc, char **argv)
{
	const char *sub = argv[2], *name = argc > 3 ? argv[3] : NULL;
	if (is(sub, "list"))
		return admin_token_list(c, name);
	if (is(sub, "issue") || is(sub, "rotate") || is(sub, "revoke")) {
		if (!name) {
			fprintf(stderr, "registry: token %s NAME\n", sub);
			return -1;
		}
		return is(sub, "revoke")
		           ? admin_token_revoke(c, name)
		           : admin_token(c, name, is(sub, "rotate"));
	}
	return admin_token(c, sub, false);
}

static int cmd_example_data(PGconn *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return example_data_load(c);
}

/* For scripts and systemd: 0 when the database answers, as
 * /health/ready does. */
static int cmd_ready(PGconn *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	PGresult *r = PQexec(c, "SELECT 1");
	int ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	PQclear(r);
	puts(ok ? "ready" : "not ready");
	return ok ? 0 : 1;
}

static int cmd_data_root(PGconn *c, int argc, char **argv)
{
	(void)argc;
	return store_data_root_command(c, argv[2]);
}

/* Commands that work on the database: one connection, one function. */
static const struct command {
	const char *name;
	int min_args; /* after the command's name */
	int (*fn)(PGconn *c, int argc, char **argv);
	const char *help;
} commands[] = {
    {"migrate", 0, cmd_migrate,
     "migrate [--dir DIR]    apply database migrations"},
    {"user", 1, cmd_user,
     "user add NAME          create a user (if missing)\n"
     "  user list              users, active or disabled, token prefix\n"
     "  user disable|enable NAME  stop or restart NAME's token and "
     "sessions"},
    {"token", 1, cmd_token,
     "token issue NAME       create or replace NAME's token, print it once\n"
     "  token rotate NAME      replace NAME's existing token, print it\n"
     "  token revoke NAME      delete NAME's token\n"
     "  token list [NAME]      tokens by prefix and date (never the "
     "token)"},
    {"example-data", 0, cmd_example_data,
     "example-data           load example records (once)"},
    {"import", 1, import_command,
     "import URL|DIR [--token T] [--verify]\n"
     "                         bring a whole registry in (docs/migrating.md)"},
    {"export", 1, export_command,
     "export DIR [--base URL] write the registry as JSON lines"},
    {"ready", 0, cmd_ready,
     "ready                  exit 0 if the database answers, else 1"},
    {"data-root", 1, cmd_data_root,
     "data-root URL          register URL as the object store's root"},
    {NULL, 0, NULL, NULL},
};

static void usage(void)
{
	fputs("usage: registry [command]\n"
	      "  (none)                 FastCGI worker on the socket "
	      "inherited as fd 0\n"
	      "  serve                  master and worker pool\n"
	      "  config [--example]     print the settings in effect (or an\n"
	      "                         example settings file)\n",
	      stderr);
	for (const struct command *c = commands; c->name; c++)
		fprintf(stderr, "  %s\n", c->help);
	fputs("Every setting (registry config --example lists them) comes "
	      "from the\nsettings file (REGISTRY_CONFIG, else registry.conf "
	      "beside this program),\nthen its REGISTRY_* variable, then a "
	      "--KEY VALUE flag.\n",
	      stderr);
}

int main(int argc, char **argv)
{
	if (!settings_load(&argc, argv))
		return 2;
	if (argc < 2) {
		if (!fd0_is_socket()) {
			usage();
			return 2;
		}
		pool_worker_signals();
		metrics_worker(-1);
		worker_main(0);
		return 0;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "serve")) {
		struct pool_opts o = {
		    .socket_path = settings.listen,
		    .pidfile = *settings.pidfile ? settings.pidfile : NULL,
		    .workers = settings.workers,
		};
		return pool_main(&o, worker_main);
	}
	if (!strcmp(cmd, "config")) {
		settings_print(argc > 2 && !strcmp(argv[2], "--example"));
		return 0;
	}
	for (const struct command *c = commands; c->name; c++) {
		if (strcmp(cmd, c->name))
			continue;
		if (argc - 2 < c->min_args) {
			usage();
			return 2;
		}
		PGconn *conn = cli_connect();
		if (!conn) {
			if (c->fn == cmd_ready)
				puts("not ready");
			return 1;
		}
		int rc = c->fn(conn, argc, argv);
		PQfinish(conn);
		return rc ? 1 : 0;
	}
	usage();
	return 2;
}
