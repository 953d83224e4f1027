#!/usr/bin/env bash
# install.sh - makes this checkout the local registry of the fair CLI
# (`make install-fair` runs it). The CLI starts and stops its local
# registry by running scripts/start_fair_registry and
# scripts/stop_fair_registry inside its registry directory
# (~/.fair/registry, or $FAIR_REGISTRY_DIR); this writes those two scripts,
# which call back into this checkout's src/stack.sh, so that
# `fair registry start` brings up this registry with its state under
# <registry dir>/var.
#
#   src/fair/install.sh [REGISTRY_DIR]
#
# Environment: FAIR_REGISTRY_DIR (the directory when none is given),
# FAIR_REGISTRY_STATE (where the database and logs go instead of
# REGISTRY_DIR/var; var then links there).
# Running it again rewrites the scripts and keeps the data and the token.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

die() {
	echo "install-fair: $*" >&2
	exit 1
}

DIR=${1:-${FAIR_REGISTRY_DIR:-$HOME/.fair/registry}}
[ -n "$DIR" ] || die "no registry directory given"
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

# src/stack.sh accepts only these characters in its state directory's path
# (they go into configuration files unquoted), and the checkout's path is
# written into the scripts between single quotes.
plain_path() {
	case $1 in
	*[!A-Za-z0-9_./+-]*) return 1 ;;
	esac
}
plain_path "$ROOT" || die "the checkout's path may only contain letters, digits and _ . / + - (got $ROOT)"

# PostgreSQL runs as the 'postgres' user when we are root, so the state
# directory must be reachable by it: as root with a private home (/root is
# mode 700) it cannot live under ~/.fair.
postgres_reaches() {
	[ "$(id -u)" = 0 ] || return 0
	id postgres >/dev/null 2>&1 || return 0 # stack.sh says what is missing
	(cd / && runuser -u postgres -- test -x "$1")
}

STATE_LINK=$DIR/var
if [ -e "$STATE_LINK" ] || [ -L "$STATE_LINK" ]; then
	# An earlier install: its data stays where it is.
	STATE=$(cd "$STATE_LINK" 2>/dev/null && pwd -P) ||
		die "$STATE_LINK exists but is not a directory"
	if [ -n "${FAIR_REGISTRY_STATE:-}" ] && [ "$STATE" != "$(mkdir -p "$FAIR_REGISTRY_STATE" && cd "$FAIR_REGISTRY_STATE" && pwd -P)" ]; then
		die "$STATE_LINK already holds this registry's data (in $STATE); move it or remove $STATE_LINK before choosing another FAIR_REGISTRY_STATE"
	fi
elif [ -n "${FAIR_REGISTRY_STATE:-}" ]; then
	mkdir -p "$FAIR_REGISTRY_STATE"
	STATE=$(cd "$FAIR_REGISTRY_STATE" && pwd -P)
	ln -s "$STATE" "$STATE_LINK"
elif postgres_reaches "$DIR"; then
	mkdir -m 755 "$STATE_LINK"
	STATE=$STATE_LINK
else
	# One directory per registry directory, named after its path.
	STATE=/var/lib/fair-registry/$(printf '%s' "$DIR" | sha1sum | cut -c1-12)
	mkdir -p "$STATE"
	chmod 755 /var/lib/fair-registry "$STATE"
	ln -s "$STATE" "$STATE_LINK"
	echo "PostgreSQL (user 'postgres') cannot enter $DIR, so the registry's"
	echo "database and logs go to $STATE ($STATE_LINK links there)."
fi
plain_path "$STATE" || die "the state directory's path may only contain letters, digits and _ . / + - (got $STATE); choose another with FAIR_REGISTRY_STATE=..."
postgres_reaches "$STATE" ||
	die "PostgreSQL runs as the user 'postgres', which cannot reach $STATE; choose another place with FAIR_REGISTRY_STATE=... or allow it (chmod o+x on the directories above it)"

mkdir -p "$DIR/scripts"
for name in start_fair_registry stop_fair_registry; do
	sed -e "s|@ROOT@|$ROOT|g" "$ROOT/src/fair/$name.in" >"$DIR/scripts/$name.new"
	chmod 755 "$DIR/scripts/$name.new"
	mv "$DIR/scripts/$name.new" "$DIR/scripts/$name"
done

echo "Installed this registry ($ROOT) as the fair CLI's local registry in $DIR"
echo "  fair registry start [--port 8000] [--address 127.0.0.1]   starts it"
echo "  fair registry stop                                        stops it"
echo "  its token: $DIR/token (after the first start); its data: $STATE"
if [ "$DIR" != "$HOME/.fair/registry" ]; then
	echo "Before \`fair init\`, export FAIR_REGISTRY_DIR=$DIR so that the CLI finds it."
fi
