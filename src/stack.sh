#!/usr/bin/env bash
# stack.sh - brings a whole local registry up or down: a private PostgreSQL
# cluster, the registry's FastCGI master and an nginx in front, all of their
# state under one directory, so several instances can live side by side and
# nothing system-wide is touched.
#
#   src/stack.sh up   VAR PORT [BINARY]   start (or restart) everything
#   src/stack.sh down VAR                 stop everything started from VAR
#   src/stack.sh destroy VAR              stop, then remove VAR and its cluster
#   src/stack.sh db-stop|db-start VAR     stop or start only its PostgreSQL
#   src/stack.sh db-restart VAR           pg_ctl restart -m fast
#   src/stack.sh pgbouncer VAR N          start PgBouncer (N server
#                                         connections) beside a running
#                                         stack; pgbouncer-stop VAR stops it
#
# Environment: STACK_FAST=1 runs PostgreSQL without fsync (test instances);
# STACK_ADDRESS=ADDR makes nginx listen on ADDR instead of 127.0.0.1 (the
# fair CLI's `fair registry start --address`; 0.0.0.0 is every interface);
# REGISTRY_DATA_DIR=DIR keeps the object store's files in DIR (default
# VAR/data); REGISTRY_REMOTE=1 makes a registry for others, which serves no
# file:// data from its own disk and registers its object store's root at
# REGISTRY_PUBLIC_URL/data/ (default http://ADDRESS:PORT/data/);
# REGISTRY_UPLOAD_TTL=SECONDS is how long upload URLs last (3600);
# STACK_PGBOUNCER=N puts PgBouncer (transaction pooling, N server
# connections, its own unix socket) between the workers and PostgreSQL
# (docs/scaling.md). STACK_REPLICA=1 adds a streaming replica of the
# cluster (pg_basebackup -R into VAR/replica, its own socket, no TCP) and
# answers the registry's reads from it (REGISTRY_REPLICA); together they
# are the scale-out setup of docs/scaling.md on one host. Both pass through
# `fair registry start` (src/fair/), which runs `stack.sh up`.
# REGISTRY_PREFIX=/PATH mounts the registry at http://ADDRESS:PORT/PATH/.
# STACK_PG_HOME=DIR is where a cluster the postgres user could not run
# inside VAR goes (pg_place; default: that user's home directory).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGUSER_NAME=registry
PGDB=registry
PGPORT_NUM=5432

die() {
	echo "stack.sh: $*" >&2
	exit 1
}

usage() {
	die "usage: stack.sh up VAR PORT [BINARY] | stack.sh down|destroy VAR"
}

# PostgreSQL refuses to run as root: its programs run as the unprivileged
# postgres system user then, from / so they never look at our cwd.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

find_pgbin() {
	local d
	for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
		if [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return
		fi
	done
	d=$(command -v pg_ctl 2>/dev/null) || die "PostgreSQL server programs not found (install the postgresql package)"
	dirname "$d"
}

# True while process $1 runs (a zombie nobody reaped does not count).
alive() {
	local stat
	kill -0 "$1" 2>/dev/null || return 1
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# The pid in FILE if that process is alive and its command line mentions
# WHAT (a recycled pid must not be mistaken for ours).
live_pid() {
	local file=$1 what=$2 pid cmd
	[ -s "$file" ] || return 1
	pid=$(tr -dc 0-9 <"$file")
	[ -n "$pid" ] && alive "$pid" || return 1
	cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
	case $cmd in
	*"$what"*) echo "$pid" ;;
	*) return 1 ;;
	esac
}

# Waits up to $2 tenths of a second for process $1 to be gone.
wait_gone() {
	local pid=$1 n=$2
	while [ "$n" -gt 0 ] && alive "$pid"; do
		sleep 0.1
		n=$((n - 1))
	done
	! alive "$pid"
}

