#!/usr/bin/env bash
# run_reference.sh - moving a Django reference registry into this one, end
# to end, with the real clients: the reference registry runs as the fair
# CLI's local registry, the unmodified fair CLI, pyDataPipeline and the
# SEIRS model (pySimpleModel) load it, `registry import` brings it into an
# empty instance of this registry, `registry import --verify` must find no
# difference, and the fair CLI, its local registry switched to ours, must
# read its earlier runs as it did from the reference.
#
#   tests/reference/run_reference.sh [REFERENCE_DIR CLIENTS_DIR]
#
# REFERENCE_DIR is a checkout of the Django registry (data-registry),
# CLIENTS_DIR holds FAIR-CLI/, pyDataPipeline/ and pySimpleModel/; from the
# arguments or the environment. Without them it prints "skipped: ..." and
# exits 0 (CI has no copies; none of their code is part of this
# repository). Nothing in the checkouts is changed: the reference is copied
# to the CLI's registry directory and run with Debian's python3-django
# (3.2; the reference asks for 4.2 but runs on 3.2) and the other python3-*
# packages; the few packages Debian lacks (django-grappelli,
# django-bootstrap-breadcrumbs, crispy-bootstrap3, rocrate) are replaced by
# the empty stand-ins in stubs/, enough for the API.
#
# Steps print PASS or FAIL; the first failure ends the run with status 1.
# Everything runs in a private network namespace when one can be made
# (root, unshare), as the CLI wants its local registry at 127.0.0.1:8000;
# otherwise only if port 8000 is free.
#
# Environment: REGISTRY_BIN (default cgi-bin/registry), REFERENCE_WORK
# (scratch directory, default a new one under /tmp, removed afterwards
# unless REFERENCE_KEEP=1 or a step failed), REFERENCE_PORT (this
# registry's port during the import, default 8610).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CLIENTS_HERE=$ROOT/tests/clients
PY=/usr/bin/python3

skip() {
	echo "skipped: $*"
	exit 0
}

