#!/usr/bin/env bash
# bench.sh - `make bench`: a fresh instance with durable PostgreSQL settings,
# loaded with BENCH_RUNS code runs through the API, measured by
# measure.py; with BENCH_SCALE=N also grown to N times the data with COPY
# and measured again (scale.py compares the two). The instance is torn down
# at the end whatever happens; the figures stay in VAR/bench/.
#
# Environment (defaults): BENCH_RUNS (1000), BENCH_SECONDS (10),
# BENCH_CONNECTIONS (32), BENCH_SCALE (1), BENCH_VAR (var/bench),
# BENCH_PORT (8400; the static ceiling listens on the next port),
# BENCH_JOBS (4 loader processes), BENCH_KEEP=1 leaves the instance up,
# BENCH_SCALEOUT=0 skips the scale-out scenario (scaleout.py: reads on a
# streaming replica, writes through PgBouncer; docs/scaling.md).
# BENCH_BASELINE=REV instead compares this checkout with the registry of
# git revision REV, side by side in one run (baseline.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
RUNS=${BENCH_RUNS:-1000}
SCALE=${BENCH_SCALE:-1}
VAR=${BENCH_VAR:-var/bench}
PORT=${BENCH_PORT:-8400}
STATIC_PORT=$((PORT + 1))
JOBS=${BENCH_JOBS:-4}
PY=/usr/bin/python3
HERE=tests/bench

if [ -n "${BENCH_BASELINE:-}" ]; then
	exec "$HERE/baseline.sh"
fi

for v in RUNS SCALE PORT JOBS; do
	case ${!v} in
	'' | *[!0-9]*) echo "bench.sh: BENCH_$v must be a number" >&2; exit 2 ;;
	esac
done

# The instance, and the nginx of the static ceiling if a run was cut short.
down() {
	local static=$VAR/bench/static
	if [ -s "$static/nginx.pid" ]; then
		/usr/sbin/nginx -p "$static" -c "$static/nginx.conf" -s stop \
			>/dev/null 2>&1 || true
	fi
	src/stack.sh down "$VAR" >/dev/null 2>&1 || true
}

# Durable: the figures must include real commits.
unset STACK_FAST
down
rm -rf "$VAR"
if [ "${BENCH_KEEP:-}" != 1 ]; then
	trap down EXIT INT TERM
fi
src/stack.sh up "$VAR" "$PORT" | grep -v '^Token:'

set -a
# shellcheck source=/dev/null
. "$VAR/env"
set +a
echo "PostgreSQL: fsync $(psql -X -Atc 'SHOW fsync')," \
	"synchronous_commit $(psql -X -Atc 'SHOW synchronous_commit')," \
	"workers $(pgrep -c -P "$(cat "$VAR/run/registry.pid")")," \
	"$(nproc) cores"

$PY $HERE/load.py "http://127.0.0.1:$PORT" "$(cat "$VAR/token")" \
	"$RUNS" "$JOBS"
# A registry that has been running a while has statistics and a
# visibility map; a freshly loaded one gets them now.
psql -X -q -c 'VACUUM ANALYZE'

mkdir -p "$VAR/bench"
$PY $HERE/measure.py "$VAR" "$PORT" "$STATIC_PORT" 1x |
	tee "$VAR/bench/report-1x.txt"

if [ "${BENCH_SCALEOUT:-1}" != 0 ]; then
	echo
	$PY $HERE/scaleout.py "$VAR" "$PORT" | tee "$VAR/bench/report-scaleout.txt"
fi

if [ "$SCALE" -gt 1 ]; then
	echo
	echo "Growing the registry to ${SCALE}x ($((RUNS * SCALE)) code runs) with COPY"
	$PY $HERE/copy_load.py "$VAR" "$RUNS" "$((RUNS * SCALE))"
	$PY $HERE/measure.py "$VAR" "$PORT" "$STATIC_PORT" "${SCALE}x" \
		S1,S2,S3,S4,S5 | tee "$VAR/bench/report-${SCALE}x.txt"
	$PY $HERE/scale.py "$VAR" "$PORT" 1x "${SCALE}x" |
		tee "$VAR/bench/report-scale.txt"
fi
