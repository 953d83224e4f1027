/* test_pool.c - checks the master process (src/pool.c) through real
 * connections: a master runs pool_main() in a child with a tiny worker that
 * answers each connection with its pid, and we kill, reload and stop it.
 *
 * Prints one "ok - name" / "not ok - name" line per check and exits 1 if
 * any failed. Every wait has a deadline; the master's log goes to a file
 * that is printed only when something failed. */
#define _GNU_SOURCE

#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NWORKERS 3

static int failures;
static long seen[256]; /* every worker pid met, to clean up after a failure */
static int nseen;
static char dir[] = "/tmp/test_pool.XXXXXX";
static char sock_path[128], pid_path[128], log_path[128], count_path[128];

static void check(int ok, const char *name)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", name);
	if (!ok)
		failures++;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- the worker run by the pool ----------------------------------------- */

static void write_all(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

/* Commands, one byte: 'p' answer "<pid>\n"; 'h' answer, then hold the
 * connection until the client closes it (so N held connections prove N
 * distinct workers); 's' answer "busy <pid>\n", work 1 s, then "<pid>\n".
 * Reads and sleeps carry on after EINTR: a stop signal must not cut a
 * request short. */
static void serve(int c)
{
	char cmd = 0, buf[64];
	ssize_t n;
	struct timespec ts = {1, 0};

	while ((n = read(c, &cmd, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		return;
	if (cmd == 's') {
		snprintf(buf, sizeof buf, "busy %ld\n", (long)getpid());
		write_all(c, buf);
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	write_all(c, buf);
	if (cmd == 'h')
		while ((n = read(c, buf, sizeof buf)) > 0 ||
		       (n < 0 && errno == EINTR))
			;
}

/* The accept loop a FastCGI worker has: a stop signal interrupts accept()
 * (EINTR), a request in progress is finished first. */
static void test_worker(int listen_fd)
{
	while (!pool_stop) {
		int c = accept(listen_fd, NULL, NULL);

		if (c < 0)
			continue;
		serve(c);
		close(c);
	}
}

/* A worker that dies at once, leaving one byte in count_path per life. */
static void crashing_worker(int listen_fd)
{
	int fd = open(count_path, O_WRONLY | O_CREAT | O_APPEND, 0644);

	(void)listen_fd;
	if (fd >= 0) {
		if (write(fd, "x", 1) != 1)
			_exit(2);
		close(fd);
	}
}

/* ---- client side --------------------------------------------------------- */

static int connect_sock(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads one line (without the newline); -1 on EOF, error or timeout. */
static int read_line(int fd, char *buf, size_t size, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	size_t len = 0;

	while (len + 1 < size) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		n = read(fd, buf + len, 1);
		if (n <= 0)
			return -1;
		if (buf[len] == '\n') {
			buf[len] = '\0';
			return 0;
		}
		len++;
	}
	return -1;
}

/* Opens a connection, sends cmd and reads the worker's pid. Returns the
 * pid, or -1; the connection is left open in *fdp if fdp is given. */
static long ask(char cmd, int timeout_ms, int *fdp)
{
	char line[64];
	long pid = -1;
	int fd = connect_sock(sock_path);

	if (fd < 0)
		return -1;
	if (write(fd, &cmd, 1) == 1 &&
	    read_line(fd, line, sizeof line, timeout_ms) == 0)
		pid = strtol(line, NULL, 10);
	if (pid > 0 && nseen < (int)(sizeof seen / sizeof seen[0]))
		seen[nseen++] = pid;
	if (fdp != NULL && pid > 0)
		*fdp = fd;
	else
		close(fd);
	return pid;
}

/* Holds n connections at once, so n distinct workers must answer. Fills
 * pids[]; returns how many answered within the timeout. */
static int hold(int n, long pids[], int timeout_ms)
{
	int fds[64], i, got = 0;

	for (i = 0; i < n; i++) {
		fds[i] = -1;
		pids[i] = ask('h', timeout_ms, &fds[i]);
		if (pids[i] > 0)
			got++;
	}
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return got;
}

static int distinct(const long pids[], int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		if (pids[i] <= 0)
			return 0;
		for (j = 0; j < i; j++)
			if (pids[i] == pids[j])
				return 0;
	}
	return 1;
}

static int contains(const long pids[], int n, long pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] == pid)
			return 1;
	return 0;
}

static long parent_of(long pid)
{
	char path[64], buf[512], *p;
	long ppid = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	/* "pid (comm) state ppid ...": comm may hold spaces, so skip to
	 * the last ')'. */
	if (fgets(buf, sizeof buf, f) != NULL &&
	    (p = strrchr(buf, ')')) != NULL)
		sscanf(p + 1, " %*c %ld", &ppid);
	fclose(f);
	return ppid;
}

/* ---- processes ----------------------------------------------------------- */

/* kill() that never means "everyone": a failed step leaves -1 around. */
static void signal_pid(long pid, int sig)
{
	if (pid > 1)
		kill((pid_t)pid, sig);
}

static pid_t start_master(const char *pidfile, int workers, pool_worker_fn fn)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct pool_opts o = {.socket_path = sock_path,
		                      .pidfile = pidfile,
		                      .workers = workers};
		int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd >= 0)
			dup2(fd, STDERR_FILENO);
		exit(pool_main(&o, fn));
	}
	return pid;
}

