"""PgBouncer in transaction mode with named prepared statements left on
(issue 16, item 2): a worker whose statement is gone, or whose statement
name is taken, on the server connection it got this time says so in the
log, switches to unnamed statements and answers every request right."""

import os
import shutil
import subprocess

import pytest
import requests

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
        s = requests.Session()
        for i in range(6):
            for path in ("/api/author/", "/api/users/", "/api/object/",
                         "/api/storage_root/", "/api/author/?name=x*"):
                r = s.get(url + path, headers=auth)
                assert r.status_code == 200, (path, r.text)
            r = s.post(f"{url}/api/author/", headers=auth,
                       json={"name": f"pgbouncer named {os.getpid()} {i}"})
            assert r.status_code == 201, r.text
        log = (work / "pool.log").read_text()
        assert "now uses unnamed statements" in log
    finally:
        if nginx:
            subprocess.run(nginx + ["-s", "quit"], timeout=30)
        kill_group(pool)
