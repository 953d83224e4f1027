/* test_settings.c - the settings file's parser: values of every type, the
 * errors an operator can make (each naming file and line), and precedence
 * of file, environment and flags. */
#include "check.h"

#include "settings.h"

#include <stdlib.h>
#include <unistd.h>

/* Runs the parser with stderr sent to a file, and returns what it said. */
static const char *parse_err(const char *text, bool *ok)
{
	static char msg[512];
	fflush(stderr);
	FILE *f = tmpfile();
	int saved = dup(2);
	dup2(fileno(f), 2);
	*ok = settings_parse("t.conf", text);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	size_t n = fread(msg, 1, sizeof msg - 1, f);
	msg[n] = 0;
	fclose(f);
	return msg;
}

static void test_values(void)
{
	bool ok;
	settings_reset();
	CHECK(settings.workers == 0);
	CHECK(settings.upload_ttl == 3600);
	CHECK(settings.body_max == 64LL << 20);
	CHECK(!settings.remote);
	parse_err("# a comment\n"
	          "\n"
	          "  workers = 7  \n"
	          "database = postgresql://u@h/db?sslmode=require#x\n"
	          "body_max=2k\n"
	          "remote = yes\n"
	          "listen = \" /tmp/a b \"\n"
	          "allow_from = 10.0.0.2, 2001:db8::/32\n"
	          "metrics_allow =\n",
	          &ok);
	CHECK(ok);
	CHECK_STR(settings.allow_from, "10.0.0.2, 2001:db8::/32");
	CHECK_STR(settings.metrics_allow, ""); /* nobody */
	CHECK(settings.workers == 7);
	CHECK_STR(settings.database, "postgresql://u@h/db?sslmode=require#x");
	CHECK(settings.body_max == 2048);
	CHECK(settings.remote);
	CHECK_STR(settings.listen, " /tmp/a b ");
	/* no trailing newline, CRLF lines */
	parse_err("workers = 3\r\nremote = off", &ok);
	CHECK(ok);
	CHECK(settings.workers == 3);
	CHECK(!settings.remote);
}

static void test_errors(void)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
	    {"workers = 2\nnonsense\n", "t.conf:2: expected `key = value`"},
	    {"\n\ncolour = blue\n", "t.conf:3: unknown setting 'colour'"},
	    {"workers = many\n", "t.conf:1: workers: expected a whole number"},
	    {"workers = 5000\n", "t.conf:1: workers: out of range"},
	    {"workers = -1\n", "t.conf:1: workers: expected a whole number"},
	    {"body_max = 3X\n", "t.conf:1: body_max: expected a number of"},
	    {"body_max = 99999999999999999G\n", "t.conf:1: body_max:"},
	    {"remote = maybe\n", "t.conf:1: remote: expected true or false"},
	    {"= 3\n", "t.conf:1: a value without a key"},
	    {"workers = 1\nworkers = 2\n", "t.conf:2: 'workers' is set twice"},
	    {"allow_from = 10.0.0.2 front.example\n",
	     "t.conf:1: allow_from: 'front.example' is not an IPv4 or IPv6"},
	    {"\nmetrics_allow = 10.0.0.0/33\n",
	     "t.conf:2: metrics_allow: '10.0.0.0/33' is not"},
	    {"metrics_allow = ::1/129\n", "t.conf:1: metrics_allow: '::1/129'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool ok;
		settings_reset();
		const char *msg = parse_err(cases[i].text, &ok);
		CHECK(!ok);
		if (!strstr(msg, cases[i].msg))
			printf("# case %zu said: %s", i, msg);
		CHECK(strstr(msg, cases[i].msg) != NULL);
	}
}

static void test_precedence(void)
{
	char path[] = "/tmp/settings-test-XXXXXX";
	int fd = mkstemp(path);
	const char text[] = "workers = 4\nupload_ttl = 60\nremote = true\n";
	CHECK(write(fd, text, sizeof text - 1) == (ssize_t)sizeof text - 1);
	close(fd);
	setenv("REGISTRY_CONFIG", path, 1);
	setenv("REGISTRY_UPLOAD_TTL", "120", 1);
	char *argv[] = {"registry",       "--workers", "9", "serve",
	                "--db=service=x", "--dir",     "m", NULL};
	int argc = 7;
	CHECK(settings_load(&argc, argv));
	CHECK(settings.workers == 9);              /* flag over file */
	CHECK(settings.upload_ttl == 120);         /* environment over file */
	CHECK(settings.remote);                    /* file over default */
	CHECK_STR(settings.database, "service=x"); /* old spelling --db */
	/* what is not a setting stays for the command */
	CHECK(argc == 4);
	CHECK_STR(argv[1], "serve");
	CHECK_STR(argv[2], "--dir");
	CHECK_STR(argv[3], "m");
	CHECK(argv[4] == NULL);
	unsetenv("REGISTRY_UPLOAD_TTL");

	/* a named file that cannot be read stops start-up */
	unlink(path);
	char *argv2[] = {"registry", NULL};
	argc = 1;
	CHECK(!settings_load(&argc, argv2));
	unsetenv("REGISTRY_CONFIG");
}

int main(void)
{
	test_values();
	test_errors();
	test_precedence();
	return check_done("test_settings");
}
