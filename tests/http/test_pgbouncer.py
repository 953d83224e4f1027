"""PgBouncer in transaction mode with named prepared statements left on
(issue 16, item 2): a worker whose statement is gone, or whose statement
name is taken, on the server connection it got this time says so in the
log, switches to unnamed statements and answers every request right. The
statement_timeout setting holds through it too, on server connections
made after the worker connected (it is set per transaction, not once per
session)."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time

import pytest
import requests

from pool_client import Pool
from scaling import env_of, kill_group, nginx_front, start_pool, wait_path


@pytest.fixture(scope="module")
def pgbouncer(var_dir, root_dir):
    ours = not (var_dir / "pgbouncer" / "pgbouncer.pid").exists()
    stack = ["bash", str(root_dir / "src" / "stack.sh")]
    if ours:
        subprocess.run(stack + ["pgbouncer", str(var_dir), "1"], check=True,
                       capture_output=True, timeout=60)
    try:
        yield (f"host={var_dir / 'pgbouncer'} port=6432 dbname=registry "
               "user=registry")
    finally:
        if ours:
            subprocess.run(stack + ["pgbouncer-stop", str(var_dir)],
                           capture_output=True, timeout=60)


def test_named_statements_through_pgbouncer_fall_back(
        registry_bin, var_dir, root_dir, spare_ports, pgbouncer, auth):
    work = var_dir / "pgb-named"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    sock = work / "pool.sock"
    pool = start_pool(registry_bin, var_dir, work, "pool", sock, env=env_of(
        var_dir, REGISTRY_DATABASE_URL=pgbouncer,
        REGISTRY_PREPARED_STATEMENTS="named"))
    nginx = None
    try:
        wait_path(sock)
        port = spare_ports[7]
        nginx = nginx_front(root_dir, work, port,
                            env_of(var_dir)["REGISTRY_DATA_DIR"],
                            f"server unix:{sock};", False)
        url = f"http://127.0.0.1:{port}"
        bad = []

        def loop(k):
            s = requests.Session()
            for i in range(6):
                for path in ("/api/author/", "/api/users/", "/api/object/",
                             "/api/storage_root/", "/api/author/?name=x*"):
                    r = s.get(url + path, headers=auth)
                    if r.status_code != 200:
                        bad.append((path, r.status_code, r.text))
                r = s.post(f"{url}/api/author/", headers=auth, json={
                    "name": f"pgbouncer named {os.getpid()} {k} {i}"})
                if r.status_code != 201:
                    bad.append(("POST", r.status_code, r.text))
        # at once, so that both workers take requests and meet on the
        # one server connection (one worker alone would never notice)
        threads = [threading.Thread(target=loop, args=(k,))
                   for k in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert bad == [], bad[:3]
        log = (work / "pool.log").read_text()
        assert "now uses unnamed statements" in log
    finally:
        if nginx:
            subprocess.run(nginx + ["-s", "quit"], timeout=30)
        kill_group(pool)


def run_as_owner(cmd, **kw):
    """PgBouncer refuses to run as root: as the cluster's owner then."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    return subprocess.run(cmd, cwd="/", capture_output=True, text=True,
                          timeout=60, **kw)


@contextlib.contextmanager
def own_pgbouncer(var_dir, name, **conf):
    """A PgBouncer of the test's own in var_dir/NAME, with conf's
    settings over the stack's; yields (its directory, conninfo)."""
    work = var_dir / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    os.chmod(work, 0o755)
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    ini = work / "pgbouncer.ini"
    (work / "userlist.txt").write_text('"registry" ""\n')
    conf = {"listen_addr": "", "listen_port": "6432",
            "unix_socket_dir": str(work), "auth_type": "trust",
            "auth_file": str(work / "userlist.txt"),
            "pool_mode": "transaction", "default_pool_size": "2",
            "server_login_retry": "1",
            "logfile": str(work / "pgbouncer.log"),
            "pidfile": str(work / "pgbouncer.pid"), **conf}
    ini.write_text(
        "[databases]\n"
        f"registry = host={var_dir / 'run' / 'pg'} port=5432 "
        "dbname=registry user=registry\n\n[pgbouncer]\n" +
        "".join(f"{k} = {v}\n" for k, v in conf.items()))
    run = run_as_owner(["/usr/sbin/pgbouncer", "-d", "-q", str(ini)])
    assert run.returncode == 0, run.stderr
    wait_path(work / ".s.PGSQL.6432")
    try:
        yield work, (f"host={work} port=6432 dbname=registry "
                     "user=registry")
    finally:
        pid = int((work / "pgbouncer.pid").read_text())
        os.kill(pid, signal.SIGINT)
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)


@pytest.fixture
def short_lived_pgbouncer(var_dir):
    """Transaction mode, 2 server connections, each closed once idle for
    a second: the server connections under a worker are then not the
    ones it connected through."""
    with own_pgbouncer(var_dir, "pgb-timeout", server_idle_timeout="1",
                       server_lifetime="1") as got:
        yield got


