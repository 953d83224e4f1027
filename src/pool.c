/* pool.c - the master process of `registry serve`: binds the FastCGI unix
 * socket, pre-forks the workers, respawns the ones that die, drains them on
 * SIGTERM/SIGINT and replaces them gracefully on SIGHUP.
 *
 * The master never touches a request. Its signal handlers only write the
 * signal number into a self-pipe; the main loop polls that pipe, so every
 * decision is taken in plain code, one event at a time, and a signal that
 * arrives while we are busy is simply read on the next turn. */
#define _GNU_SOURCE

#include "pool.h"
#include "metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define LISTEN_BACKLOG   1024
#define DRAIN_TIMEOUT_MS 10000 /* then SIGKILL */
#define QUICK_DEATH_MS   1000  /* dying younger than this hints a crash loop */
#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS   5000
#define FORK_RETRY_MS    1000

volatile sig_atomic_t pool_stop;

/* One place in the current generation. A slot outlives its workers so the
 * crash-loop backoff can remember how the previous ones died. */
struct slot {
	pid_t pid;            /* 0: nobody running, see respawn_at */
	long long started;    /* ms */
	long long respawn_at; /* ms */
	int quick_deaths;     /* consecutive deaths within QUICK_DEATH_MS */
};

/* A worker told to stop (older generation, or everyone at shutdown); it is
 * finishing its request and will not be replaced. */
struct retiree {
	pid_t pid;
	long long kill_at; /* ms: SIGKILL if still alive */
	int killed;
};

/* What the master catches (SIGPIPE: ignores) while it runs. */
static const int master_signals[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGPIPE};
#define NMASTER_SIGNALS (int)(sizeof master_signals / sizeof master_signals[0])

static struct {
	pool_worker_fn fn;
	pid_t master;
	int listen_fd;
	int sigpipe[2];
	int stopping;
	struct slot *slots;
	int nslots;
	struct retiree *retired;
	int nretired;
	int cap_retired;
	struct sigaction saved[NMASTER_SIGNALS]; /* the caller's handlers */
} P = {.listen_fd = -1, .sigpipe = {-1, -1}};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One line per event on stderr, written with a single write() so lines
 * from the master and the workers never interleave mid-line. */
static void logmsg(const char *fmt, ...)
{
	char line[512];
	time_t t = time(NULL);
	struct tm tm;
	size_t n;
	va_list ap;

	localtime_r(&t, &tm);
	strftime(line, sizeof line, "%Y-%m-%d %H:%M:%S", &tm);
	n = strlen(line);
	snprintf(line + n, sizeof line - n, " registry[%ld]: ", (long)getpid());
	n = strlen(line);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	n = strlen(line);
	if (n == sizeof line - 1)
		n--; /* truncated: make room for the newline */
	line[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, n);
	(void)w;
}

static const char *signame(int sig)
{
	switch (sig) {
	case SIGTERM:
		return "SIGTERM";
	case SIGINT:
		return "SIGINT";
	case SIGHUP:
		return "SIGHUP";
	default:
		return "signal";
	}
}

static void describe_status(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d",
		         WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)",
		         WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "ended with status 0x%x", status);
}

/* ---- signals ---------------------------------------------------------- */

static void on_master_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	/* The pipe is non-blocking: if it is ever full, the loop has plenty
	 * of wake-ups queued already and reaps children on every turn. */
	ssize_t w = write(P.sigpipe[1], &c, 1);
	(void)w;
	errno = saved;
}

static void on_worker_signal(int sig)
{
	(void)sig;
	pool_stop = 1;
}