/* Waits for pid (our child) to end; returns its status or -1 on timeout. */
static int wait_exit(pid_t pid, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int status;

	if (pid <= 0)
		return -1;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0 || now_ms() > deadline)
			return -1;
		sleep_ms(5);
	}
}

static void kill_and_reap(pid_t pid)
{
	if (pid > 0 && wait_exit(pid, 0) == -1) {
		signal_pid(pid, SIGKILL);
		wait_exit(pid, 2000);
	}
}

/* A master's worker is gone once the master reaped it (it is not a
 * zombie any more) and it was not handed to us as an orphan. */
static int gone(long pid, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;

	if (pid <= 1)
		return 0;
	for (;;) {
		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
			return 1;
		if (waitpid((pid_t)pid, NULL, WNOHANG) == pid)
			return 0; /* orphaned: the master did not wait */
		if (now_ms() > deadline)
			return 0;
		sleep_ms(5);
	}
}

static int wait_ready(int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;

	while (now_ms() < deadline) {
		if (ask('p', 500, NULL) > 0)
			return 1;
		sleep_ms(10);
	}
	return 0;
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* ---- tests --------------------------------------------------------------- */

/* pool_worker_signals: a stop signal interrupts a blocking accept() and
 * sets pool_stop; SIGPIPE is ignored. */
static void test_worker_signals(void)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
	static const char *names[] = {
	    "pool_worker_signals: SIGTERM interrupts accept, sets pool_stop",
	    "pool_worker_signals: SIGINT interrupts accept, sets pool_stop",
	    "pool_worker_signals: SIGHUP interrupts accept, sets pool_stop",
	};
	char path[100];
	int i;

	for (i = 0; i < 3; i++) {
		int ready[2];
		char c;
		pid_t pid;
		int status = -1;

		snprintf(path, sizeof path, "%s/ws%d.sock", dir, i);
		if (pipe(ready) < 0)
			break;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			struct sockaddr_un sa = {.sun_family = AF_UNIX};
			struct sigaction old;
			int fd;

			pool_worker_signals();
			sigaction(sigs[i], NULL, &old);
			if (old.sa_handler == SIG_DFL ||
			    (old.sa_flags & SA_RESTART))
				_exit(2);
			sigaction(SIGPIPE, NULL, &old);
			if (old.sa_handler != SIG_IGN)
				_exit(3);
			snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
			fd = socket(AF_UNIX, SOCK_STREAM, 0);
			if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
			    listen(fd, 1) < 0)
				_exit(4);
			if (write(ready[1], "r", 1) != 1)
				_exit(5);
			if (accept(fd, NULL, NULL) < 0 && errno == EINTR &&
			    pool_stop)
				_exit(0);
			_exit(1);
		}
		close(ready[1]);
		if (pid > 0 && read(ready[0], &c, 1) == 1) {
			sleep_ms(50); /* let it reach accept() */
			signal_pid(pid, sigs[i]);
			status = wait_exit(pid, 2000);
		}
		close(ready[0]);
		kill_and_reap(pid);
		unlink(path);
		check(status != -1 && WIFEXITED(status) &&
		          WEXITSTATUS(status) == 0,
		      names[i]);
	}
}