def pool_env(var_dir, work, **settings):
    """The suite's environment without its registry settings, but for
    the object store, and no settings file."""
    env = {k: v for k, v in env_of(var_dir).items()
           if not k.startswith("REGISTRY_")
           or k in ("REGISTRY_DATA_DIR", "REGISTRY_SESSION_KEY_FILE")}
    (work / "none.conf").write_text("")
    env.update(REGISTRY_CONFIG=str(work / "none.conf"), **settings)
    return env


def direct_psql(var_dir, sql):
    run = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                          "-c", sql], env=env_of(var_dir),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_statement_timeout_holds_through_pgbouncer(
        registry_bin, var_dir, short_lived_pgbouncer, token):
    """A read and a write that wait on a table another session holds
    locked are cancelled after the 300 ms statement_timeout and answered
    503, though the server connections PgBouncer gives them were made
    after the workers connected (and set whatever they set then)."""
    work, conninfo = short_lived_pgbouncer
    env = pool_env(var_dir, work, REGISTRY_DATABASE_URL=conninfo,
                   REGISTRY_PREPARED_STATEMENTS="unnamed",
                   REGISTRY_STATEMENT_TIMEOUT="300")
    pool = Pool([registry_bin], env, work / "pool.sock", work / "pool.log")
    try:
        assert pool.get("/api/file_type/")[0] == 200
        time.sleep(3)  # PgBouncer closes the server connections it had
        locker = threading.Thread(target=direct_psql, args=(
            var_dir, "BEGIN; LOCK TABLE file_type IN ACCESS EXCLUSIVE MODE;"
                     " SELECT pg_sleep(4); COMMIT;"))
        locker.start()
        try:
            for _ in range(100):  # until the lock is held
                if direct_psql(var_dir, "SELECT count(*) FROM pg_locks l "
                               "JOIN pg_class c ON c.oid = l.relation "
                               "WHERE c.relname = 'file_type' AND l.mode ="
                               " 'AccessExclusiveLock' AND l.granted"
                               ) == "1":
                    break
                time.sleep(0.05)
            start = time.monotonic()
            status, _, body = pool.get("/api/file_type/")
            took = time.monotonic() - start
            assert status == 503, (status, body[:300])
            assert b"took too long" in body
            assert took < 2.5, took
            # a write: its transaction sets the timeout (SET LOCAL)
            name = f"timeout {os.getpid()} {time.time()}"
            start = time.monotonic()
            status, _, body = pool.request(
                "POST", "/api/file_type/",
                body=json.dumps({"name": name,
                                 "extension": "tmo"}).encode(),
                headers={"Authorization": f"token {token}"})
            took = time.monotonic() - start
            assert status == 503, (status, body[:300])
            assert took < 2.5, took
        finally:
            locker.join()
        assert pool.get("/api/file_type/")[0] == 200
        assert direct_psql(var_dir, "SELECT count(*) FROM file_type WHERE "
                           f"name = '{name}'") == "0"
    finally:
        pool.stop()
    text = (work / "pool.log").read_text()
    assert "Sanitizer" not in text and "runtime error" not in text, text


def test_session_mode_with_too_few_server_connections(registry_bin,
                                                      var_dir, token):
    """PgBouncer in session mode with one server connection for two
    workers: the worker left without one says so in the log and answers
    503 (its /health/ready too); every other answer is right."""
    with own_pgbouncer(var_dir, "pgb-session", pool_mode="session",
                       default_pool_size="1",
                       query_wait_timeout="2") as (work, conninfo):
        env = pool_env(var_dir, work, REGISTRY_DATABASE_URL=conninfo,
                       REGISTRY_PREPARED_STATEMENTS="named",
                       REGISTRY_DB_WAIT="1")
        want = direct_psql(var_dir, "SELECT count(*) FROM users")
        pool = Pool([registry_bin], env, work / "pool.sock",
                    work / "pool.log")
        try:
            # past query_wait_timeout: the worker that got no server
            # connection has given up its first statement
            time.sleep(3)
            got = []

            def ask(path):
                for _ in range(3):
                    status, _, body = pool.get(
                        path, headers={"Authorization": f"token {token}",
                                       "Accept": "application/json"})
                    got.append((path, status, body))
            threads = [threading.Thread(target=ask, args=(p,)) for p in
                       ("/api/users/", "/api/users/", "/health/ready",
                        "/health/ready")]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
        finally:
            pool.stop()
    assert {s for _, s, _ in got} <= {200, 503}, got
    assert any(s == 200 for p, s, _ in got if p == "/api/users/"), got
    for path, status, body in got:
        if path == "/api/users/" and status == 200:
            assert json.loads(body)["count"] == int(want)
    log = (work / "pool.log").read_text()
    assert "registry: database: connected, but its first statement " \
        "failed" in log and "query_wait_timeout" in log, log[-2000:]
    # once per outage, not once per attempt
    assert log.count("its first statement failed") <= 2, log[-2000:]