set_paths() {
	[ -n "${1:-}" ] || usage
	mkdir -p "$1"
	VAR=$(cd "$1" && pwd)
	case $VAR in
	*[!A-Za-z0-9_./+-]*) die "the state directory's path may only contain letters, digits and _ . / + - (got $VAR)" ;;
	esac
	RUN=$VAR/run
	LOG=$VAR/log
	PG_PLACE=
	# The cluster, its socket directory and its log: under VAR, or, when
	# VAR/pg is a link, in the directory it points into (pg_place).
	PGDATA_DIR=$VAR/pg
	PG_SOCKDIR=$RUN/pg
	PG_LOGFILE=$LOG/postgresql.log
	if [ -L "$VAR/pg" ]; then
		PGDATA_DIR=$(readlink "$VAR/pg")
		PG_PLACE=$(dirname "$PGDATA_DIR")
		PG_SOCKDIR=$PG_PLACE/run
		PG_LOGFILE=$PG_PLACE/postgresql.log
	fi
	SOCKET=$RUN/registry.sock
	REG_PID=$RUN/registry.pid
	NGINX_DIR=$VAR/nginx
	NGINX_CONF=$NGINX_DIR/nginx.conf
	NGINX_PID=$RUN/nginx.pid
	PGB_DIR=$VAR/pgbouncer
	PGB_PORT=6432
	# The replica sits beside the primary's cluster, wherever that is.
	REPLICA_DIR=${PG_PLACE:-$VAR}/replica
	REPLICA_PGDATA=$REPLICA_DIR/pg
	REPLICA_SOCKDIR=$REPLICA_DIR/run
	REPLICA_LOGFILE=$REPLICA_DIR/postgresql.log
	REPLICA_PORT=5433
}

