"""A read replica (issue 16, item 3): a streaming replica made by
pg_basebackup -R in its own directory; GETs are answered from it, writes
go to the primary, a token reads its own writes, and reads go to the
primary when the replica is down, lagging or no replica, and to the
replica when the primary is down (where writes answer 503 with
Retry-After)."""

import glob
import os
import re
import shutil
import subprocess
import time
import uuid

import pytest
import requests

from scaling import env_of, kill_group, nginx_front, start_pool, wait_path

PGBIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]


def as_pg(*cmd, **kw):
    if os.geteuid() == 0:
        cmd = ("runuser", "-u", "postgres", "--") + cmd
    return subprocess.run(cmd, cwd="/", capture_output=True, text=True,
                          timeout=120, **kw)


def psql(host, port, sql):
    run = subprocess.run(["psql", "-X", "-At", "-h", str(host), "-p",
                          str(port), "-U", "registry", "-d", "registry",
                          "-c", sql], capture_output=True, text=True,
                         timeout=30)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def stack(root_dir, *args):
    subprocess.run(["bash", str(root_dir / "src" / "stack.sh"), *args],
                   check=True, capture_output=True, timeout=120)


class Replica:
    def __init__(self, var_dir, work, port):
        self.dir, self.sock, self.port = work / "pg", work / "sock", port
        self.log = work / "replica.log"
        self.primary = var_dir / "run" / "pg"

    def create(self):
        owner = "postgres" if os.geteuid() == 0 else None
        for d in (self.dir, self.sock):
            d.mkdir(mode=0o700)
            if owner:
                shutil.chown(d, owner)
        self.log.touch()
        if owner:
            shutil.chown(self.log, owner)
        run = as_pg(f"{PGBIN}/pg_basebackup", "-h", str(self.primary),
                    "-p", "5432", "-U", "registry", "-D", str(self.dir),
                    "-R", "-X", "stream", "-c", "fast")
        assert run.returncode == 0, run.stderr
        # its own socket and port, no TCP (the primary's stack.conf came
        # along with the copy)
        conf = self.dir / "stack.conf"
        conf.write_text(f"listen_addresses = ''\nport = {self.port}\n"
                        f"unix_socket_directories = '{self.sock}'\n"
                        "fsync = off\n")
        if owner:
            shutil.chown(conf, owner)

    def ctl(self, *args):
        run = as_pg(f"{PGBIN}/pg_ctl", "-D", str(self.dir), "-l",
                    str(self.log), "-w", "-t", "60", *args)
        assert run.returncode == 0, run.stdout + run.stderr

    def sql(self, sql):
        return psql(self.sock, self.port, sql)

    def conninfo(self):
        return (f"host={self.sock} port={self.port} dbname=registry "
                "user=registry")


def metric(url, name):
    text = requests.get(f"{url}/metrics").text
    m = re.search(rf"^{name} (\d+)$", text, re.M)
    return int(m.group(1))


@pytest.fixture(scope="module")
def replica(registry_bin, var_dir, root_dir, spare_ports):
    work = var_dir / "replica"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    os.chmod(work, 0o755)
    rep = Replica(var_dir, work, spare_ports[4])
    rep.create()
    rep.ctl("start")
    assert rep.sql("SELECT pg_is_in_recovery()") == "t"
    sock = work / "pool.sock"
    pool = start_pool(registry_bin, var_dir, work, "pool", sock,
                      env=env_of(var_dir, REGISTRY_REPLICA=rep.conninfo(),
                                 REGISTRY_REPLICA_MAX_LAG="3",
                                 REGISTRY_DB_WAIT="1"))
    wait_path(sock)
    web = spare_ports[5]
    nginx = nginx_front(root_dir, work, web,
                        env_of(var_dir)["REGISTRY_DATA_DIR"],
                        f"server unix:{sock};", False)
    try:
        yield {"url": f"http://127.0.0.1:{web}", "replica": rep,
               "work": work}
    finally:
        subprocess.run(nginx + ["-s", "quit"], timeout=30)
        kill_group(pool)
        as_pg(f"{PGBIN}/pg_ctl", "-D", str(rep.dir), "-m", "immediate",
              "stop")


def author(url, auth, name):
    r = requests.post(f"{url}/api/author/", headers=auth,
                      json={"name": name})
    assert r.status_code == 201, r.text


def count(url, name, headers=None):
    r = requests.get(f"{url}/api/author/", params={"name": name},
                     headers=headers or {})
    assert r.status_code == 200, r.text
    return r.json()["count"]


def test_reads_from_replica_writes_to_primary(replica, auth):
    url = replica["url"]
    before = metric(url, "registry_replica_reads_total")
    for _ in range(4):
        assert requests.get(f"{url}/api/author/").status_code == 200
    assert metric(url, "registry_replica_reads_total") >= before + 4
    author(url, auth, f"replica {uuid.uuid4().hex[:8]}")