if [ $# -ge 2 ]; then
	REFERENCE_DIR=$1 CLIENTS_DIR=$2
fi
if [ -z "${REFERENCE_DIR:-}" ] || [ -z "${CLIENTS_DIR:-}" ]; then
	skip "reference move: no checkouts given (set REFERENCE_DIR to the Django registry's and CLIENTS_DIR to the directory holding FAIR-CLI, pyDataPipeline and pySimpleModel)"
fi
for f in "$REFERENCE_DIR/manage.py" "$REFERENCE_DIR/drams/local-settings.py" \
	"$CLIENTS_DIR/FAIR-CLI/fair/cli.py" "$CLIENTS_DIR/pyDataPipeline/data_pipeline_api/pipeline.py" \
	"$CLIENTS_DIR/pySimpleModel/simpleModel/ext/SEIRSconfig.yaml"; do
	[ -f "$f" ] || skip "reference move: $f is missing (not a checkout?)"
done
REFERENCE_DIR=$(cd "$REFERENCE_DIR" && pwd)
CLIENTS_DIR=$(cd "$CLIENTS_DIR" && pwd)
export REFERENCE_DIR CLIENTS_DIR

# The reference's and the clients' dependencies, as Debian packages.
DEBS="git openssl iproute2 curl python3-django python3-djangorestframework python3-django-filters
python3-social-django python3-django-extensions python3-django-crispy-forms python3-prov
python3-whitenoise python3-markdown python3-pydot python3-networkx python3-rdflib python3-boto3
python3-semver python3-dateutil python3-git python3-jinja2 python3-click python3-email-validator
python3-pydantic python3-rich python3-simplejson python3-validators python3-matplotlib
python3-yaml python3-toml python3-requests"
MODULES=(django rest_framework django_filters social_django django_extensions crispy_forms prov
	whitenoise markdown pydot networkx rdflib boto3 semver dateutil git jinja2 click
	email_validator pydantic rich simplejson validators matplotlib yaml toml requests)

if [ -z "${REFERENCE_IN_NETNS:-}" ]; then
	# shellcheck source=tests/clients/prepare.sh
	. "$ROOT/tests/clients/prepare.sh"
	prepare_python "reference move" "$DEBS" "${MODULES[@]}"
	enter_netns REFERENCE_IN_NETNS "${BASH_SOURCE[0]}" "$@"
	if (echo >/dev/tcp/127.0.0.1/8000) 2>/dev/null; then
		skip "reference move: port 8000 is in use and no private network namespace can be made"
	fi
	export REFERENCE_IN_NETNS=none
fi

# ---- from here on: the move -------------------------------------------

BIN=${REGISTRY_BIN:-$ROOT/cgi-bin/registry}
if [ ! -x "$BIN" ]; then
	make -C "$ROOT" --no-print-directory all >/dev/null || {
		echo "FAIL: could not build the registry ($BIN)"
		exit 1
	}
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
PORT=${REFERENCE_PORT:-8610}

WORK=${REFERENCE_WORK:-$(mktemp -d /tmp/fair-reference.XXXXXX)}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
chmod 755 "$WORK" # PostgreSQL (as user postgres) keeps our instance in here
echo "Reference move in $WORK (registry binary: $BIN)"
cp "$BIN" "$WORK/registry"
BIN=$WORK/registry
OURS=$WORK/ours
OFFLINE_PID=
export FAIR_REGISTRY_DIR=$WORK/home/.fair/registry
DJANGO_DIR=$FAIR_REGISTRY_DIR

cleanup() {
	local rc=$?
	local d
	for d in "$FAIR_REGISTRY_DIR" "$WORK/home/.fair/registry-django"; do
		if [ -x "$d/scripts/stop_fair_registry" ]; then
			"$d/scripts/stop_fair_registry" >/dev/null 2>&1 || true
		fi
	done
	if [ -f "$OURS/env" ]; then
		bash "$ROOT/src/stack.sh" down "$OURS" >/dev/null 2>&1 || true
	fi
	[ -z "$OFFLINE_PID" ] || kill "$OFFLINE_PID" 2>/dev/null || true
	if [ "${REFERENCE_KEEP:-}" = 1 ] || [ "$rc" != 0 ]; then
		echo "(scratch directory kept: $WORK)"
	else
		rm -rf "$WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/home" "$WORK/bin" "$WORK/logs" "$WORK/out"
export HOME=$WORK/home
cat >"$HOME/.gitconfig" <<'EOF'
[user]
	name = Reference Move
	email = reference-move@example.org
[init]
	defaultBranch = main
EOF
cat >"$WORK/bin/fair" <<EOF
#!/bin/sh
exec $PY -c 'import sys; sys.argv[0] = "fair"; from fair.cli import cli; sys.exit(cli())' "\$@"
EOF
chmod 755 "$WORK/bin/fair"
ln -sf "$PY" "$WORK/bin/python"
ln -sf "$PY" "$WORK/bin/python3"
export PATH=$WORK/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
PYTHONPATH=$CLIENTS_DIR/FAIR-CLI:$CLIENTS_DIR/pyDataPipeline
if ! $PY -c 'import fake_useragent' 2>/dev/null; then
	PYTHONPATH=$PYTHONPATH:$CLIENTS_HERE/stubs
fi
export PYTHONPATH
export FAIR_REGISTRY_BIN=$BIN STACK_FAST=1 MPLBACKEND=Agg
unset REGISTRY_URL REGISTRY_TOKEN REGISTRY_VAR

STEP=0
# step NAME COMMAND... : runs it in the project, output to a log; on
# failure shows the log's tail and the registries' logs.
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
		for f in "$DJANGO_DIR/output.log" "$WORK/home/.fair/registry-django/output.log" \
			"$OURS/log/registry.log" "$OURS/log/nginx-error.log"; do
			[ -s "$f" ] && { echo "  $f:"; tail -n 15 "$f" | sed 's/^/    /'; }
		done
		exit 1
	fi
}

# ---- 1. the Django registry as the CLI's local registry ---------------
#
# Laid out as `fair registry install` lays it out (a copy of the checkout,
# venv/bin/python, migrations made afresh, superuser admin/admin), but with
# Debian's Python and the stand-ins instead of a virtualenv from PyPI.
mkdir -p "$DJANGO_DIR"
(cd "$REFERENCE_DIR" && tar --exclude=./.git --exclude=./venv --exclude=./db.sqlite3 -cf - .) |
	(cd "$DJANGO_DIR" && tar -xf -)
find "$DJANGO_DIR" -path '*/migrations/*.py*' -not -name '__init__.py' -delete
mkdir -p "$DJANGO_DIR/venv/bin"
cat >"$DJANGO_DIR/venv/bin/python" <<EOF
#!/bin/sh
PYTHONPATH=$HERE/stubs\${PYTHONPATH:+:\$PYTHONPATH} exec $PY "\$@"
EOF
chmod 755 "$DJANGO_DIR/venv/bin/python"
PROJECT=$DJANGO_DIR
django() {
	DJANGO_SETTINGS_MODULE=drams.local-settings DJANGO_SUPERUSER_USERNAME=admin \
		DJANGO_SUPERUSER_PASSWORD=admin "$DJANGO_DIR/venv/bin/python" "$DJANGO_DIR/manage.py" "$@"
}
django_rebuild() {
	django makemigrations custom_user && django makemigrations data_management &&
		django migrate && django createsuperuser --noinput
}
step "reference: makemigrations, migrate, createsuperuser admin (as fair registry install does)" \
	django_rebuild

# The model's repository, as run_clients.sh makes it: a git repository,
# the external object under a local file:// root, doi.org answered by the
# offline stand-in (no internet here).
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=offline-web -days 2 \
	-keyout "$WORK/offline.key" -out "$WORK/offline.crt" >/dev/null 2>&1
setsid $PY "$CLIENTS_HERE/offline_web.py" "$WORK/offline.port" "$WORK/logs/offline_web.log" \
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
export HTTPS_PROXY HTTP_PROXY=$HTTPS_PROXY NO_PROXY=127.0.0.1,localhost
export https_proxy=$HTTPS_PROXY http_proxy=$HTTPS_PROXY no_proxy=$NO_PROXY

PROJECT=$WORK/project
EXTERNAL=$WORK/external
cp -a "$CLIENTS_DIR/pySimpleModel" "$PROJECT"
rm -rf "$PROJECT/.git" "$PROJECT/.fair"
SOURCE_CSV=$CLIENTS_DIR/pySimpleModel/simpleModel/ext/static_params_SEIRS.csv
EXT_PATH=FAIRDataPipeline/pySimpleModel/main/simpleModel/ext/static_params_SEIRS.csv
mkdir -p "$EXTERNAL/$(dirname "$EXT_PATH")"
cp "$SOURCE_CSV" "$EXTERNAL/$EXT_PATH"
CONFIG=simpleModel/ext/SEIRSconfig.yaml
sed -i "s|root: https://raw.githubusercontent.com/|root: file://$EXTERNAL/|" "$PROJECT/$CONFIG"
(
	cd "$PROJECT"
	git init -q .
	git add -A
	git commit -q -m "pySimpleModel, external object under a local root"
	git remote add origin https://github.com/FAIRDataPipeline/pySimpleModel.git
)

API=http://127.0.0.1:8000/api/
step "fair init --ci --local" fair init --ci --local
step "fair registry start (the Django registry, its own start script)" fair registry start
step "the Django registry answers on 127.0.0.1:8000 with the token it wrote" \
	bash -c "curl -sf -H \"Authorization: token \$(cat $DJANGO_DIR/token)\" ${API}users/ | grep -q '\"username\":\"admin\"'"

# ---- 2. loaded by the real clients --------------------------------------
step "fair pull --local $CONFIG" fair pull --local "$CONFIG"
step "fair run --local $CONFIG" fair run --local "$CONFIG"
step "fair run --local $CONFIG (again)" fair run --local "$CONFIG"
step "two SEIRS code runs in the Django registry" \
	bash -c "curl -sf '${API}code_run/?description=SEIRS+Model+python' | grep -q '\"count\":2'"
mkdir -p "$WORK/pdp"
step "pyDataPipeline alone: initialise, link_read, link_write, raise_issue, finalise" \
	$PY "$CLIENTS_HERE/pdp_model.py" "$API" "$DJANGO_DIR/token" "$WORK/pdp" "$WORK/pdp/summary.json"
step "issues raised in the Django registry" \
	bash -c "curl -sf '${API}issue/' | grep -q '\"count\":[1-9]'"

# ---- 3. the import into an empty instance of ours -----------------------
TOKEN=$(tr -d '[:space:]' <"$DJANGO_DIR/token")
step "this registry, empty, on 127.0.0.1:$PORT" bash "$ROOT/src/stack.sh" up "$OURS" "$PORT" "$BIN"
ours() {
	# shellcheck disable=SC1091 # written by stack.sh up
	(set -a && . "$OURS/env" && set +a && "$BIN" "$@")
}
ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
t0=$(ms)
step "registry import $API --token ..." ours import "$API" --token "$TOKEN"
IMPORT_TIME=$(secs $(($(ms) - t0)))
IMPORT_LOG=$LAST_LOG
t0=$(ms)
step "registry import --verify $API --token ...: no difference" ours import --verify "$API" --token "$TOKEN"
VERIFY_TIME=$(secs $(($(ms) - t0)))
VERIFY_LOG=$LAST_LOG

# A run after the import, then the import again: exactly the new records
# come over (the reference's last_updated and cursors, as they are).
total() { $PY "$HERE/records.py" total "$API" "$DJANGO_DIR/token"; }
BEFORE=$(total)
step "fair run --local $CONFIG against the Django registry, after the import" fair run --local "$CONFIG"
NEW=$(($(total) - BEFORE))
import_again() {
	ours import "$API" --token "$TOKEN" >"$WORK/again.out" || return 1
	cat "$WORK/again.out"
	grep -q ", $NEW written, " "$WORK/again.out"
}
step "registry import again: the $NEW new records, nothing else" import_again
AGAIN_LOG=$LAST_LOG
step "registry import --verify again: no difference" ours import --verify "$API" --token "$TOKEN"
step "every record, field by field, the same here (records.py compare, apart from --verify)" \
	$PY "$HERE/records.py" compare "$API" "$DJANGO_DIR/token" "http://127.0.0.1:$PORT/api/" "$OURS/token"
MAX_RUN=$($PY "$HERE/records.py" max-id "$API" "$DJANGO_DIR/token" code_run)

# What the CLI reads of its earlier runs, from the Django registry.
JOBS=()
# The CLI lists code runs and data products through a Python set, whose
# order changes from one process to the next unless the hash seed is fixed.
cli_reads() {
	local out=$1 j
	export PYTHONHASHSEED=0
	fair log >"$out/log.txt"
	fair list code-runs >"$out/code-runs.txt"
	fair list data-products >"$out/data-products.txt"
	fair find --local testing:SEIRS_model/results/model_output/python@v0.0.1 >"$out/find.txt"
	fair identify --local "$SOURCE_CSV" >"$out/identify.txt"
	for j in "${JOBS[@]}"; do
		fair view "$j" >"$out/view-$j.txt"
	done
}
mapfile -t JOBS < <(cd "$PROJECT" && fair log | sed -n 's/^job # \([0-9a-f]\{7,\}\).*/\1/p')
step "fair log lists the pull and the three runs" test "${#JOBS[@]}" = 4
mkdir -p "$WORK/out/django" "$WORK/out/ours"
step "fair log, view, list, find, identify against the Django registry" cli_reads "$WORK/out/django"

# ---- 4. the CLI switched to ours ----------------------------------------
# The Django registry is stopped and moved aside; ours is installed as the
# CLI's local registry in its place (make install-fair), with the imported
# data as its state, and answers on 127.0.0.1:8000 from now on.
step "fair registry stop (the Django registry)" fair registry stop
step "this registry down" bash "$ROOT/src/stack.sh" down "$OURS"
mv "$DJANGO_DIR" "$WORK/home/.fair/registry-django"
step "this registry installed as the CLI's local registry, with the imported data" \
	env FAIR_REGISTRY_STATE="$OURS" "$ROOT/src/fair/install.sh" "$FAIR_REGISTRY_DIR"
step "fair registry start (this registry)" fair registry start
step "fair log, view, list, find, identify against this registry" cli_reads "$WORK/out/ours"
for f in "$WORK"/out/django/*.txt; do
	step "the same answer from both: $(basename "$f")" diff -u "$f" "$WORK/out/ours/$(basename "$f")"
done
step "the code runs fair view names are found by uuid here" \
	bash -c "for u in \$(cat $WORK/out/ours/view-*.txt | sed -n 's/^[[:space:]]*- *\([0-9a-f-]\{36\}\).*/\1/p'); do
		curl -sf \"${API}code_run/?uuid=\$u\" | grep -q '\"count\":1' || { echo \"code run \$u not found\"; exit 1; }
		n=\$((n + 1)); done; echo \"\$n code runs\"; [ \"\${n:-0}\" -ge 2 ]"
step "fair run --local $CONFIG on this registry: outputs at 0.0.4" fair run --local "$CONFIG"
step "four SEIRS code runs, the new one with an id above the imported ($MAX_RUN)" \
	bash -c "curl -sf '${API}code_run/?description=SEIRS+Model+python' | grep -q '\"count\":4' &&
		curl -sf '${API}data_product/?name=SEIRS_model/results/model_output/python&version=0.0.4' | grep -q '\"count\":1' &&
		[ \"\$($PY '$HERE/records.py' max-id '$API' '$FAIR_REGISTRY_DIR/token' code_run)\" -gt $MAX_RUN ]"
step "fair registry stop (this registry)" fair registry stop
step "no request answered with a 5xx" bash -c "! grep -E '\" 5[0-9]{2} ' $OURS/log/nginx-access.log"

echo "Figures:"
sed 's/^/    import: /' "$IMPORT_LOG"
echo "    import: $IMPORT_TIME s, verify: $VERIFY_TIME s (wall, including the reference answering)"
tail -n 1 "$AGAIN_LOG" | sed 's/^/    import again: /'
tail -n 3 "$VERIFY_LOG" | sed 's/^/    verify: /'
echo "All reference move steps passed."