# Run as root, the cluster belongs to the postgres system user, which must
# reach its data through every parent directory. A checkout in a private
# home directory (/root/registry, mode 700) is out of its reach, and opening
# the home to it would quietly weaken that directory's protection: the
# cluster then lives in the postgres user's own home instead
# (~postgres/registry-stack/<VAR's path>/), VAR/pg links to it, and
# `stack.sh destroy VAR` removes both. Sets PG_OWNER and, if moved, paths.
pg_place() {
	local home place d='' part
	PG_OWNER=$(id -un)
	[ "$(id -u)" = 0 ] || return 0
	PG_OWNER=postgres
	id postgres >/dev/null 2>&1 || die "there is no 'postgres' system user (install the postgresql package)"
	[ -L "$VAR/pg" ] && return 0
	as_pg test -x "$VAR" && return 0
	for part in ${VAR//\// }; do
		d=$d/$part
		as_pg test -x "$d" || break
	done
	home=${STACK_PG_HOME:-$(getent passwd postgres | cut -d: -f6)}
	[ -n "$home" ] && [ -d "$home" ] || die "the postgres user cannot enter $d and has no home directory to keep the cluster in"
	[ ! -e "$VAR/pg" ] || die "$VAR/pg exists, but the postgres user cannot enter $d to run it (move the checkout, or: chmod o+x $d)"
	place=$home/registry-stack/$(echo "${VAR#/}" | tr / -)
	echo "PostgreSQL runs as the user 'postgres', which cannot enter $d; its cluster lives in $place (linked from $VAR/pg)"
	install -d -m 700 -o postgres -g postgres "$home/registry-stack" "$place"
	ln -s "$place/pg" "$VAR/pg"
	set_paths "$VAR"
}

pg_up() {
	local pgbin=$1 fresh=0
	install -d -m 755 "$LOG" "$RUN"
	# The socket's directory is the cluster owner's alone: no other local
	# user even reaches the socket. STACK_PEER_USERS names OS users that
	# run the registry too (a web server's user under mod_fcgid or CGI):
	# their group then reaches the socket, and they connect as the
	# registry's role.
	local peer_group=''
	PG_SOCK_MODE=0700
	PG_FRESH=0
	if [ -n "${STACK_PEER_USERS:-}" ]; then
		peer_group=$(id -gn "${STACK_PEER_USERS%% *}") ||
			die "STACK_PEER_USERS: no user ${STACK_PEER_USERS%% *}"
		# the directory is the gate (its group); the socket in it is
		# open, as the cluster's owner cannot give it another group
		PG_SOCK_MODE=0777
		install -d -m 750 -o "$PG_OWNER" -g "$peer_group" "$PG_SOCKDIR"
		chgrp "$peer_group" "$PG_SOCKDIR"
		chmod 750 "$PG_SOCKDIR"
	else
		install -d -m 700 -o "$PG_OWNER" "$PG_SOCKDIR"
	fi
	if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
		rm -rf "$PGDATA_DIR"
		install -d -m 700 -o "$PG_OWNER" "$PGDATA_DIR"
		echo "Creating the database cluster in $PGDATA_DIR"
		as_pg "$pgbin/initdb" -D "$PGDATA_DIR" -U "$PGUSER_NAME" \
			--auth=reject -E UTF8 --locale=C ${STACK_FAST:+--no-sync} \
			>"$LOG/initdb.log" 2>&1 ||
			{ cat "$LOG/initdb.log" >&2; die "initdb failed"; }
		echo "include_if_exists = 'stack.conf'" >>"$PGDATA_DIR/postgresql.conf"
		fresh=1
	fi
	# Only the OS user who runs the stack connects, and only as the
	# registry's role (peer authentication): not every local account.
	# Rewritten on every start, so a cluster made when everyone was
	# trusted is closed too.
	{
		echo "# written by src/stack.sh on every start"
		echo "local all all peer map=stack"
		echo "local replication all peer map=stack"
	} >"$PGDATA_DIR/pg_hba.conf"
	{
		local u
		echo "# written by src/stack.sh on every start"
		# the cluster's owner holds its files anyway (pg_basebackup)
		for u in "$(id -un)" "$PG_OWNER" ${STACK_PEER_USERS:-}; do
			echo "stack $u $PGUSER_NAME"
		done | sort -u
	} >"$PGDATA_DIR/pg_ident.conf"
	chown "$PG_OWNER" "$PGDATA_DIR/pg_hba.conf" "$PGDATA_DIR/pg_ident.conf"
	# Rewritten each time, so a moved directory gets the right paths. No
	# TCP at all; the socket lives in our own run directory.
	{
		echo "# written by src/stack.sh on every start"
		echo "listen_addresses = ''"
		echo "port = $PGPORT_NUM"
		echo "unix_socket_directories = '$PG_SOCKDIR'"
		echo "unix_socket_permissions = $PG_SOCK_MODE"
		fast_settings
	} >"$PGDATA_DIR/stack.conf"
	chown "$PG_OWNER" "$PGDATA_DIR/stack.conf"

	if as_pg "$pgbin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1 &&
		[ -S "$PG_SOCKDIR/.s.PGSQL.$PGPORT_NUM" ]; then
		as_pg "$pgbin/pg_ctl" -D "$PGDATA_DIR" reload >/dev/null
		echo "PostgreSQL already running"
	else
		# one started by an older stack.sh listens elsewhere
		pg_down >/dev/null
		touch "$PG_LOGFILE"
		chown "$PG_OWNER" "$PG_LOGFILE"
		as_pg "$pgbin/pg_ctl" -D "$PGDATA_DIR" -l "$PG_LOGFILE" \
			-w -t 60 start >/dev/null ||
			{ tail -n 20 "$PG_LOGFILE" >&2; die "PostgreSQL did not start (log: $PG_LOGFILE)"; }
		echo "PostgreSQL started"
	fi

	local psql=("$pgbin/psql" -X -q -h "$PG_SOCKDIR" -p "$PGPORT_NUM" -U "$PGUSER_NAME")
	local have
	have=$("${psql[@]}" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$PGDB'") ||
		die "cannot connect to PostgreSQL at $PG_SOCKDIR (log: $PG_LOGFILE)"
	if [ -z "$have" ]; then
		"${psql[@]}" -d postgres -c "CREATE DATABASE $PGDB" >/dev/null ||
			die "could not create the database $PGDB"
	fi
	# A new cluster knows no token that may still lie around.
	if [ "$fresh" = 1 ]; then
		rm -f "$VAR/token"
		PG_FRESH=1
	fi
}

fast_settings() {
	if [ -n "${STACK_FAST:-}" ]; then
		echo "fsync = off"
		echo "synchronous_commit = off"
		echo "full_page_writes = off"
	fi
}

# A streaming replica of the running cluster: pg_basebackup -R (the
# primary's pg_hba.conf lets its owner replicate), with a socket directory
# of its own made like the primary's. Made again when the primary's
# cluster is new (a copy of an older cluster would not follow it); kept,
# and only started, otherwise.
replica_up() {
	local pgbin=$1 n state=''
	if [ "${PG_FRESH:-0}" = 1 ] || [ ! -s "$REPLICA_PGDATA/PG_VERSION" ]; then
		replica_down >/dev/null
		rm -rf "$REPLICA_DIR"
		install -d -m 755 -o "$PG_OWNER" "$REPLICA_DIR"
		install -d -m 700 -o "$PG_OWNER" "$REPLICA_PGDATA"
		echo "Making a streaming replica in $REPLICA_PGDATA"
		as_pg "$pgbin/pg_basebackup" -h "$PG_SOCKDIR" -p "$PGPORT_NUM" \
			-U "$PGUSER_NAME" -D "$REPLICA_PGDATA" -R -X stream -c fast \
			${STACK_FAST:+--no-sync} >"$LOG/pg_basebackup.log" 2>&1 ||
			{ cat "$LOG/pg_basebackup.log" >&2; die "pg_basebackup failed"; }
	fi
	if [ "$PG_SOCK_MODE" = 0777 ]; then
		install -d -m 750 -o "$PG_OWNER" -g "$(stat -c %G "$PG_SOCKDIR")" "$REPLICA_SOCKDIR"
	else
		install -d -m 700 -o "$PG_OWNER" "$REPLICA_SOCKDIR"
	fi
	# replaces the primary's, which came along with the copy
	{
		echo "# written by src/stack.sh on every start (the replica)"
		echo "listen_addresses = ''"
		echo "port = $REPLICA_PORT"
		echo "unix_socket_directories = '$REPLICA_SOCKDIR'"
		echo "unix_socket_permissions = $PG_SOCK_MODE"
		fast_settings
	} >"$REPLICA_PGDATA/stack.conf"
	chown "$PG_OWNER" "$REPLICA_PGDATA/stack.conf"
	if as_pg "$pgbin/pg_ctl" -D "$REPLICA_PGDATA" status >/dev/null 2>&1; then
		as_pg "$pgbin/pg_ctl" -D "$REPLICA_PGDATA" reload >/dev/null
	else
		touch "$REPLICA_LOGFILE"
		chown "$PG_OWNER" "$REPLICA_LOGFILE"
		as_pg "$pgbin/pg_ctl" -D "$REPLICA_PGDATA" -l "$REPLICA_LOGFILE" \
			-w -t 60 start >/dev/null ||
			{ tail -n 20 "$REPLICA_LOGFILE" >&2; die "the replica did not start (log: $REPLICA_LOGFILE)"; }
	fi
	# in recovery, and streaming from the primary
	for n in $(seq 100); do
		state=$("$pgbin/psql" -X -q -At -h "$REPLICA_SOCKDIR" -p "$REPLICA_PORT" \
			-U "$PGUSER_NAME" -d "$PGDB" -c "SELECT pg_is_in_recovery()::text || ' ' ||
				(SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming')" \
			2>/dev/null) || true
		[ "$state" = "true 1" ] && break
		sleep 0.1
	done
	[ "$state" = "true 1" ] ||
		die "the replica in $REPLICA_PGDATA is not streaming from the primary (got '$state'; log: $REPLICA_LOGFILE)"
	echo "replica streaming (socket $REPLICA_SOCKDIR, port $REPLICA_PORT)"
}

replica_down() {
	cluster_down "$REPLICA_PGDATA" replica
}

# PgBouncer in transaction pooling mode on a unix socket of its own (no
# TCP), trusting the local user as the cluster does. It refuses to run as
# root, so it runs as the cluster's owner.
pgbouncer_up() {
	local pool=$1
	pgbouncer_down >/dev/null
	[ -x /usr/sbin/pgbouncer ] || die "pgbouncer is missing (make deps installs it)"
	install -d -m 755 -o "$PG_OWNER" "$PGB_DIR"
	echo '"registry" ""' >"$PGB_DIR/userlist.txt"
	cat >"$PGB_DIR/pgbouncer.ini" <<EOF
; written by src/stack.sh
[databases]
$PGDB = host=$PG_SOCKDIR port=$PGPORT_NUM dbname=$PGDB user=$PGUSER_NAME

[pgbouncer]
listen_addr =
listen_port = $PGB_PORT
unix_socket_dir = $PGB_DIR
auth_type = trust
auth_file = $PGB_DIR/userlist.txt
; SHOW STATS and the like on its console database "pgbouncer" (a check
; that the transactions went through it: tests/clients/run_clients.sh)
stats_users = $PGUSER_NAME
pool_mode = transaction
; after a failed login (a restarting server) try again soon: the
; default 15 s would outlast the registry's db_wait
server_login_retry = 1
default_pool_size = $pool
max_client_conn = 500
logfile = $LOG/pgbouncer.log
pidfile = $PGB_DIR/pgbouncer.pid
EOF
	touch "$LOG/pgbouncer.log"
	chown "$PG_OWNER" "$PGB_DIR/userlist.txt" "$PGB_DIR/pgbouncer.ini" "$LOG/pgbouncer.log"
	as_pg /usr/sbin/pgbouncer -d -q "$PGB_DIR/pgbouncer.ini" ||
		die "pgbouncer did not start (log: $LOG/pgbouncer.log)"
	for _ in $(seq 50); do
		[ -S "$PGB_DIR/.s.PGSQL.$PGB_PORT" ] && break
		sleep 0.1
	done
	[ -S "$PGB_DIR/.s.PGSQL.$PGB_PORT" ] || die "pgbouncer did not open its socket (log: $LOG/pgbouncer.log)"
	echo "pgbouncer started (transaction pooling, $pool server connections)"
}

pgbouncer_down() {
	local pid
	if pid=$(live_pid "$PGB_DIR/pgbouncer.pid" pgbouncer); then
		kill -INT "$pid" 2>/dev/null || true
		wait_gone "$pid" 50 || kill -KILL "$pid" 2>/dev/null || true
		echo "pgbouncer stopped"
	fi
}

registry_down() {
	local pid
	if pid=$(live_pid "$REG_PID" serve); then
		kill -TERM "$pid" 2>/dev/null || true
		if ! wait_gone "$pid" 300; then
			echo "registry master $pid did not stop in 30 s; killing it" >&2
			kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
			wait_gone "$pid" 50 || true
		fi
		echo "registry stopped"
	fi
	rm -f "$REG_PID" "$SOCKET"
}

registry_up() {
	local bin=$1 pid n
	# The binary may have been rebuilt: always start it afresh.
	registry_down >/dev/null
	# Its own session, so a terminal's ^C does not reach it; the database
	# settings come from var/env, exported by cmd_up.
	setsid "$bin" serve --socket "$SOCKET" --pidfile "$REG_PID" \
		</dev/null >>"$LOG/registry.log" 2>&1 &
	pid=$!
	for n in $(seq 100); do
		[ -S "$SOCKET" ] && [ -s "$REG_PID" ] && break
		alive "$pid" || break
		sleep 0.1
	done
	if [ ! -S "$SOCKET" ] || ! alive "$pid"; then
		tail -n 20 "$LOG/registry.log" >&2
		die "the registry did not start (log: $LOG/registry.log)"
	fi
	# Our own record in case the binary writes no pidfile.
	[ -s "$REG_PID" ] || echo "$pid" >"$REG_PID"
	echo "registry started ($bin)"
}

nginx_up() {
	local port=$1 user procs
	install -d -m 755 "$NGINX_DIR" "$NGINX_DIR/tmp"
	user=$(id -un)
	# nginx's part of a request is about a quarter of its CPU (the workers
	# and PostgreSQL do the rest), so half the cores are plenty; on a small
	# host fewer processes also means fewer of them taking turns on a core
	# (docs/performance.md, item 17).
	procs=$(($(nproc) / 2))
	[ "$procs" -ge 1 ] || procs=1
	sed -e "s|@VAR@|$VAR|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$port|g" \
		-e "s|@ADDRESS@|$LISTEN_HOST|g" -e "s|@PROCESSES@|$procs|g" \
		-e "s|@UPSTREAM@|server unix:$SOCKET;|g" -e "s|@KEEP_CONN@|off|g" \
		-e "s|@USER@|$user|g" \
		-e "s|@DATA@|$DATA_DIR|g" \
		-e "s|@PREFIX@|${REGISTRY_PREFIX:-}|g" \
		"$ROOT/nginx/registry.conf.in" >"$NGINX_CONF.new"
	# An unprivileged nginx cannot switch users; drop the line instead of
	# letting it warn.
	if [ "$(id -u)" != 0 ]; then
		sed -i '/^user /d' "$NGINX_CONF.new"
	fi
	mv "$NGINX_CONF.new" "$NGINX_CONF"
	local nginx=(/usr/sbin/nginx -p "$NGINX_DIR" -c "$NGINX_CONF" -e "$LOG/nginx-error.log")
	"${nginx[@]}" -t -q || die "nginx rejected $NGINX_CONF"
	# A restart rather than a reload: once we return, every worker
	# already runs the new configuration.
	nginx_down >/dev/null
	"${nginx[@]}" || die "nginx did not start (log: $LOG/nginx-error.log)"
	echo "nginx started"
}

nginx_down() {
	local pid
	if pid=$(live_pid "$NGINX_PID" nginx); then
		kill -QUIT "$pid" 2>/dev/null || true
		if ! wait_gone "$pid" 100; then
			kill -TERM "$pid" 2>/dev/null || true
			wait_gone "$pid" 50 || kill -KILL "$pid" 2>/dev/null || true
		fi
		echo "nginx stopped"
	fi
	rm -f "$NGINX_PID"
}

# Stops the cluster in DIR if it runs, saying "LABEL stopped".
cluster_down() {
	local dir=$1 label=$2 pgbin
	[ -s "$dir/PG_VERSION" ] || return 0
	pgbin=$(find_pgbin)
	if as_pg "$pgbin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
		as_pg "$pgbin/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null
		echo "$label stopped"
	fi
}

pg_down() {
	cluster_down "$PGDATA_DIR" PostgreSQL
}

wait_http() {
	local url=$1 code n
	for n in $(seq 300); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)
		[ "$code" = 200 ] && return 0
		sleep 0.1
	done
	tail -n 20 "$LOG/registry.log" "$LOG/nginx-error.log" >&2 || true
	die "$url did not answer 200 (last status: ${code:-none})"
}

# LISTEN_HOST for nginx's listen directive, URL_HOST for reaching it: an
# IPv6 address needs brackets in both, and a wildcard is reached through
# the loopback.
set_address() {
	case $1 in
	'' | *[!A-Za-z0-9.:-]*) die "bad listen address '$1'" ;;
	0.0.0.0) LISTEN_HOST=$1 URL_HOST=127.0.0.1 ;;
	::) LISTEN_HOST='[::]' URL_HOST='[::1]' ;;
	*:*) LISTEN_HOST="[$1]" URL_HOST="[$1]" ;;
	*) LISTEN_HOST=$1 URL_HOST=$1 ;;
	esac
}

