"""A database restart costs no request (issue 16, item 6): a worker that
finds its connection gone reconnects and runs the request again when that
is safe, waiting up to db_wait seconds; a write is never run twice."""

import subprocess
import threading
import time
import uuid

import requests


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
