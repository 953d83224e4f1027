#!/usr/bin/env bash
# run_clients.sh - the real clients against this registry: the unmodified
# fair CLI, pyDataPipeline and the SEIRS example model (pySimpleModel), run
# the way their own CI runs them, with the fair CLI's local registry being
# this one (installed by src/fair/install.sh, i.e. `make install-fair`).
#
#   tests/clients/run_clients.sh [FAIR_CLI_DIR PYDATAPIPELINE_DIR PYSIMPLEMODEL_DIR]
#
# The three checkouts come from the arguments, or from FAIR_CLI_DIR,
# PYDATAPIPELINE_DIR and PYSIMPLEMODEL_DIR, or from CLIENTS_DIR holding
# FAIR-CLI/, pyDataPipeline/ and pySimpleModel/. Without them it prints
# "skipped: ..." and exits 0 (CI has no copy of the clients; they are
# never part of this repository). Nothing in the clients is changed: they
# run with /usr/bin/python3, their dependencies from Debian's python3-*
# packages, and PYTHONPATH pointing at the checkouts.
#
# Scenarios (each step prints PASS or FAIL; the first failure ends the run
# with status 1):
#   1. fair init --ci --local, fair registry start, fair pull --local and
#      fair run --local simpleModel/ext/SEIRSconfig.yaml (a copy of the
#      model's config whose external object lives under a local file://
#      root), then a second fair run; the registry must hold the seed's
#      record (shared/spec/API.md §10) with true SHA-1 hashes, the second
#      run's outputs at version 0.0.2.
#   2. fair push of both runs' outputs to a second instance of this
#      registry started with REGISTRY_REMOTE=1 on 127.0.0.1:8001 (the
#      remote `fair init --ci` configures: user FAIRDataPipeline, its
#      token in the file the CLI's config names); the files must arrive
#      byte-identical at the remote's /data/<sha1>, its records point
#      there and its aliases redirect there.
#   3. a model using pyDataPipeline alone (pdp_model.py): initialise,
#      link_read, link_write, raise_issue, finalise.
#   4. fair registry stop, then start and stop on another port (8300).
# check_records.py and check_push.py verify the records through the API.
#
# Everything runs in a private network namespace when one can be made
# (root, unshare): `fair init --ci` always uses 127.0.0.1:8000 and the CLI's
# pull/run hard-code that address for their staging step, so the scenarios
# need port 8000, which must not collide with a registry already running
# there. Without a namespace the script runs only if port 8000 is free.
#
# Scale-out mode (CLIENTS_SCALEOUT=1; issue 16, docs/scaling.md): the same
# scenarios, with both registries (the CLI's local one, which `fair
# registry start` brings up, and the remote of scenario 2) started by
# src/stack.sh with STACK_PGBOUNCER=N (the workers' database connection
# through PgBouncer in transaction pooling mode, N = CLIENTS_PGBOUNCER,
# default 2 server connections, for REGISTRY_WORKERS, default 4, workers)
# and STACK_REPLICA=1 (a streaming replica made by pg_basebackup -R,
# answering the reads). The clients read right after they write: the
# registry's read-your-writes for a token is what keeps them right.
# Afterwards (local registry on 8000 and on 8300, remote before it goes
# down) a step checks that it really ran so: /metrics counts reads answered
# by the replica (registry_replica_reads_total > 0), PgBouncer's SHOW STATS
# counts transactions of the registry's database, and the replica holds
# the rows the clients wrote (the same row counts as the primary).
#
# Environment: REGISTRY_BIN (registry build to run; default
# cgi-bin/registry), CLIENTS_WORK (scratch directory, default a new one
# under /tmp, removed afterwards unless CLIENTS_KEEP=1), CLIENTS_SCALEOUT,
# CLIENTS_PGBOUNCER (above).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3

skip() {
	echo "skipped: $*"
	exit 0
}

