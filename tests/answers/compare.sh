#!/usr/bin/env bash
# compare.sh - shows that two commits give the same answers: builds each in
# a throw-away worktree, brings up an instance of each on PORT, loads the
# example data, records a fixed crawl of answers (record.py) and diffs them.
#
#   tests/answers/compare.sh OLD_COMMIT NEW_COMMIT PORT
#
# Leaves var/answers/<commit>.txt; exits 0 when they are identical.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
old=${1:?old commit} new=${2:?new commit} port=${3:?port}
out=$ROOT/var/answers
mkdir -p "$out"

record() {
	local commit=$1 dir=$out/tree-$1
	rm -rf "$dir"
	git -C "$ROOT" worktree add --detach "$dir" "$commit" >/dev/null
	trap 'src/stack.sh down "$dir/var" >/dev/null 2>&1 || true' RETURN
	# the guides are content, not code: both serve NEW's
	rm -rf "$dir/docs"
	git -C "$ROOT" archive "$new" docs | tar -x -C "$dir"
	(cd "$dir" && nice make -s -j2 cgi-bin/registry >/dev/null)
	(cd "$dir" && STACK_FAST=1 src/stack.sh up var "$port" >/dev/null)
	(cd "$dir" && set -a && . var/env && set +a &&
		cgi-bin/registry example-data >/dev/null)
	python3 "$ROOT/tests/answers/record.py" "http://127.0.0.1:$port" \
		"$(cat "$dir/var/token")" "$out/$commit.txt"
	(cd "$dir" && src/stack.sh down var >/dev/null 2>&1)
	git -C "$ROOT" worktree remove --force "$dir"
}

old=$(git -C "$ROOT" rev-parse --short "$old")
new=$(git -C "$ROOT" rev-parse --short "$new")
[ "$old" != "$new" ] || { echo "the same commit twice" >&2; exit 2; }
record "$old"
record "$new"
echo "$(grep -c '^=== ' "$out/$old.txt") answers recorded"
diff -u "$out/$old.txt" "$out/$new.txt" && echo "identical: $old $new"