void pool_worker_signals(void)
{
	struct sigaction sa;

	/* No SA_RESTART: a worker blocked in accept() must get EINTR so it
	 * sees pool_stop instead of waiting for one more connection. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_worker_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	/* A client that went away must cost an EPIPE, not the process. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static int master_signals_install(void)
{
	struct sigaction sa;
	int i;

	if (pipe2(P.sigpipe, O_NONBLOCK | O_CLOEXEC) < 0) {
		logmsg("pipe: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NMASTER_SIGNALS; i++) {
		sa.sa_handler = on_master_signal;
		sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
		if (master_signals[i] == SIGPIPE) {
			sa.sa_handler = SIG_IGN;
			sa.sa_flags = 0;
		}
		sigaction(master_signals[i], &sa, &P.saved[i]);
	}
	return 0;
}

/* pool_main may be called from a program that goes on afterwards (the unit
 * test), so leave no handler pointing at a closed pipe. */
static void master_signals_remove(void)
{
	int i;

	if (P.sigpipe[0] < 0)
		return; /* never installed */
	for (i = 0; i < NMASTER_SIGNALS; i++)
		sigaction(master_signals[i], &P.saved[i], NULL);
	if (P.sigpipe[0] >= 0)
		close(P.sigpipe[0]);
	if (P.sigpipe[1] >= 0)
		close(P.sigpipe[1]);
	P.sigpipe[0] = P.sigpipe[1] = -1;
}

/* ---- the listening socket ---------------------------------------------- */

/* A socket file left behind by a master that was killed is removed; one
 * that still answers belongs to a running server and is left alone. */
static int remove_stale_socket(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, err;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		logmsg("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		logmsg("%s exists and is not a socket", path);
		return -1;
	}
	/* Non-blocking, so a live server with a full backlog answers EAGAIN
	 * instead of making us wait. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		logmsg("socket: %s", strerror(errno));
		return -1;
	}
	err = 0;
	if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) < 0)
		err = errno;
	close(fd);
	if (err != ECONNREFUSED && err != ENOENT) {
		logmsg("%s: in use by another server (%s)", path,
		       err ? strerror(err) : "it accepts connections");
		return -1;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		logmsg("unlink %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_socket(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		logmsg("socket path too long: %s", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path));
	if (remove_stale_socket(path, &sa) < 0)
		return -1;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		logmsg("socket: %s", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		logmsg("bind %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	/* The web server usually runs as another user. */
	if (chmod(path, 0666) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
		logmsg("%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

/* "HOST:PORT" (or "[V6]:PORT"): a TCP listener, for front servers on
 * other hosts. A path never has this shape: it has a '/' or no ':'. */
bool pool_is_tcp(const char *listen)
{
	const char *colon = strrchr(listen, ':');
	return colon && colon[1] && !strchr(listen, '/') &&
	       strspn(colon + 1, "0123456789") == strlen(colon + 1);
}

static int open_tcp(const char *spec)
{
	char host[256];
	const char *colon = strrchr(spec, ':');
	size_t hn = (size_t)(colon - spec);
	if (hn >= sizeof host) {
		logmsg("listen address too long: %s", spec);
		return -1;
	}
	memcpy(host, spec, hn);
	host[hn] = 0;
	char *h = host;
	if (*h == '[' && hn > 1 && h[hn - 1] == ']') {
		h[hn - 1] = 0;
		h++;
	}
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
	                         .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *ai;
	int err = getaddrinfo(*h ? h : NULL, colon + 1, &hints, &ai);
	if (err) {
		logmsg("listen %s: %s", spec, gai_strerror(err));
		return -1;
	}
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 ||
	    listen(fd, LISTEN_BACKLOG) < 0) {
		/* an address in use is another server's: say so, and stop */
		logmsg("listen %s: %s", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "we");

	if (f == NULL) {
		logmsg("%s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0) {
		logmsg("%s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

static int worker_count(const struct pool_opts *o)
{
	long cores;

	if (o->workers > 0)
		return o->workers;
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	return cores > 0 ? 2 * (int)cores : 2;
}

/* ---- workers ----------------------------------------------------------- */

static _Noreturn void run_worker(const sigset_t *mask, int slot)
{
	close(P.sigpipe[0]);
	close(P.sigpipe[1]);
	signal(SIGCHLD, SIG_DFL);
	pool_worker_signals();
	pool_stop = 0;
#ifdef __linux__
	/* If the master dies, stop like on SIGTERM rather than linger. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	if (getppid() != P.master)
		_exit(0); /* the master died before prctl took effect */
	sigprocmask(SIG_SETMASK, mask, NULL);
	metrics_worker(slot);
	P.fn(P.listen_fd);
	_exit(0);
}

static void spawn(struct slot *s)
{
	sigset_t all, old;
	pid_t pid;

	/* Signals stay blocked across fork() until the child has replaced
	 * the master's handlers: a SIGTERM meant for a new worker must not
	 * run on_master_signal there and shut the master down. */
	int slot = metrics_slot_claim();
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0)
		run_worker(&old, slot);
	sigprocmask(SIG_SETMASK, &old, NULL);
	metrics_slot_set(slot, pid > 0 ? pid : 0);

	if (pid < 0) {
		logmsg("fork: %s; retrying in %d ms", strerror(errno),
		       FORK_RETRY_MS);
		s->pid = 0;
		s->respawn_at = now_ms() + FORK_RETRY_MS;
		return;
	}
	s->pid = pid;
	s->started = now_ms();
	logmsg("worker %ld started", (long)pid);
}

/* Tells a worker to finish its request and go; it is waited for but never
 * replaced. */
static void retire(pid_t pid, long long now)
{
	if (P.nretired == P.cap_retired) {
		int cap = P.cap_retired ? 2 * P.cap_retired : 2 * P.nslots;
		struct retiree *r = realloc(P.retired, cap * sizeof *r);

		if (r == NULL) {
			/* Untracked, it still stops: SIGTERM now, and the
			 * death signal if we exit first. */
			logmsg("out of memory; worker %ld not tracked",
			       (long)pid);
			kill(pid, SIGTERM);
			return;
		}
		P.retired = r;
		P.cap_retired = cap;
	}
	P.retired[P.nretired].pid = pid;
	P.retired[P.nretired].kill_at = now + DRAIN_TIMEOUT_MS;
	P.retired[P.nretired].killed = 0;
	P.nretired++;
	kill(pid, SIGTERM);
}

static long long backoff_ms(int quick_deaths)
{
	long long ms;

	/* One early death is bad luck; only a repeat is a crash loop. */
	if (quick_deaths <= 1)
		return 0;
	if (quick_deaths > 8)
		return BACKOFF_MAX_MS;
	ms = (long long)BACKOFF_FIRST_MS << (quick_deaths - 2);
	return ms < BACKOFF_MAX_MS ? ms : BACKOFF_MAX_MS;
}

static void worker_exited(pid_t pid, int status, long long now)
{
	char how[96];
	int i;

	describe_status(status, how, sizeof how);
	metrics_slot_release(pid);
	for (i = 0; i < P.nslots; i++) {
		struct slot *s = &P.slots[i];
		long long delay;

		if (s->pid != pid)
			continue;
		s->pid = 0;
		if (P.stopping) {
			logmsg("worker %ld %s", (long)pid, how);
			return;
		}
		if (now - s->started < QUICK_DEATH_MS)
			s->quick_deaths++;
		else
			s->quick_deaths = 0;
		delay = backoff_ms(s->quick_deaths);
		s->respawn_at = now + delay;
		logmsg("worker %ld %s; respawning in %lld ms", (long)pid, how,
		       delay);
		return;
	}
	for (i = 0; i < P.nretired; i++) {
		if (P.retired[i].pid != pid)
			continue;
		P.retired[i] = P.retired[--P.nretired];
		logmsg("worker %ld %s (stopped)", (long)pid, how);
		return;
	}
}

static void reap(void)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		worker_exited(pid, status, now_ms());
}

/* ---- events ------------------------------------------------------------ */

/* SIGHUP: a whole new generation first, so the socket is never without a
 * worker waiting on it; then the old one is told to finish and go. */
static void reload(void)
{
	pid_t *old = malloc(P.nslots * sizeof *old);
	long long now;
	int i;

	if (old == NULL) {
		logmsg("reload: out of memory; ignored");
		return;
	}
	logmsg("SIGHUP received: starting a new generation of %d workers",
	       P.nslots);
	for (i = 0; i < P.nslots; i++) {
		old[i] = P.slots[i].pid;
		P.slots[i].quick_deaths = 0;
		spawn(&P.slots[i]);
	}
	now = now_ms();
	for (i = 0; i < P.nslots; i++)
		if (old[i] > 0)
			retire(old[i], now);
	free(old);
}

static void shutdown_begin(void)
{
	long long now = now_ms();
	int i;

	logmsg("shutting down: waiting for workers to finish their requests");
	P.stopping = 1;
	for (i = 0; i < P.nslots; i++) {
		if (P.slots[i].pid > 0)
			retire(P.slots[i].pid, now);
		P.slots[i].pid = 0;
	}
}

static void handle_signals(void)
{
	unsigned char buf[64];
	ssize_t n, i;

	while ((n = read(P.sigpipe[0], buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++) {
			int sig = buf[i];

			if (sig == SIGCHLD)
				continue; /* reap() runs on every turn */
			if (P.stopping) {
				logmsg("%s: already shutting down",
				       signame(sig));
			} else if (sig == SIGHUP) {
				reload();
			} else {
				logmsg("%s received", signame(sig));
				shutdown_begin();
			}
		}
	}
}

/* Respawns that are due, and SIGKILL for workers that overran the drain. */
static void run_timers(long long now)
{
	int i;

	if (!P.stopping)
		for (i = 0; i < P.nslots; i++)
			if (P.slots[i].pid == 0 && P.slots[i].respawn_at <= now)
				spawn(&P.slots[i]);

	for (i = 0; i < P.nretired; i++) {
		struct retiree *r = &P.retired[i];

		if (r->killed || r->kill_at > now)
			continue;
		logmsg("worker %ld still busy after %d s; killing it",
		       (long)r->pid, DRAIN_TIMEOUT_MS / 1000);
		kill(r->pid, SIGKILL);
		r->killed = 1;
	}
}

/* Milliseconds until run_timers() has something to do, -1 for never. */
static int next_timeout(long long now)
{
	long long next = LLONG_MAX;
	int i;

	if (!P.stopping)
		for (i = 0; i < P.nslots; i++)
			if (P.slots[i].pid == 0 && P.slots[i].respawn_at < next)
				next = P.slots[i].respawn_at;
	for (i = 0; i < P.nretired; i++)
		if (!P.retired[i].killed && P.retired[i].kill_at < next)
			next = P.retired[i].kill_at;

	if (next == LLONG_MAX)
		return -1;
	if (next <= now)
		return 0;
	return next - now > INT_MAX ? INT_MAX : (int)(next - now);
}

static int running(void)
{
	int i, n = P.nretired;

	for (i = 0; i < P.nslots; i++)
		if (P.slots[i].pid > 0)
			n++;
	return n;
}

int pool_main(const struct pool_opts *o, pool_worker_fn fn)
{
	int i, rc = 1;

	if (o == NULL || o->socket_path == NULL || fn == NULL) {
		logmsg("pool_main: no socket path or worker");
		return 1;
	}
	memset(&P, 0, sizeof P);
	P.listen_fd = P.sigpipe[0] = P.sigpipe[1] = -1;
	P.fn = fn;
	P.master = getpid();
	P.nslots = worker_count(o);
	P.slots = calloc(P.nslots, sizeof *P.slots);
	if (P.slots == NULL) {
		logmsg("out of memory");
		return 1;
	}
	if (master_signals_install() < 0)
		goto out;
	bool tcp = pool_is_tcp(o->socket_path);
	P.listen_fd =
	    tcp ? open_tcp(o->socket_path) : open_socket(o->socket_path);
	if (P.listen_fd < 0)
		goto out;
	if (o->pidfile != NULL && write_pidfile(o->pidfile) < 0) {
		if (!tcp)
			unlink(o->socket_path);
		goto out;
	}
	metrics_init(P.nslots);
	logmsg("listening on %s with %d workers", o->socket_path, P.nslots);

	for (i = 0; i < P.nslots; i++)
		spawn(&P.slots[i]);

	while (!P.stopping || running() > 0) {
		struct pollfd pfd = {.fd = P.sigpipe[0], .events = POLLIN};

		if (poll(&pfd, 1, next_timeout(now_ms())) < 0 && errno != EINTR)
			logmsg("poll: %s", strerror(errno));
		handle_signals();
		reap();
		run_timers(now_ms());
	}

	if (!tcp)
		unlink(o->socket_path);
	if (o->pidfile != NULL)
		unlink(o->pidfile);
	logmsg("stopped");
	rc = 0;
out:
	if (P.listen_fd >= 0)
		close(P.listen_fd);
	master_signals_remove();
	free(P.slots);
	free(P.retired);
	memset(&P, 0, sizeof P);
	P.listen_fd = P.sigpipe[0] = P.sigpipe[1] = -1;
	return rc;
}