cmd_up() {
	local port=${2:-} bin=${3:-$ROOT/cgi-bin/registry} pgbin token
	set_paths "${1:-}"
	case $port in
	'' | *[!0-9]*) usage ;;
	esac
	[ -x "$bin" ] || die "no registry binary at $bin (run make first)"
	set_address "${STACK_ADDRESS:-127.0.0.1}"
	bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
	command -v curl >/dev/null || die "curl is missing (make deps installs it)"
	[ -x /usr/sbin/nginx ] || die "nginx is missing (make deps installs it)"
	pg_place
	pgbin=$(find_pgbin)

	# The object store's files (src/store.c), where nginx also writes
	# uploads as they arrive: one filesystem, so a file moves in by link.
	DATA_DIR=${REGISTRY_DATA_DIR:-$VAR/data}
	mkdir -p "$DATA_DIR/objects" "$DATA_DIR/incoming"
	DATA_DIR=$(cd "$DATA_DIR" && pwd)
	case $DATA_DIR in
	*[!A-Za-z0-9_./+-]*) die "the data directory's path may only contain letters, digits and _ . / + - (got $DATA_DIR)" ;;
	esac

	pg_up "$pgbin"
	cat >"$VAR/env" <<EOF
PGHOST=$PG_SOCKDIR
PGPORT=$PGPORT_NUM
PGDATABASE=$PGDB
PGUSER=$PGUSER_NAME
REGISTRY_DATA_DIR=$DATA_DIR
REGISTRY_SESSION_KEY_FILE=$VAR/session.key
EOF
	# Exported from var/env for the registry's own commands too.
	set -a
	# shellcheck source=/dev/null
	. "$VAR/env"
	set +a
	"$bin" migrate --dir "$ROOT/migrations" || die "migrations failed"
	"$bin" user admin >/dev/null || die "could not create the admin user"
	# A registry for others (REGISTRY_REMOTE=1) registers its object
	# store's root now, so that on a new database it is storage_root 1,
	# where the fair CLI's push points the files it uploads.
	if [ -n "${REGISTRY_REMOTE:-}" ] && [ "$REGISTRY_REMOTE" != 0 ]; then
		"$bin" data-root "${REGISTRY_PUBLIC_URL:-http://$URL_HOST:$port${REGISTRY_PREFIX:-}}/data/" >/dev/null ||
			die "could not register the object store's storage root"
	fi
	if [ ! -s "$VAR/token" ]; then
		(
			umask 077
			"$bin" token admin >"$VAR/token.new"
		) || { rm -f "$VAR/token.new"; die "could not create a token"; }
		mv "$VAR/token.new" "$VAR/token"
	fi
	chmod 600 "$VAR/token"
	token=$(tr -d '[:space:]' <"$VAR/token")

	if [ -n "${STACK_PGBOUNCER:-}" ]; then
		pgbouncer_up "$STACK_PGBOUNCER"
		export REGISTRY_DATABASE_URL="host=$PGB_DIR port=$PGB_PORT dbname=$PGDB user=$PGUSER_NAME"
		export REGISTRY_PREPARED_STATEMENTS=unnamed
	fi
	if [ -n "${STACK_REPLICA:-}" ] && [ "$STACK_REPLICA" != 0 ]; then
		replica_up "$pgbin"
		export REGISTRY_REPLICA="host=$REPLICA_SOCKDIR port=$REPLICA_PORT dbname=$PGDB user=$PGUSER_NAME"
	else
		# an earlier start's replica would only follow, unused
		replica_down
	fi
	registry_up "$bin"
	nginx_up "$port"
	wait_http "http://$URL_HOST:$port${REGISTRY_PREFIX:-}/api/"

	echo
	echo "Registry API: http://$URL_HOST:$port${REGISTRY_PREFIX:-}/api/"
	echo "Token:        $token  (saved in $VAR/token)"
}

