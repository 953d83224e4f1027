"""Workers on many hosts (issue 16, item 1): pools listening on TCP behind
one nginx upstream with FastCGI keep-alive. A whole pool killed under a
request loop costs no GET (nginx moves to the other pool) and no POST runs
twice; uploads and downloads work whichever pool takes them, the pools
sharing only the store's directory (and the database); a connection from
an address outside allow_from is closed before it is read."""

import hashlib
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid

import pytest
import requests

from scaling import env_of, kill_group, nginx_front, start_pool, wait_port
from test_data import data_root_url


@pytest.fixture(scope="module")
def pools(registry_bin, var_dir, root_dir, spare_ports):
    work = var_dir / "pools"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    p1, p2, web = spare_ports[0], spare_ports[1], spare_ports[2]
    procs = [start_pool(registry_bin, var_dir, work, "pool1",
                        f"127.0.0.1:{p1}"),
             start_pool(registry_bin, var_dir, work, "pool2",
                        f"127.0.0.1:{p2}")]
    wait_port(p1)
    wait_port(p2)
    upstream = (f"server 127.0.0.1:{p1} max_fails=1 fail_timeout=30s; "
                f"server 127.0.0.1:{p2} max_fails=1 fail_timeout=30s; "
                "keepalive 8;")
    nginx = nginx_front(root_dir, work, web,
                        env_of(var_dir)["REGISTRY_DATA_DIR"], upstream, True)
    try:
        yield {"url": f"http://127.0.0.1:{web}", "procs": procs,
               "work": work, "ports": (p1, p2)}
    finally:
        subprocess.run(nginx + ["-s", "quit"], timeout=30)
        for p in procs:
            kill_group(p)


def test_upload_and_download_across_pools(pools, base_url, auth, var_dir):
    url = pools["url"]
    data = os.urandom(300000)
    checksum = hashlib.sha1(data).hexdigest()
    r = requests.post(f"{url}/api/data/{checksum}", headers=auth)
    assert r.status_code == 200, r.text
    # the upload URL was signed by one pool; the upload lands on the next
    r = requests.put(r.json()["url"], data=data)
    assert r.status_code == 201, r.text
    # the store's own root, whichever front (prefixed or not) registered it
    root_url = data_root_url(base_url, var_dir)
    loc = requests.post(f"{url}/api/storage_location/", headers=auth,
                        json={"path": checksum, "hash": checksum,
                              "storage_root": root_url})
    assert loc.status_code == 201, loc.text
    obj = requests.post(f"{url}/api/object/", headers=auth,
                        json={"description": "two pools",
                              "storage_location": loc.json()["url"]})
    assert obj.status_code == 201, obj.text
    # round robin: both pools answer downloads
    for _ in range(4):
        r = requests.get(f"{url}/data/{checksum}")
        assert r.status_code == 200 and r.content == data


def get_loop(url, stop, codes):
    s = requests.Session()
    while not stop.is_set():
        codes.append(s.get(f"{url}/api/author/?page_size=3").status_code)


def post_loop(url, auth, stop, posted):
    s = requests.Session()
    n = 0
    while not stop.is_set():
        n += 1
        name = f"pools {uuid.uuid4().hex[:10]} {n}"
        r = s.post(f"{url}/api/author/", headers=auth, json={"name": name})
        posted.append((name, r.status_code))


def test_killed_pool_costs_no_get_and_no_post_twice(pools, auth):
    url = pools["url"]
    stop = threading.Event()
    codes, posted = [], []
    threads = [threading.Thread(target=get_loop, args=(url, stop, codes))
               for _ in range(2)]
    threads.append(threading.Thread(target=post_loop,
                                    args=(url, auth, stop, posted)))
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        kill_group(pools["procs"][0])
        time.sleep(2)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert len(codes) > 20
    assert [c for c in codes if c != 200] == []
    # every POST is there once if it answered 201, at most once otherwise
    s = requests.Session()
    assert sum(1 for _, c in posted if c == 201) > 3
    for name, code in posted:
        assert code in (201, 503), (name, code)
        count = s.get(f"{url}/api/author/", params={"name": name}).json()[
            "count"]
        assert count == (1 if code == 201 else count) and count <= 1, name


def test_tcp_listener_refuses_addresses_not_allowed(registry_bin, var_dir,
                                                    pools, spare_ports):
    work = pools["work"]
    port = spare_ports[3]
    proc = start_pool(registry_bin, var_dir, work, "pool3",
                      f"127.0.0.1:{port}", "--allow-from",
                      "192.0.2.1 10.0.0.0/8")
    try:
        wait_port(port)
        c = socket.create_connection(("127.0.0.1", port), 5)
        c.settimeout(5)
        # a FastCGI BEGIN_REQUEST would follow; the worker closes first
        try:
            got = c.recv(100)
        except ConnectionResetError:
            got = b""
        assert got == b""
        c.close()
        log = (work / "pool3.log").read_text()
        assert "connection from 127.0.0.1 refused" in log
    finally:
        kill_group(proc)


def test_listen_address_taken_is_a_clear_error(registry_bin, var_dir,
                                               pools):
    taken = pools["ports"][1]
    run = subprocess.run([str(registry_bin), "serve", "--listen",
                          f"127.0.0.1:{taken}", "--workers", "1"],
                         env=env_of(var_dir), capture_output=True, text=True,
                         timeout=30)
    assert run.returncode != 0
    assert "Address already in use" in run.stderr
