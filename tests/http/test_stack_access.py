"""Who may run and reach a private stack (src/stack.sh): only the OS user
that started it connects to its PostgreSQL; an ordinary user runs a whole
stack without root, and is told which packages are missing instead of
apt being called; root runs one from a private home directory (mode 700)
that the postgres user cannot enter."""

import os
import pwd
import stat
import subprocess
from pathlib import Path

import pytest
import requests

OTHER = "nobody"  # an ordinary account every Debian system has


def instance_env(var_dir):
    env = dict(os.environ)
    for line in (var_dir / "env").read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


def as_other(*argv, **kw):
    """argv as OTHER, with a clean environment of its own."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/nonexistent",
           "LANG": "C.UTF-8", **kw.pop("env", {})}
    pw = pwd.getpwnam(OTHER)
    return subprocess.run(["setpriv", "--reuid", str(pw.pw_uid), "--regid",
                           str(pw.pw_gid), "--clear-groups", "--", "env", "-i",
                           *[f"{k}={v}" for k, v in env.items()], *argv],
                          capture_output=True, text=True, timeout=300, **kw)


pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason="switching users needs root")


def test_another_local_user_cannot_connect(var_dir):
    env = instance_env(var_dir)
    sockdir = Path(env["PGHOST"])
    # the owner's alone, or also a named peer user's group (make test
    # names www-data, the user Apache runs mod_fcgid and CGI programs as)
    assert stat.S_IMODE(sockdir.stat().st_mode) & 0o027 == 0
    hba = (var_dir / "pg" / "pg_hba.conf").read_text()
    assert "trust" not in hba and "peer map=stack" in hba
    for user in ("registry", "postgres", OTHER):
        r = as_other("psql", "-X", "-h", str(sockdir), "-p", env["PGPORT"],
                     "-U", user, "-d", "registry", "-c", "SELECT 1")
        assert r.returncode != 0, f"{OTHER} connected as {user}"
        assert "Permission denied" in r.stderr, r.stderr  # psql's own
    # the stack's own user still does
    r = subprocess.run(["psql", "-X", "-At", "-c", "SELECT current_user"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "registry", r.stderr


def test_missing_packages_are_named_not_installed(root_dir):
    r = as_other("make", "-s", "-C", str(root_dir), "deps",
                 "PACKAGES=make no-such-package-h12b", "PACKAGES_CMD=")
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) >= 1 and "no-such-package-h12b" in lines[0], r.stderr
    # only what is missing, and nothing installed
    assert lines[0].endswith("apt-get install no-such-package-h12b")
    assert "Installing" not in r.stdout


def stack(root_dir, *args, run=subprocess.run, **env):
    e = dict(os.environ, STACK_FAST="1", **env)
    for k in ("PGHOST", "PGUSER", "PGDATABASE", "PGPORT"):
        e.pop(k, None)
    return run(["bash", str(root_dir / "src" / "stack.sh"), *args], env=e,
               capture_output=True, text=True, timeout=300)


def test_an_ordinary_user_runs_a_stack(var_dir, registry_bin, root_dir,
                                       spare_ports):
    home = var_dir / "ordinary"
    subprocess.run(["rm", "-rf", str(home)], check=True)
    home.mkdir()
    os.chown(home, pwd.getpwnam(OTHER).pw_uid, pwd.getpwnam(OTHER).pw_gid)
    port = spare_ports[0]
    script = str(root_dir / "src" / "stack.sh")
    up = as_other("bash", script, "up", str(home / "var"), str(port),
                  str(registry_bin), env={"STACK_FAST": "1"})
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        token = (home / "var" / "token").read_text().strip()
        r = requests.post(f"http://127.0.0.1:{port}/api/namespace/",
                          json={"name": "ordinary"},
                          headers={"Authorization": f"token {token}"})
        assert r.status_code == 201, r.text
        pid = (home / "var" / "pg" / "postmaster.pid").read_text().split()[0]
        owner = subprocess.run(["ps", "-o", "user=", "-p", pid],
                               capture_output=True, text=True).stdout.strip()
        assert owner == OTHER
    finally:
        down = as_other("bash", script, "destroy", str(home / "var"))
    assert down.returncode == 0, down.stderr
    assert not (home / "var").exists()


def test_root_runs_a_stack_from_a_private_home(var_dir, registry_bin,
                                               root_dir, spare_ports):
    private = var_dir / "private"
    subprocess.run(["rm", "-rf", str(private)], check=True)
    private.mkdir(mode=0o700)
    os.chmod(private, 0o700)
    # the postgres user's home stands in for ~postgres (not touched here)
    pghome = var_dir / "pghome"
    pghome.mkdir(exist_ok=True)
    port = spare_ports[1]
    vdir = private / "var"
    up = stack(root_dir, "up", str(vdir), str(port), str(registry_bin),
               STACK_PG_HOME=str(pghome))
    place = pghome / "registry-stack" / str(vdir).lstrip("/").replace("/",
                                                                     "-")
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        assert "cannot enter" in up.stdout and str(place) in up.stdout
        assert os.readlink(vdir / "pg") == str(place / "pg")
        assert stat.S_IMODE(private.stat().st_mode) == 0o700  # untouched
        r = requests.get(f"http://127.0.0.1:{port}/api/namespace/")
        assert r.status_code == 200, r.text
        # a second start finds the moved cluster again
        again = stack(root_dir, "up", str(vdir), str(port),
                      str(registry_bin), STACK_PG_HOME=str(pghome))
        assert again.returncode == 0, again.stderr
        assert "already running" in again.stdout
    finally:
        down = stack(root_dir, "destroy", str(vdir))
    assert down.returncode == 0, down.stderr
    assert not place.exists() and not vdir.exists()