static void test_lifecycle(void)
{
	long pids[NWORKERS], after[NWORKERS], old[NWORKERS];
	long master_pid = 0;
	struct stat st;
	char line[64];
	FILE *f;
	pid_t m;
	int i, ok, fd, status, bad, requests, other;
	long long start;

	m = start_master(pid_path, NWORKERS, test_worker);
	check(m > 0 && wait_ready(3000), "master starts and answers");
	check(stat(sock_path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	          (st.st_mode & 0777) == 0666,
	      "socket has mode 0666");
	f = fopen(pid_path, "r");
	if (f != NULL) {
		if (fscanf(f, "%ld", &master_pid) != 1)
			master_pid = 0;
		fclose(f);
	}
	check(master_pid == m, "pidfile holds the master's pid");

	ok = hold(NWORKERS, pids, 2000) == NWORKERS && distinct(pids, NWORKERS);
	for (i = 0; ok && i < NWORKERS; i++)
		ok = parent_of(pids[i]) == m;
	check(ok, "N distinct workers, children of the master, answer");

	/* kill -9 one worker: it is replaced, the others are untouched. */
	signal_pid(pids[0], SIGKILL);
	/* Until it is reaped, a dying worker may still take a connection
	 * and drop it, which is kill -9, not the pool. */
	gone(pids[0], 2000);
	ok = hold(NWORKERS, after, 3000) == NWORKERS &&
	     distinct(after, NWORKERS) && !contains(after, NWORKERS, pids[0]);
	for (i = 1; ok && i < NWORKERS; i++)
		ok = contains(after, NWORKERS, pids[i]);
	check(ok, "a killed worker is replaced, the others keep serving");

	/* SIGHUP while requests keep coming: none may fail. */
	memcpy(old, after, sizeof old);
	bad = requests = other = 0;
	start = now_ms();
	while (now_ms() - start < 600) {
		long pid;

		if (requests == 20)
			signal_pid(m, SIGHUP);
		pid = ask('p', 2000, NULL);
		requests++;
		if (pid <= 0)
			bad++;
		else if (!contains(old, NWORKERS, pid))
			other++;
	}
	check(bad == 0 && other > 0 && requests > 40,
	      "SIGHUP: no connection fails during the change");
	ok = 1;
	for (i = 0; i < NWORKERS; i++)
		ok = ok && gone(old[i], 3000);
	check(ok, "SIGHUP: the old workers exit and are reaped");
	ok = hold(NWORKERS, after, 3000) == NWORKERS &&
	     distinct(after, NWORKERS);
	for (i = 0; ok && i < NWORKERS; i++)
		ok = !contains(old, NWORKERS, after[i]) &&
		     parent_of(after[i]) == m;
	check(ok, "SIGHUP: every worker pid changed, old ones not respawned");

	/* SIGTERM while a worker is busy: it finishes, then the master goes. */
	fd = connect_sock(sock_path);
	ok = fd >= 0 && write(fd, "s", 1) == 1 &&
	     read_line(fd, line, sizeof line, 2000) == 0 &&
	     strncmp(line, "busy ", 5) == 0;
	check(ok, "a slow request is in progress");
	signal_pid(m, SIGTERM);
	sleep_ms(200);
	check(m > 0 && waitpid(m, &status, WNOHANG) == 0,
	      "SIGTERM: the master waits for the busy worker");
	check(ok && read_line(fd, line, sizeof line, 3000) == 0 &&
	          atol(line) > 0,
	      "SIGTERM: the in-flight request completes");
	if (fd >= 0)
		close(fd);
	status = wait_exit(m, 5000);
	check(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "SIGTERM: the master exits with status 0");
	check(!exists(sock_path) && !exists(pid_path),
	      "socket and pidfile are removed");
	ok = 1;
	for (i = 0; i < NWORKERS; i++)
		ok = ok && gone(after[i], 1000);
	check(ok, "no worker outlives the master");
	kill_and_reap(m);
}

static void test_orphans_and_stale_socket(void)
{
	long pids[2];
	pid_t m, second;
	int status, ok;

	m = start_master(NULL, 2, test_worker);
	ok = m > 0 && wait_ready(3000) && hold(2, pids, 2000) == 2 &&
	     distinct(pids, 2);
	if (ok) {
		/* With both workers held, a third request must wait. */
		int fds[2] = {-1, -1};

		pids[0] = ask('h', 2000, &fds[0]);
		pids[1] = ask('h', 2000, &fds[1]);
		ok = pids[0] > 0 && pids[1] > 0 && ask('p', 300, NULL) < 0;
		close(fds[0]);
		close(fds[1]);
	}
	check(ok, "the workers option sets the pool size");

	second = start_master(NULL, 1, test_worker);
	status = wait_exit(second, 3000);
	check(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
	          ask('p', 2000, NULL) > 0,
	      "a second master refuses a socket in use");
	kill_and_reap(second);

	/* We are a subreaper, so orphans come to us and can be waited for. */
	signal_pid(m, SIGKILL);
	wait_exit(m, 2000);
	ok = 1;
	for (int i = 0; i < 2; i++) {
		int st = wait_exit((pid_t)pids[i], 3000);

		ok = ok && st != -1;
	}
	check(ok, "workers exit when the master is killed");

	check(exists(sock_path), "a killed master leaves its socket behind");
	m = start_master(NULL, 1, test_worker);
	check(m > 0 && wait_ready(3000), "a stale socket is replaced");
	signal_pid(m, SIGTERM);
	status = wait_exit(m, 5000);
	check(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	          !exists(sock_path),
	      "SIGTERM on an idle pool exits 0 and removes the socket");
	kill_and_reap(m);
}

/* Workers that die young are respawned, but not in a tight loop. */
static void test_crash_loop(void)
{
	struct stat st;
	pid_t m = start_master(NULL, 1, crashing_worker);
	int status;

	sleep_ms(1000);
	signal_pid(m, SIGTERM);
	status = wait_exit(m, 3000);
	kill_and_reap(m);
	/* Back-off 0, 0, 100, 200, 400 ms: about five lives in a second. */
	check(stat(count_path, &st) == 0 && st.st_size >= 3 && st.st_size <= 20,
	      "a crash loop is respawned with a back-off");
	check(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a crash-looping pool still stops on SIGTERM");
	unlink(count_path);
}

static void dump_log(void)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(log_path, "r");

	if (f == NULL)
		return;
	fprintf(stderr, "--- master log ---\n");
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(f);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Orphaned workers are re-parented to us, not to init, so a test can
	 * tell "exited" from "never reaped". */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* A test worker's SIGPIPE must not kill us when we hang up early. */
	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(sock_path, sizeof sock_path, "%s/fcgi.sock", dir);
	snprintf(pid_path, sizeof pid_path, "%s/registry.pid", dir);
	snprintf(log_path, sizeof log_path, "%s/master.log", dir);
	snprintf(count_path, sizeof count_path, "%s/lives", dir);

	test_worker_signals();
	test_lifecycle();
	test_orphans_and_stale_socket();
	test_crash_loop();

	if (failures > 0)
		dump_log();
	unlink(log_path);
	unlink(sock_path);
	unlink(pid_path);
	rmdir(dir);
	/* After a failure, workers may be left as our orphans: end them. */
	for (int i = 0; i < nseen; i++) {
		if (parent_of(seen[i]) == getpid()) {
			signal_pid(seen[i], SIGKILL);
			wait_exit((pid_t)seen[i], 1000);
		}
	}
	return failures > 0;
}