cmd_down() {
	[ -n "${1:-}" ] || usage
	[ -d "$1" ] || return 0
	set_paths "$1"
	nginx_down
	registry_down
	pgbouncer_down
	replica_down
	pg_down
	echo "Nothing is running from $VAR any more."
}

# Stops everything and removes VAR, and the cluster it links to, if any.
cmd_destroy() {
	[ -n "${1:-}" ] || usage
	[ -d "$1" ] || return 0
	cmd_down "$1" >/dev/null
	if [ -n "${PG_PLACE:-}" ]; then
		case $PG_PLACE in
		*/registry-stack/*) rm -rf "$PG_PLACE" ;;
		*) die "$VAR/pg links to $PG_PLACE, which stack.sh did not make; left alone" ;;
		esac
	fi
	rm -rf "$VAR"
}

case ${1:-} in
up)
	shift
	cmd_up "$@"
	;;
down)
	shift
	cmd_down "$@"
	;;
destroy)
	shift
	cmd_destroy "$@"
	;;
db-stop | db-start | db-restart)
	# only the database, to see the workers ride out an outage
	[ -d "${2:-}" ] || usage
	set_paths "$2"
	pg_place
	case $1 in
	db-stop) pg_down ;;
	db-start) pg_up "$(find_pgbin)" ;;
	db-restart)
		as_pg "$(find_pgbin)/pg_ctl" -D "$PGDATA_DIR" -l "$LOG/postgresql.log" \
			-m fast -w -t 60 restart >/dev/null
		;;
	esac
	;;
pgbouncer | pgbouncer-stop)
	[ -d "${2:-}" ] || usage
	set_paths "$2"
	pg_place
	if [ "$1" = pgbouncer ]; then
		case ${3:-} in '' | *[!0-9]*) usage ;; esac
		pgbouncer_up "$3"
	else
		pgbouncer_down
	fi
	;;
*) usage ;;
esac