if [ $# -ge 3 ]; then
	FAIR_CLI_DIR=$1 PYDATAPIPELINE_DIR=$2 PYSIMPLEMODEL_DIR=$3
elif [ -n "${CLIENTS_DIR:-}" ]; then
	FAIR_CLI_DIR=${FAIR_CLI_DIR:-$CLIENTS_DIR/FAIR-CLI}
	PYDATAPIPELINE_DIR=${PYDATAPIPELINE_DIR:-$CLIENTS_DIR/pyDataPipeline}
	PYSIMPLEMODEL_DIR=${PYSIMPLEMODEL_DIR:-$CLIENTS_DIR/pySimpleModel}
fi
if [ -z "${FAIR_CLI_DIR:-}" ] || [ -z "${PYDATAPIPELINE_DIR:-}" ] || [ -z "${PYSIMPLEMODEL_DIR:-}" ]; then
	skip "client scenarios: no checkouts of FAIR-CLI, pyDataPipeline and pySimpleModel given (set CLIENTS_DIR, or FAIR_CLI_DIR, PYDATAPIPELINE_DIR and PYSIMPLEMODEL_DIR, or pass the three paths)"
fi
for f in "$FAIR_CLI_DIR/fair/cli.py" "$PYDATAPIPELINE_DIR/data_pipeline_api/pipeline.py" \
	"$PYSIMPLEMODEL_DIR/simpleModel/ext/SEIRSconfig.yaml"; do
	[ -f "$f" ] || skip "client scenarios: $f is missing (not a checkout of the client?)"
done
FAIR_CLI_DIR=$(cd "$FAIR_CLI_DIR" && pwd)
PYDATAPIPELINE_DIR=$(cd "$PYDATAPIPELINE_DIR" && pwd)
PYSIMPLEMODEL_DIR=$(cd "$PYSIMPLEMODEL_DIR" && pwd)
export FAIR_CLI_DIR PYDATAPIPELINE_DIR PYSIMPLEMODEL_DIR

# The clients' dependencies (pyproject.toml of each), as Debian packages.
# fake-useragent is not packaged: stubs/fake_useragent.py stands in.
DEBS="git openssl iproute2 python3-git python3-jinja2 python3-click python3-email-validator
python3-pydantic python3-rich python3-semver python3-simplejson python3-validators
python3-matplotlib python3-yaml python3-toml python3-requests"
MODULES=(git jinja2 click email_validator pydantic rich semver simplejson validators
	matplotlib yaml toml requests)

# First pass (outside the namespace): dependencies, then re-run inside one.
if [ -z "${CLIENTS_IN_NETNS:-}" ]; then
	# shellcheck source=tests/clients/prepare.sh
	. "$HERE/prepare.sh"
	prepare_python "client scenarios" "$DEBS" "${MODULES[@]}"
	enter_netns CLIENTS_IN_NETNS "${BASH_SOURCE[0]}" "$@"
	if curl -s -o /dev/null --max-time 2 http://127.0.0.1:8000/ || (echo >/dev/tcp/127.0.0.1/8000) 2>/dev/null; then
		skip "client scenarios: port 8000 is in use and no private network namespace can be made (the fair CLI's ci mode needs 127.0.0.1:8000)"
	fi
	export CLIENTS_IN_NETNS=none
fi

# ---- from here on: the scenarios --------------------------------------

BIN=${REGISTRY_BIN:-$ROOT/cgi-bin/registry}
if [ ! -x "$BIN" ]; then
	make -C "$ROOT" --no-print-directory all >/dev/null || {
		echo "FAIL: could not build the registry ($BIN)"
		exit 1
	}
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

WORK=${CLIENTS_WORK:-$(mktemp -d /tmp/fair-clients.XXXXXX)}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
# PostgreSQL (as user postgres) must reach the registry's state in here.
chmod 755 "$WORK"
# Both registries run a copy of the build: a `make` in the checkout while
# the scenarios run would otherwise swap the binary under them (or leave
# none there for a moment).
echo "Client scenarios in $WORK (registry binary: $BIN)"
cp "$BIN" "$WORK/registry"
BIN=$WORK/registry
OFFLINE_PID=
export FAIR_REGISTRY_DIR=$WORK/home/.fair/registry
# The remote registry of scenario 2, brought up by src/stack.sh.
REMOTE_VAR=$WORK/remote

cleanup() {
	local rc=$?
	if [ -x "$FAIR_REGISTRY_DIR/scripts/stop_fair_registry" ]; then
		"$FAIR_REGISTRY_DIR/scripts/stop_fair_registry" >/dev/null 2>&1 || true
	fi
	if [ -f "$REMOTE_VAR/env" ]; then
		bash "$ROOT/src/stack.sh" down "$REMOTE_VAR" >/dev/null 2>&1 || true
	fi
	[ -z "$OFFLINE_PID" ] || kill "$OFFLINE_PID" 2>/dev/null || true
	if [ "${CLIENTS_KEEP:-}" = 1 ] || [ "$rc" != 0 ]; then
		echo "(scratch directory kept: $WORK)"
	else
		rm -rf "$WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private home: the CLI keeps its global state in ~/.fair.
mkdir -p "$WORK/home" "$WORK/bin" "$WORK/logs"
export HOME=$WORK/home
cat >"$HOME/.gitconfig" <<'EOF'
[user]
	name = Client Scenario
	email = client-scenario@example.org
[init]
	defaultBranch = main
EOF
# `fair` as pip would install it, and `python` (the model's run command)
# as Debian's python3; the pyenv shims and other PATH entries stay out.
cat >"$WORK/bin/fair" <<EOF
#!/bin/sh
exec $PY -c 'import sys; sys.argv[0] = "fair"; from fair.cli import cli; sys.exit(cli())' "\$@"
EOF
chmod 755 "$WORK/bin/fair"
ln -sf "$PY" "$WORK/bin/python"
ln -sf "$PY" "$WORK/bin/python3"
export PATH=$WORK/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
PYTHONPATH=$FAIR_CLI_DIR:$PYDATAPIPELINE_DIR
if ! $PY -c 'import fake_useragent' 2>/dev/null; then
	PYTHONPATH=$PYTHONPATH:$HERE/stubs
fi
export PYTHONPATH
export FAIR_REGISTRY_BIN=$BIN STACK_FAST=1
SCALEOUT=
if [ -n "${CLIENTS_SCALEOUT:-}" ] && [ "$CLIENTS_SCALEOUT" != 0 ]; then
	SCALEOUT=1
	# src/stack.sh reads these, also when `fair registry start` runs it
	export STACK_PGBOUNCER=${CLIENTS_PGBOUNCER:-2} STACK_REPLICA=1
	export REGISTRY_WORKERS=${REGISTRY_WORKERS:-4}
	echo "Scale-out mode: reads on a streaming replica, writes through PgBouncer" \
		"(transaction pooling, $STACK_PGBOUNCER server connections, $REGISTRY_WORKERS workers)"
fi
export MPLBACKEND=Agg
unset REGISTRY_URL REGISTRY_TOKEN REGISTRY_VAR

# No internet here: the CLI's GET of the external object's DOI goes to a
# local stand-in (offline_web.py), everything else stays direct.
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=offline-web -days 2 \
	-keyout "$WORK/offline.key" -out "$WORK/offline.crt" >/dev/null 2>&1
setsid $PY "$HERE/offline_web.py" "$WORK/offline.port" "$WORK/logs/offline_web.log" \
	"$WORK/offline.crt" "$WORK/offline.key" doi.org </dev/null >"$WORK/logs/offline_web.out" 2>&1 &
OFFLINE_PID=$!
for _ in $(seq 50); do
	[ -s "$WORK/offline.port" ] && break
	sleep 0.1
done
[ -s "$WORK/offline.port" ] || {
	echo "FAIL: the offline web stand-in did not start"
	exit 1
}
HTTPS_PROXY=http://127.0.0.1:$(cat "$WORK/offline.port")
export HTTPS_PROXY
export HTTP_PROXY=$HTTPS_PROXY NO_PROXY=127.0.0.1,localhost
export https_proxy=$HTTPS_PROXY http_proxy=$HTTP_PROXY no_proxy=$NO_PROXY

# The model's repository, as the CLI wants it: a git repository whose
# config is committed. The copy of SEIRSconfig.yaml differs from the
# original in one line, the external object's root (file:// instead of
# raw.githubusercontent.com), where the same file lies at the same path.
PROJECT=$WORK/project
EXTERNAL=$WORK/external
cp -a "$PYSIMPLEMODEL_DIR" "$PROJECT"
rm -rf "$PROJECT/.git" "$PROJECT/.fair"
SOURCE_CSV=$PYSIMPLEMODEL_DIR/simpleModel/ext/static_params_SEIRS.csv
EXT_PATH=FAIRDataPipeline/pySimpleModel/main/simpleModel/ext/static_params_SEIRS.csv
mkdir -p "$EXTERNAL/$(dirname "$EXT_PATH")"
cp "$SOURCE_CSV" "$EXTERNAL/$EXT_PATH"
CONFIG=simpleModel/ext/SEIRSconfig.yaml
sed -i "s|root: https://raw.githubusercontent.com/|root: file://$EXTERNAL/|" "$PROJECT/$CONFIG"
grep -q "root: file://$EXTERNAL/" "$PROJECT/$CONFIG" || {
	echo "FAIL: $CONFIG has no external root on raw.githubusercontent.com to redirect"
	exit 1
}
(
	cd "$PROJECT"
	git init -q .
	git add -A
	git commit -q -m "pySimpleModel, external object under a local root"
	git remote add origin https://github.com/FAIRDataPipeline/pySimpleModel.git
)

"$ROOT/src/fair/install.sh" "$FAIR_REGISTRY_DIR" >"$WORK/logs/install.log" 2>&1 || {
	cat "$WORK/logs/install.log"
	echo "FAIL: install-fair"
	exit 1
}

STEP=0
LAST_LOG=
# step NAME COMMAND... : runs it in the project, output to a log; on
# failure shows the log's tail and the registry's error log.
step() {
	local name=$1 log
	shift
	STEP=$((STEP + 1))
	log=$WORK/logs/$(printf '%02d' "$STEP")-${name//[^A-Za-z0-9]/_}.log
	LAST_LOG=$log
	if (cd "$PROJECT" && "$@") >"$log" 2>&1; then
		echo "PASS $name"
	else
		echo "FAIL $name (exit $?), last lines of $log:"
		tail -n 30 "$log" | sed 's/^/    /'
		for f in "$FAIR_REGISTRY_DIR/output.log" "$FAIR_REGISTRY_DIR/var/log/registry.log" \
			"$FAIR_REGISTRY_DIR/var/log/nginx-error.log" "$REMOTE_VAR/log/registry.log" \
			"$REMOTE_VAR/log/nginx-error.log"; do
			[ -s "$f" ] && { echo "  $f:"; tail -n 15 "$f" | sed 's/^/    /'; }
		done
		exit 1
	fi
}

API=http://127.0.0.1:8000/api/
CHECK=("$PY" "$HERE/check_records.py")

PGBIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
# scaleout_check VAR URL: the registry of src/stack.sh's state VAR,
# answering at URL, read from its replica and wrote through PgBouncer.
scaleout_check() {
	local var=$1 url=$2 sock=$1/run/pg rsock=$1/replica/run reads primary_reads waits xacts q p r rec
	# where stack.sh put the cluster (pg_place), and the replica beside it
	if [ -L "$var/pg" ]; then
		sock=$(dirname "$(readlink "$var/pg")")/run
		rsock=$(dirname "$(readlink "$var/pg")")/replica/run
	fi
	reads=$(curl -sf "$url/metrics" | awk '$1 == "registry_replica_reads_total" { print $2 }')
	primary_reads=$(curl -sf "$url/metrics" | awk '$1 == "registry_primary_reads_total" { print $2 }')
	waits=$(curl -sf "$url/metrics" | awk '$1 == "registry_replica_waits_total" { print $2 }')
	echo "registry_replica_reads_total ${reads:-none}, registry_primary_reads_total ${primary_reads:-none}," \
		"registry_replica_waits_total ${waits:-none}"
	# PgBouncer's console: the transactions it passed for the database
	xacts=$("$PGBIN/psql" -X -A -F '|' -h "$var/pgbouncer" -p 6432 -U registry -d pgbouncer \
		-c 'SHOW STATS' | awk -F '|' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "total_xact_count") c = i }
			NR > 1 && $1 == "registry" { print $c }')
	echo "PgBouncer SHOW STATS: total_xact_count ${xacts:-none} for the database registry"
	# the replica replays what the clients wrote: same counts as the primary
	q="SELECT (SELECT count(*) FROM code_run) || ' code runs, ' ||
		(SELECT count(*) FROM data_product) || ' data products, ' ||
		(SELECT count(*) FROM object) || ' objects, ' ||
		(SELECT count(*) FROM storage_location) || ' storage locations, ' ||
		(SELECT count(*) FROM issue) || ' issues'"
	p=$("$PGBIN/psql" -X -At -h "$sock" -U registry -d registry -c "$q")
	for _ in $(seq 100); do
		r=$("$PGBIN/psql" -X -At -h "$rsock" -p 5433 -U registry -d registry -c "$q") || true
		[ "$r" = "$p" ] && break
		sleep 0.1
	done
	echo "primary: $p"
	rec=$("$PGBIN/psql" -X -At -h "$rsock" -p 5433 -U registry -d registry -c 'SELECT pg_is_in_recovery()') || true
	echo "replica: $r (pg_is_in_recovery: $rec)"
	[ "${reads:-0}" -gt 0 ] && [ "${xacts:-0}" -gt 0 ] && [ -n "$p" ] && [ "$r" = "$p" ] &&
		[ "${p%% *}" -gt 0 ] && [ "$rec" = t ]
}
# scaleout_step NAME VAR URL: the check as a step, its figures shown
scaleout_step() {
	[ -n "$SCALEOUT" ] || return 0
	step "$1: reads answered by the replica, writes through PgBouncer, rows on the replica" \
		scaleout_check "$2" "$3"
	sed 's/^/    /' "$LAST_LOG"
}

step "fair init --ci --local" fair init --ci --local
step "fair registry start" fair registry start
step "the registry answers on 127.0.0.1:8000 and wrote token, session files" \
	bash -c "api_up() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 \"\$1\" | grep -qx 200; }
		api_up $API &&
		[ \"\$(cat $FAIR_REGISTRY_DIR/session_port.log)\" = 8000 ] &&
		[ \"\$(cat $FAIR_REGISTRY_DIR/session_address.log)\" = 127.0.0.1 ] &&
		[ \"\$(tr -d '[:space:]' <$FAIR_REGISTRY_DIR/token)\" = \"\$(tr -d '[:space:]' <$FAIR_REGISTRY_DIR/var/token)\" ] &&
		[ \"\$(stat -c %a $FAIR_REGISTRY_DIR/token)\" = 600 ]"
step "fair pull --local $CONFIG" fair pull --local "$CONFIG"
step "fair run --local $CONFIG" fair run --local "$CONFIG"
step "the seed's record: code run SEIRS Model python" "${CHECK[@]}" seirs "$API" 1 "$PROJECT" "$SOURCE_CSV"
step "fair run --local $CONFIG (again)" fair run --local "$CONFIG"
step "two code runs, outputs at 0.0.1 and 0.0.2" "${CHECK[@]}" seirs "$API" 2 "$PROJECT" "$SOURCE_CSV"

# fair push. `fair init --ci` gave the remote "origin" fixed settings:
# http://127.0.0.1:8001/api/, remote user FAIRDataPipeline and a token file
# (PROJECT/token in the CLI version at hand), which we read from the
# project's CLI config rather than guess. A second instance of this
# registry plays that remote, as a registry for others (REGISTRY_REMOTE=1:
# its object store is storage_root 1, where the push points every
# uploaded file). The namespace keeps port 8001 ours alone.
origin() {
	"$PY" -c 'import sys, yaml
print(yaml.safe_load(open(sys.argv[1]))["registries"]["origin"][sys.argv[2]])' \
		"$PROJECT/.fair/cli-config.yaml" "$1"
}
REMOTE_API=$(origin uri)
REMOTE_TOKEN=$(origin token)
case $REMOTE_API in
http://127.0.0.1:*/api/) REMOTE_PORT=${REMOTE_API#http://127.0.0.1:} REMOTE_PORT=${REMOTE_PORT%/api/} ;;
*)
	echo "FAIL: fair init --ci set the remote to $REMOTE_API, not a port on 127.0.0.1"
	exit 1
	;;
esac
PRODUCTS=(SEIRS_model/results/figure/python@0.0.1 SEIRS_model/results/model_output/python@0.0.2)
step "remote registry for $REMOTE_API (REGISTRY_REMOTE=1)" \
	env REGISTRY_REMOTE=1 bash "$ROOT/src/stack.sh" up "$REMOTE_VAR" "$REMOTE_PORT" "$BIN"
mkdir -p "$(dirname "$REMOTE_TOKEN")"
step "remote user FAIRDataPipeline, its token where the CLI reads it" \
	bash -c "set -a && . '$REMOTE_VAR/env' && set +a &&
		'$BIN' user FAIRDataPipeline && umask 077 &&
		'$BIN' token FAIRDataPipeline >'$REMOTE_TOKEN' &&
		curl -sf -H \"Authorization: token \$(cat '$REMOTE_TOKEN')\" ${REMOTE_API}username/ |
			grep -q FAIRDataPipeline"
for p in "${PRODUCTS[@]}"; do
	step "fair add testing:${p/@/@v}" fair add "testing:${p/@/@v}"
done
# The push log shows "File upload error: Working script ... was not
# uploaded": both runs' scripts are the same bytes, so the second upload
# URL request answers 409 (stored already), as the reference does.
step "fair push" fair push --debug
step "the pushed files: byte-identical at the remote's /data/<sha1>, records and aliases" \
	"$PY" "$HERE/check_push.py" "$API" "$REMOTE_API" "$FAIR_REGISTRY_DIR/token" "${PRODUCTS[@]}"
step "remote: no request answered with a 5xx" \
	bash -c "! grep -E '\" 5[0-9]{2} ' $REMOTE_VAR/log/nginx-access.log"
step "remote: no crash or sanitizer report in its log" \
	bash -c "! grep -E 'AddressSanitizer|runtime error:|LeakSanitizer|signal [0-9]+' $REMOTE_VAR/log/registry.log"
scaleout_step remote "$REMOTE_VAR" "${REMOTE_API%/api/}"
step "remote registry down" bash "$ROOT/src/stack.sh" down "$REMOTE_VAR"

mkdir -p "$WORK/pdp"
step "pyDataPipeline alone: initialise, link_read, link_write, raise_issue, finalise" \
	$PY "$HERE/pdp_model.py" "$API" "$FAIR_REGISTRY_DIR/token" "$WORK/pdp" "$WORK/pdp/summary.json"
step "pyDataPipeline records: runs, links and issues" "${CHECK[@]}" pdp "$API" "$WORK/pdp/summary.json"

LOCAL_VAR=$(cd "$FAIR_REGISTRY_DIR/var" && pwd -P)
scaleout_step "local (8000)" "$LOCAL_VAR" http://127.0.0.1:8000
step "fair registry stop" fair registry stop
step "nothing answers on 8000 any more" bash -c "! curl -s -o /dev/null --max-time 3 $API"
step "fair registry start --port 8300" fair registry start --port 8300
step "the registry answers on 8300 with the same data and token" \
	bash -c "[ \"\$(cat $FAIR_REGISTRY_DIR/session_port.log)\" = 8300 ] &&
		curl -sf -H \"Authorization: token \$(cat $FAIR_REGISTRY_DIR/token)\" \
			'http://127.0.0.1:8300/api/code_run/?description=SEIRS+Model+python' | grep -q '\"count\":2'"
scaleout_step "local (8300)" "$LOCAL_VAR" http://127.0.0.1:8300
step "fair registry stop (8300)" fair registry stop
step "no request answered with a 5xx" \
	bash -c "! grep -E '\" 5[0-9]{2} ' $FAIR_REGISTRY_DIR/var/log/nginx-access.log"
step "no crash or sanitizer report in the registry's log" \
	bash -c "! grep -E 'AddressSanitizer|runtime error:|LeakSanitizer|signal [0-9]+' $FAIR_REGISTRY_DIR/var/log/registry.log"

if [ -s "$WORK/logs/offline_web.log" ]; then
	echo "Internet requests the clients made (answered by the offline stand-in):"
	sort "$WORK/logs/offline_web.log" | uniq -c | sed 's/^/    /'
fi
if [ -n "$SCALEOUT" ]; then
	echo "All client scenarios passed (scale-out: reads on a replica, writes through PgBouncer)."
else
	echo "All client scenarios passed."
fi