def test_token_reads_its_own_writes(replica, auth):
    url, rep = replica["url"], replica["replica"]
    rep.sql("SELECT pg_wal_replay_pause()")
    try:
        name = f"ryw {uuid.uuid4().hex[:8]}"
        author(url, auth, name)
        # the writer sees it at once: the paused replica cannot replay
        # its position, so its read goes to the primary
        assert count(url, name, auth) == 1
        # a reader without the token from another address may be served
        # stale by the replica (from this address it waits as the token
        # does: test_address_reads_its_own_writes)
        # once the replica has been behind longer than replica_max_lag
        # (3 s), every read goes to the primary
        time.sleep(4.5)
        assert count(url, name) == 1
        assert count(url, name) == 1
    finally:
        rep.sql("SELECT pg_wal_replay_resume()")
    log = (replica["work"] / "pool.log").read_text()
    assert "reads go to the primary" in log


def test_address_reads_its_own_writes(replica, auth):
    """A client that writes with its token and reads without it reads its
    writes too, by its address: pyDataPipeline's finalise POSTs an object
    and at once looks up its object_component with a tokenless GET (the
    real-client scenarios in scale-out mode, tests/clients)."""
    url, rep = replica["url"], replica["replica"]
    # the workers see the replica level with the primary now, so the
    # paused replica below is within replica_max_lag and would answer
    end = time.time() + 1.5
    while time.time() < end:
        count(url, "nobody")
    waits = metric(url, "registry_replica_waits_total")
    rep.sql("SELECT pg_wal_replay_pause()")
    try:
        for _ in range(2):
            name = f"addr {uuid.uuid4().hex[:8]}"
            author(url, auth, name)
            assert count(url, name) == 1  # no token: the same address
    finally:
        rep.sql("SELECT pg_wal_replay_resume()")
    assert metric(url, "registry_replica_waits_total") > waits


def test_new_token_works_at_once(replica, var_dir, registry_bin):
    """A token made a moment ago on the primary (`registry token`, as the
    client scenarios make the remote's user) is good at once, though the
    replica has not replayed it."""
    url, rep = replica["url"], replica["replica"]
    end = time.time() + 1.5
    while time.time() < end:
        count(url, "nobody")
    rep.sql("SELECT pg_wal_replay_pause()")
    try:
        name = f"tok{uuid.uuid4().hex[:8]}"
        env = env_of(var_dir)
        subprocess.run([str(registry_bin), "user", name], env=env,
                       check=True, capture_output=True, timeout=30)
        token = subprocess.run([str(registry_bin), "token", name], env=env,
                               check=True, capture_output=True, text=True,
                               timeout=30).stdout.strip()
        r = requests.get(f"{url}/api/username/",
                         headers={"Authorization": f"token {token}"})
        assert r.status_code == 200, r.text
        assert name in r.text
        # a wrong token is still refused
        r = requests.get(f"{url}/api/username/",
                         headers={"Authorization": "token " + "0" * 40})
        assert r.status_code == 403
    finally:
        rep.sql("SELECT pg_wal_replay_resume()")


def test_replica_down_reads_from_primary(replica, auth):
    url, rep = replica["url"], replica["replica"]
    rep.ctl("-m", "fast", "stop")
    try:
        name = f"nodown {uuid.uuid4().hex[:8]}"
        author(url, auth, name)
        # past the workers' next look at the replica (once a second)
        end = time.time() + 2.5
        while time.time() < end:
            assert count(url, name) == 1
    finally:
        rep.ctl("start")
    assert "the replica is unreachable" in \
        (replica["work"] / "pool.log").read_text()


def test_primary_down_reads_from_replica(replica, auth, var_dir, root_dir):
    url, rep = replica["url"], replica["replica"]
    name = f"pdown {uuid.uuid4().hex[:8]}"
    author(url, auth, name)
    end = time.time() + 10
    while rep.sql(f"SELECT count(*) FROM author WHERE name = '{name}'") \
            != "1" and time.time() < end:
        time.sleep(0.1)
    stack(root_dir, "db-stop", str(var_dir))
    try:
        assert count(url, name) == 1
        r = requests.get(f"{url}/api/author/")
        assert r.status_code == 200
        r = requests.post(f"{url}/api/author/", headers=auth,
                          json={"name": "not written"})
        assert r.status_code == 503
        assert r.headers["Retry-After"]
    finally:
        stack(root_dir, "db-start", str(var_dir))
    assert requests.post(f"{url}/api/author/", headers=auth,
                         json={"name": name + " after"}).status_code == 201


def test_a_replica_that_is_no_replica(registry_bin, var_dir, root_dir,
                                      spare_ports, replica):
    work = replica["work"] / "noreplica"
    work.mkdir()
    sock = work / "pool.sock"
    primary = f"host={var_dir / 'run' / 'pg'} port=5432 dbname=registry " \
              "user=registry"
    pool = start_pool(registry_bin, var_dir, work, "pool", sock,
                      env=env_of(var_dir, REGISTRY_REPLICA=primary))
    nginx = None
    try:
        wait_path(sock)
        nginx = nginx_front(root_dir, work, spare_ports[6],
                            env_of(var_dir)["REGISTRY_DATA_DIR"],
                            f"server unix:{sock};", False)
        url = f"http://127.0.0.1:{spare_ports[6]}"
        for _ in range(3):
            assert requests.get(f"{url}/api/author/").status_code == 200
        assert metric(url, "registry_replica_reads_total") == 0
        assert "not in recovery" in (work / "pool.log").read_text()
    finally:
        if nginx:
            subprocess.run(nginx + ["-s", "quit"], timeout=30)
        kill_group(pool)
