#!/usr/bin/env bash
# baseline.sh - `make bench BENCH_BASELINE=REV`: this checkout's registry
# against the one built from git revision REV, side by side in one run, so
# a change can show it made no scenario slower. Each side is its own
# instance (its own binary, migrations and stack.sh, as REV shipped them),
# loaded with the same data; compare.py then runs each HTTP scenario on
# new and old in pairs, BENCH_PASSES times (3), and sets the change against
# the spread of the pairs (the run-to-run noise). Figures in
# VAR-baseline/ (report.txt, compare.json), instances torn down at the end.
#
# Environment: BENCH_BASELINE (the revision), BENCH_PASSES (3),
# BENCH_COMPARE (the scenarios, default the HTTP ones), and bench.sh's
# BENCH_RUNS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_VAR, BENCH_PORT
# (new on PORT, old on PORT+2; their static ceilings on the next ports),
# BENCH_JOBS.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
REV=${BENCH_BASELINE:?BENCH_BASELINE names the revision to compare with}
RUNS=${BENCH_RUNS:-1000}
PORT=${BENCH_PORT:-8400}
JOBS=${BENCH_JOBS:-4}
OUT=$ROOT/${BENCH_VAR:-var/bench}-baseline
NEW=$OUT/new
OLD=$OUT/old
SRC=$OUT/src
PY=/usr/bin/python3
HERE=tests/bench

for v in RUNS PORT JOBS; do
	case ${!v} in
	'' | *[!0-9]*) echo "baseline.sh: BENCH_$v must be a number" >&2; exit 2 ;;
	esac
done
SHA=$(git rev-parse --verify "$REV^{commit}") ||
	{ echo "baseline.sh: $REV is not a revision of this repository" >&2; exit 2; }

down() {
	src/stack.sh down "$NEW" >/dev/null 2>&1 || true
	if [ -x "$SRC/src/stack.sh" ]; then
		"$SRC/src/stack.sh" down "$OLD" >/dev/null 2>&1 || true
	fi
}

unset STACK_FAST # durable: the figures include real commits
down
rm -rf "$OUT"
mkdir -p "$SRC"
trap down EXIT INT TERM

echo "Baseline: $REV ($(git log -1 --format='%h %s' "$SHA"))"
git archive "$SHA" | tar -x -C "$SRC"
make -C "$SRC" --no-print-directory all >"$OUT/build.log" 2>&1 ||
	{ echo "baseline.sh: $REV does not build (log: $OUT/build.log)" >&2; exit 1; }

src/stack.sh up "$NEW" "$PORT" | grep -v '^Token:'
"$SRC/src/stack.sh" up "$OLD" "$((PORT + 2))" | grep -v '^Token:'

for side in NEW OLD; do
	var=${!side}
	port=$PORT
	[ "$side" = OLD ] && port=$((PORT + 2))
	$PY $HERE/load.py "http://127.0.0.1:$port" "$(cat "$var/token")" "$RUNS" "$JOBS"
	(set -a && . "$var/env" && psql -X -q -c 'VACUUM ANALYZE')
done

$PY $HERE/compare.py "$NEW" "$PORT" "$OLD" "$((PORT + 2))" \
	"$(git describe --always --dirty)" "$(git rev-parse --short "$SHA")" |
	tee "$OUT/report.txt"
