"""A database restart costs no request (issue 16, item 6): a worker that
finds its connection gone reconnects and runs the request again when that
is safe, waiting up to db_wait seconds; a write is never run twice. The
same holds for a streaming replica promoted in place of a stopped primary,
found through a multi-host database setting (target_session_attrs)."""

import os
import shutil
import subprocess
import threading
import time
import uuid

import pytest
import requests

from scaling import env_of, kill_group, nginx_front, start_pool, wait_path
from test_replica import PGBIN, as_pg, metric, psql


def loop(base_url, auth, stop, results, writes, tag):
    s = requests.Session()
    n = 0
    while not stop.is_set():
        n += 1
        r = s.get(f"{base_url}/api/author/?page_size=5")
        results.append(("GET", r.status_code))
        name = f"restart {tag} {n}"
        r = s.post(f"{base_url}/api/author/", headers=auth,
                   json={"name": name})
        results.append(("POST", r.status_code))
        if r.status_code == 201:
            writes.append(name)


def test_fast_restart_fails_no_request(base_url, auth, var_dir, root_dir):
    stop = threading.Event()
    results, writes = [], []
    tag = uuid.uuid4().hex[:8]
    threads = [threading.Thread(target=loop, args=(base_url, auth, stop,
                                                   results, writes,
                                                   f"{tag}-{i}"))
               for i in range(3)]
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        before = len(results)
        subprocess.run(["bash", str(root_dir / "src" / "stack.sh"),
                        "db-restart", str(var_dir)], check=True,
                       capture_output=True, timeout=120)
        time.sleep(1.5)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    failed = [r for r in results if r[1] not in (200, 201)]
    assert before > 0 and len(results) > before + 6
    assert failed == [], f"{len(failed)} failed of {len(results)}: {failed[:5]}"
    # every write that answered 201 is there exactly once
    s = requests.Session()
    for name in writes[-10:]:
        got = s.get(f"{base_url}/api/author/", params={"name": name}).json()
        assert got["count"] == 1, name


# ---- a replica promoted in place of the primary ----------------------------

def copy_cluster(source_sock, source_port, work, name, port, standby):
    """A cluster copied with pg_basebackup from the one at source_sock,
    on a unix socket of its own (work/NAME.sock) and started: a standby
    streaming from it (-R) or, without, a primary of its own."""
    owner = "postgres" if os.geteuid() == 0 else None
    data, sock, log = work / name, work / f"{name}.sock", work / f"{name}.log"
    for d in (data, sock):
        d.mkdir(mode=0o700)
        if owner:
            shutil.chown(d, owner)
    log.touch()
    if owner:
        shutil.chown(log, owner)
    run = as_pg(f"{PGBIN}/pg_basebackup", "-h", str(source_sock), "-p",
                str(source_port), "-U", "registry", "-D", str(data),
                *(["-R"] if standby else []), "-X", "stream", "-c", "fast")
    assert run.returncode == 0, run.stderr
    conf = data / "stack.conf"
    conf.write_text(f"listen_addresses = ''\nport = {port}\n"
                    f"unix_socket_directories = '{sock}'\nfsync = off\n")
    if owner:
        shutil.chown(conf, owner)
    pg_ctl(data, log, "start")
    return data, sock, log


def pg_ctl(data, log, *args):
    run = as_pg(f"{PGBIN}/pg_ctl", "-D", str(data), "-l", str(log), "-w",
                "-t", "60", *args)
    assert run.returncode == 0, run.stdout + run.stderr
    return run


