"""`make install`: the FHS layout under PREFIX (and the same under DESTDIR),
an installed binary that finds its migrations and guides with no settings,
systemd units that `systemd-analyze verify` accepts, and a reload (SIGHUP,
what `systemctl reload` sends) that brings in a new binary and a changed
settings file with no failed request, and keeps the workers when the new
settings are bad."""

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from pool_client import Pool

FILES = ["bin/registry", "share/registry/migrations/0001_schema.sql",
         "share/registry/migrations/0006_collate_c.sql",
         "share/registry/static/registry.css",
         "share/registry/nginx/registry.conf.in",
         "share/doc/registry/deploy.md", "share/doc/registry/README.md",
         "share/doc/registry/examples/registry.conf",
         "etc/registry/registry.conf",
         "lib/systemd/system/registry.service",
         "lib/systemd/system/registry.socket"]


def make_install(root_dir, **vars):
    r = subprocess.run(["make", "-s", "-C", str(root_dir), "install",
                        *[f"{k}={v}" for k, v in vars.items()]],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]


def tree(top):
    return sorted(str(p.relative_to(top)) for p in top.rglob("*")
                  if not p.is_dir())


@pytest.fixture(scope="module")
def prefix(root_dir, var_dir):
    prefix = var_dir / "prefix"
    subprocess.run(["rm", "-rf", str(prefix)], check=True)
    make_install(root_dir, PREFIX=prefix)
    return prefix


def instance_env(var_dir, **extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("REGISTRY_")}
    for line in (var_dir / "env").read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    env.update(extra)
    return env


def test_layout_under_prefix_and_destdir(root_dir, var_dir, prefix):
    got = tree(prefix)
    for f in FILES:
        assert f in got, f
    assert os.access(prefix / "bin/registry", os.X_OK)
    conf = prefix / "etc/registry/registry.conf"
    assert oct(conf.stat().st_mode & 0o777) == "0o640"
    stage = var_dir / "stage"
    subprocess.run(["rm", "-rf", str(stage)], check=True)
    make_install(root_dir, DESTDIR=stage)  # PREFIX=/usr/local
    assert tree(stage / "usr/local") == got
    unit = (stage / "usr/local/lib/systemd/system/registry.service").read_text()
    assert "ExecStart=/usr/local/bin/registry serve" in unit
    assert "REGISTRY_CONFIG=/usr/local/etc/registry/registry.conf" in unit
    # an existing settings file is never overwritten
    conf.write_text("workers = 3\n")
    make_install(root_dir, PREFIX=prefix)
    assert conf.read_text() == "workers = 3\n"
    conf.write_text("")


def test_systemd_units_verify(prefix):
    units = prefix / "lib/systemd/system"
    r = subprocess.run(["systemd-analyze", "verify", "--man=no",
                        str(units / "registry.socket"),
                        str(units / "registry.service")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    service = (units / "registry.service").read_text()
    for option in ("User=registry", "NoNewPrivileges=yes",
                   "ProtectSystem=strict", "PrivateTmp=yes",
                   "ProtectHome=yes", "CapabilityBoundingSet=\n",
                   "ExecReload=/bin/kill -HUP $MAINPID"):
        assert option in service, option
    assert f"ExecStart={prefix}/bin/registry serve" in service


def test_installed_binary_finds_its_files(prefix, var_dir):
    r = subprocess.run([str(prefix / "bin/registry"), "config"],
                       env=instance_env(var_dir), capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert f"settings file: {prefix}/etc/registry/registry.conf" in r.stdout
    assert (f"migrations_dir = {prefix}/share/registry/migrations    "
            "# default") in r.stdout
    assert f"docs_dir = {prefix}/share/doc/registry    # default" in r.stdout
    # init on the instance's own database: migrations from the installed
    # place, all applied already, and admin has its token
    r = subprocess.run([str(prefix / "bin/registry"), "init"],
                       env=instance_env(var_dir), capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and r.stdout == "", r.stderr
    assert "has a token already" in r.stderr


def test_reload_swaps_binary_and_settings_without_a_failed_request(
        prefix, var_dir, tmp_path):
    binary = prefix / "bin/registry"
    conf = prefix / "etc/registry/registry.conf"
    conf.write_text("# the test's settings\n")
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "reloaded.md").write_text("# Reloaded\n\nnew settings\n")
    pool = Pool([binary], instance_env(var_dir), tmp_path / "reg.sock",
                tmp_path / "reg.log")
    failures, done, stop = [], [0], threading.Event()

    def loop():
        while not stop.is_set():
            status, _, body = pool.get("/api/namespace/")
            done[0] += 1
            if status != 200:
                failures.append((status, body[:200]))

    def workers():
        kids = subprocess.run(["pgrep", "-P", str(pool.proc.pid)],
                              capture_output=True, text=True).stdout.split()
        return {int(k) for k in kids}

    def settle(old):
        """Waits until none of old is left and the new ones are up."""
        for _ in range(200):
            now = workers()
            if now and not (now & old) and len(now) == 2:
                return now
            time.sleep(0.05)
        raise AssertionError(f"workers {workers()} still include {old}")

    threads = [threading.Thread(target=loop) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        first = workers()
        assert pool.get("/docs/reloaded.md")[0] == 404
        # a new binary (a new file at the same path, as install does) and
        # new settings
        new = binary.with_name("registry.new")
        subprocess.run(["cp", str(binary), str(new)], check=True)
        os.replace(new, binary)
        conf.write_text(f"docs_dir = {guides}\n")
        pool.proc.send_signal(signal.SIGHUP)
        second = settle(first)
        time.sleep(0.5)
        assert pool.get("/docs/reloaded.md")[0] == 200
        inode = binary.stat().st_ino
        for pid in second:
            assert os.stat(f"/proc/{pid}/exe").st_ino == inode
        # bad settings: the reload is refused, the workers stay
        conf.write_text("docs_dir = /nowhere\ncolour = blue\n")
        pool.proc.send_signal(signal.SIGHUP)
        time.sleep(1.5)
        assert workers() == second
        assert pool.get("/docs/reloaded.md")[0] == 200
        conf.write_text("")
        pool.proc.send_signal(signal.SIGHUP)
        settle(second)
        time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join()
        assert pool.stop() == 0
    log = (tmp_path / "reg.log").read_text()
    assert "the running workers stay" in log and "colour" in log
    assert done[0] > 50, done
    assert failures == [], failures[:5]
