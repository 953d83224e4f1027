"""The service rides out failures: a killed worker is replaced and the
others keep answering; while the database is down every answer is a 503
with a JSON body, and service resumes by itself once it is back."""

import os
import signal
import subprocess
import time

import requests


def pids_of_workers(var_dir):
    master = int((var_dir / "run" / "registry.pid").read_text())
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True,
                         text=True).stdout.split()
    return master, [int(p) for p in out]


def wait_until(predicate, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_killed_worker_is_replaced(base_url, var_dir):
    master, before = pids_of_workers(var_dir)
    assert before
    os.kill(before[0], signal.SIGKILL)
    for _ in range(20):
        assert requests.get(f"{base_url}/api/").status_code == 200
    assert wait_until(lambda: len(pids_of_workers(var_dir)[1]) == len(before))
    assert before[0] not in pids_of_workers(var_dir)[1]


def stack(root_dir, *args):
    subprocess.run(["bash", str(root_dir / "src" / "stack.sh"), *args],
                   check=True, capture_output=True, timeout=120)


def test_database_outage_is_503_then_recovers(base_url, var_dir, root_dir,
                                              registry_bin):
    assert requests.get(f"{base_url}/api/storage_root/").status_code == 200
    stack(root_dir, "db-stop", str(var_dir))
    try:
        # a request waits db_wait seconds (5) for the database, then
        # gives up with a JSON 503 that says when to try again
        r = requests.get(f"{base_url}/api/storage_root/")
        assert r.status_code == 503
        assert r.headers["Content-Type"].startswith("application/json")
        assert r.headers["Retry-After"] == "5"
        assert "detail" in r.json()
        # health: the process lives, it is not ready, and says so at once
        assert requests.get(f"{base_url}/health/live").status_code == 200
        r = requests.get(f"{base_url}/health/ready", timeout=3)
        assert r.status_code == 503 and r.headers["Retry-After"]
        env = dict(os.environ)
        for line in (var_dir / "env").read_text().splitlines():
            k, _, v = line.partition("=")
            env[k] = v
        run = subprocess.run([str(registry_bin), "ready"], env=env,
                             capture_output=True, timeout=30)
        assert run.returncode == 1
    finally:
        stack(root_dir, "db-start", str(var_dir))
    # every worker notices the new server on its next statement and
    # reconnects: no answer after the restart is an error
    codes = [requests.get(f"{base_url}/api/storage_root/").status_code
             for _ in range(40)]
    assert codes == [200] * 40
    assert requests.get(f"{base_url}/health/ready").status_code == 200
