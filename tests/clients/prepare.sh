# shellcheck shell=bash
# prepare.sh - sourced by tests/clients/run_clients.sh and
# tests/reference/run_reference.sh: the clients' Python modules from
# Debian's packages, then the script again inside a private network
# namespace (the fair CLI hard-codes 127.0.0.1:8000), when one can be made.
#
#   prepare_python WHAT DEBS MODULE...   install DEBS if a MODULE is missing
#   enter_netns FLAG_VAR ARGS...         re-run the calling script with
#                                        FLAG_VAR=1 inside `unshare -n`
# Both call the caller's skip() with WHAT when they cannot go on.

prepare_python() {
	local what=$1 debs=$2 missing
	shift 2
	missing=$(/usr/bin/python3 - "$@" <<'PYEOF'
import importlib.util, sys
print(" ".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))
PYEOF
	)
	command -v git >/dev/null && command -v openssl >/dev/null || missing="$missing git/openssl"
	[ -n "${missing// /}" ] || return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "Installing the dependencies of the $what from Debian (missing: $missing)"
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $debs >/dev/null 2>&1 ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $debs >/dev/null; } ||
			skip "$what: could not install $debs"
	else
		skip "$what: Python modules missing ($missing); install: apt-get install $debs"
	fi
}

# Returns only when no namespace can be made (not root, no unshare).
enter_netns() {
	local flag=$1
	shift
	if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null &&
		unshare -n true 2>/dev/null; then
		# shellcheck disable=SC2016 # $0 and $@ belong to the inner bash
		exec unshare -n -- env "$flag=1" bash -c 'ip link set lo up && exec bash "$0" "$@"' \
			"$@"
	fi
}