@pytest.fixture
def switchover(registry_bin, var_dir, root_dir, spare_ports):
    """A primary A (a copy of the suite's database) and its streaming
    replica B, a pool whose database is `host=A,B
    target_session_attrs=read-write` and whose reads go to B, and an
    nginx in front of it."""
    work = var_dir / "switchover"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    os.chmod(work, 0o755)
    started = []
    pool = nginx = None
    try:
        a, a_sock, a_log = copy_cluster(var_dir / "run" / "pg", 5432, work,
                                        "a", 5432, False)
        started.append(a)
        b, b_sock, b_log = copy_cluster(a_sock, 5432, work, "b", 5433, True)
        started.append(b)
        assert psql(b_sock, 5433, "SELECT pg_is_in_recovery()") == "t"
        sock = work / "pool.sock"
        pool = start_pool(registry_bin, var_dir, work, "pool", sock,
                          env=env_of(
                              var_dir,
                              REGISTRY_DATABASE_URL=(
                                  f"host={a_sock},{b_sock} port=5432,5433 "
                                  "dbname=registry user=registry "
                                  "target_session_attrs=read-write"),
                              REGISTRY_REPLICA=(
                                  f"host={b_sock} port=5433 "
                                  "dbname=registry user=registry"),
                              REGISTRY_DB_WAIT="5"))
        wait_path(sock)
        port = spare_ports[8]
        nginx = nginx_front(root_dir, work, port,
                            env_of(var_dir)["REGISTRY_DATA_DIR"],
                            f"server unix:{sock};", False)
        yield {"url": f"http://127.0.0.1:{port}", "work": work,
               "a": (a, a_log), "b": (b, b_log), "b_sock": b_sock}
    finally:
        if nginx:
            subprocess.run(nginx + ["-s", "quit"], timeout=30)
        if pool:
            kill_group(pool)
        for data in started:
            as_pg(f"{PGBIN}/pg_ctl", "-D", str(data), "-m", "immediate",
                  "stop")
        shutil.rmtree(work, ignore_errors=True)


def test_promoted_replica_fails_no_request(switchover, auth):
    """A planned switch-over: A stopped (fast), B promoted within about a
    second. The workers find B through the multi-host database setting
    without a restart; reads that went to B go on there or to the
    primary, which is now B too."""
    url = switchover["url"]
    tag = uuid.uuid4().hex[:8]
    s = requests.Session()
    before = [f"switch {tag} before {i}" for i in range(5)]
    for name in before:
        r = s.post(f"{url}/api/author/", headers=auth, json={"name": name})
        assert r.status_code == 201, r.text
    # reads are answered by the replica before the switch (once each
    # worker has seen it level with the primary)
    end = time.time() + 10
    while metric(url, "registry_replica_reads_total") == 0:
        assert time.time() < end, "no read went to the replica"
        assert s.get(f"{url}/api/author/").status_code == 200
        time.sleep(0.1)

    stop = threading.Event()
    results, posts = [], []
    threads = [threading.Thread(target=switch_loop,
                                args=(url, auth, stop, results, posts,
                                      f"switch {tag} {i}"))
               for i in range(3)]
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        n_before = len(results)
        a, a_log = switchover["a"]
        b, b_log = switchover["b"]
        t0 = time.monotonic()
        pg_ctl(a, a_log, "-m", "fast", "stop")
        # the operator's pause: reads meet a primary that is gone and a
        # replica not yet writable
        time.sleep(0.5)
        pg_ctl(b, b_log, "promote")
        took = time.monotonic() - t0
        time.sleep(2)
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    assert took < 3, f"the switch-over took {took:.1f} s"
    failed = [r for r in results if r[1] not in (200, 201)]
    assert n_before > 0 and len(results) > n_before + 6, len(results)
    assert failed == [], f"{len(failed)} failed of {len(results)}: " \
                         f"{failed[:5]}"
    # the rows on the new primary: each POST exactly once, and what was
    # written before the switch is there
    b_sock = switchover["b_sock"]
    assert psql(b_sock, 5433, "SELECT pg_is_in_recovery()") == "f"
    rows = psql(b_sock, 5433, "SELECT name, count(*) FROM author WHERE "
                f"name LIKE 'switch {tag} %' GROUP BY name").splitlines()
    counts = dict(line.split("|") for line in rows)
    assert all(c == "1" for c in counts.values()), \
        [n for n, c in counts.items() if c != "1"]
    assert set(counts) == set(before) | set(posts)
    log = (switchover["work"] / "pool.log").read_text()
    assert "not in recovery" in log  # B, once promoted, is no replica


def switch_loop(url, auth, stop, results, posts, prefix):
    s = requests.Session()
    n = 0
    while not stop.is_set():
        n += 1
        r = s.get(f"{url}/api/author/?page_size=5", headers=auth)
        results.append(("GET", r.status_code))
        name = f"{prefix} {n}"
        r = s.post(f"{url}/api/author/", headers=auth, json={"name": name})
        results.append(("POST", r.status_code, name))
        posts.append(name)
