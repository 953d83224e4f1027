"""registry import / import --verify / export (docs/migrating.md): the test
instance, loaded with the example data, a small generated data set and links
of every kind, is moved into a second registry of its own (a whole stack on a
spare port) and into extra databases of that registry's cluster. A small
proxy in front of the source slows it down or makes it fail mid-way."""

import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests


def env_of(var, db=None):
    e = dict(os.environ)
    for line in (var / "env").read_text().splitlines():
        k, _, v = line.partition("=")
        if k:
            e[k] = v
    e.pop("REGISTRY_DATABASE_URL", None)
    if db:
        e["REGISTRY_DATABASE_URL"] = e["PGDATABASE"] = db
    return e


def reg(binary, env, *args, timeout=600):
    return subprocess.run([str(binary), *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


def psql(env, sql):
    r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v",
                        "ON_ERROR_STOP=1", "-c", sql], env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


class Proxy:
    """Forwards GETs to the source with the client's Host (so the source's
    links point back through the proxy); can wait before each answer,
    answer 500 to the paths fail() picks, or ask for pages of 1000 where
    the importer asked for small ones (except under the path keep_small),
    so that small pages cost only where a test needs them."""

    def __init__(self, port, upstream):
        self.delay, self.fail, self.keep_small = 0.0, None, None
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                time.sleep(proxy.delay)
                keep = proxy.keep_small
                if keep is not None and not self.path.startswith(keep):
                    self.path = re.sub(r"page_size=\d+", "page_size=1000",
                                       self.path)
                if proxy.fail and proxy.fail(self.path):
                    body, code, ctype = b'{"detail":"boom"}', 500, \
                        "application/json"
                else:
                    h = {k: v for k, v in self.headers.items()
                         if k.lower() in ("host", "authorization", "accept")}
                    r = requests.get(upstream + self.path, headers=h)
                    body, code = r.content, r.status_code
                    ctype = r.headers.get("Content-Type", "text/plain")
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{port}/api/"
        threading.Thread(target=self.server.serve_forever,
                         daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def source(base_url, token, auth, var_dir, registry_bin, root_dir):
    env = env_of(var_dir)
    r = reg(registry_bin, env, "example-data")
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, str(root_dir / "tests/bench/load.py"),
                        base_url, token, "4", "1"], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    # the links the example and the generated runs leave out: a user's
    # author, a user's organisation
    author = requests.get(f"{base_url}/api/author/").json()["results"][0]
    requests.post(f"{base_url}/api/user_author/", headers=auth, json={
        "user": f"{base_url}/api/users/1/", "author": author["url"]})
    psql(env, "INSERT INTO groups (name) VALUES ('Import Example Org') "
              "ON CONFLICT DO NOTHING; INSERT INTO users_groups SELECT 1, id "
              "FROM groups ON CONFLICT DO NOTHING")
    return f"{base_url}/api/"


@pytest.fixture(scope="module")
def target(var_dir, registry_bin, root_dir, spare_ports):
    var = var_dir.parent / "test-import"
    stack = ["bash", str(root_dir / "src/stack.sh")]
    subprocess.run(stack + ["down", str(var)], capture_output=True)
    subprocess.run(["rm", "-rf", str(var)], check=True)
    port = spare_ports[6]
    r = subprocess.run(stack + ["up", str(var), str(port), str(registry_bin)],
                       env=dict(os.environ, STACK_FAST="1"),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    yield {"url": f"http://127.0.0.1:{port}", "var": var, "env": env_of(var),
           "migrations": str(root_dir / "migrations"),
           "token": (var / "token").read_text().strip()}
    subprocess.run(stack + ["down", str(var)], capture_output=True)


@pytest.fixture(scope="module")
def proxy(source, spare_ports):
    p = Proxy(spare_ports[7], source[:-len("/api/")])
    yield p
    p.close()


def new_db(registry_bin, target, name):
    psql(target["env"], f"DROP DATABASE IF EXISTS {name}")
    psql(target["env"], f"CREATE DATABASE {name}")
    env = env_of(target["var"], name)
    r = reg(registry_bin, env, "migrate", "--dir", target["migrations"])
    assert r.returncode == 0, r.stderr
    return env


def verify(registry_bin, env, where, token):
    return reg(registry_bin, env, "import", "--verify", where,
               "--token", token)


def test_not_a_registry(registry_bin, target, base_url, tmp_path):
    r = reg(registry_bin, target["env"], "import", base_url + "/")
    assert r.returncode == 1
    assert "is not a FAIR data registry's API root" in r.stderr
    r = reg(registry_bin, target["env"], "import", str(tmp_path))
    assert r.returncode == 1
    assert "is not a registry export" in r.stderr
    assert psql(target["env"], "SELECT count(*) FROM import_state") == "0"


def test_killed_import_resumes_and_a_second_waits(registry_bin, target,
                                                   source, proxy, token):
    env = target["env"]
    cmd = [str(registry_bin), "import", proxy.url, "--token", token,
           "--page-size", "20", "--batch", "20"]
    proxy.delay = 0.2
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    try:
        end = time.time() + 120
        while time.time() < end and int(psql(
                env, "SELECT count(*) FROM import_state")) < 3:
            time.sleep(0.1)
        second = reg(registry_bin, env, "import", source, "--token", token)
        assert second.returncode == 1
        assert "another import into this database is running" in \
            second.stderr
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        proxy.delay, proxy.keep_small = 0, "/none"
        if first.poll() is None:
            first.kill()
        first.communicate()
    assert first.returncode == -signal.SIGKILL
    assert int(psql(env, "SELECT count(*) FROM import_state")) >= 3
    again = subprocess.run(cmd, env=env, capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0, again.stderr
    assert "resuming the import" in again.stderr
    assert "done in the interrupted run" in again.stderr
    proxy.keep_small = None
    assert psql(env, "SELECT count(*) FROM import_state") == "0"
    r = verify(registry_bin, env, source, token)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no difference" in r.stdout


def test_answers_match_the_source_field_for_field(registry_bin, target,
                                                  source, auth, base_url):
    mine = {"Authorization": f"token {target['token']}"}
    for res in ["users", "file_type", "issue", "author", "user_author",
                "storage_root", "storage_location", "object",
                "object_component", "code_run", "namespace", "data_product",
                "external_object", "quality_controlled", "keyword", "licence",
                "code_repo_release", "key_value"]:
        there = requests.get(f"{source}{res}/", headers=auth).json()
        here = requests.get(f"{target['url']}/api/{res}/",
                            headers=mine).json()
        assert here["count"] == there["count"] > 0, res
        for rec in there["results"][:5]:
            a = requests.get(rec["url"], headers=auth).text
            b = requests.get(rec["url"].replace(base_url, target["url"]),
                             headers=mine).text
            assert b == a.replace(base_url, target["url"]), res
    user = requests.get(f"{target['url']}/api/users/1/", headers=mine).json()
    assert "Import Example Org" in user["orgs"]


def test_later_run_brings_only_new_and_changed(registry_bin, target, source,
                                               auth, base_url, token):
    env = target["env"]
    new = requests.post(f"{source}file_type/", headers=auth,
                        json={"name": "Import test", "extension": "imp"})
    assert new.status_code == 201
    run = requests.get(f"{source}code_run/", headers=auth).json()["results"][0]
    r = requests.patch(run["url"], headers=auth,
                       json={"description": "changed at the source"})
    assert r.status_code == 200
    r = reg(registry_bin, env, "import", source, "--token", token)
    assert r.returncode == 0, r.stderr
    assert " written, " in r.stdout and ", 2 written," in r.stdout, r.stdout
    # plain lines to a pipe, one per resource
    assert "\r" not in r.stderr and "\x1b" not in r.stderr
    assert "code_run: " in r.stderr and "file_type: " in r.stderr
    assert verify(registry_bin, env, source, token).returncode == 0
    r = requests.patch(run["url"], headers=auth,
                       json={"description": "changed again"})
    r = verify(registry_bin, env, source, token)
    assert r.returncode == 1
    rid = run["url"].rstrip("/").rsplit("/", 1)[1]
    assert f"code_run {rid}: description: here " in r.stdout, r.stdout
    assert "2 differences" in r.stdout  # description and last_updated
    assert reg(registry_bin, env, "import", source, "--token",
               token).returncode == 0
    assert verify(registry_bin, env, source, token).returncode == 0


def test_progress_on_a_terminal(registry_bin, target, source, token):
    master, slave = pty.openpty()
    p = subprocess.Popen([str(registry_bin), "import", "--verify", source,
                          "--token", token], env=target["env"],
                         stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert p.wait(timeout=60) == 0
    assert b"\r" in out and b"records" in out and b"/s" in out


def test_export_then_import_dir(registry_bin, target, source, token,
                                tmp_path):
    out = tmp_path / "export"
    r = reg(registry_bin, target["env"], "export", str(out))
    assert r.returncode == 0, r.stderr
    assert (out / "code_run.jsonl").read_text().count("\n") > 4
    env = new_db(registry_bin, target, "import_dir")
    r = reg(registry_bin, env, "import", str(out))
    assert r.returncode == 0, r.stderr
    r = verify(registry_bin, env, source, token)
    assert r.returncode == 0, r.stdout


def test_without_a_token_users_are_made_by_id(registry_bin, target, source):
    env = new_db(registry_bin, target, "import_anon")
    r = reg(registry_bin, env, "import", source)
    assert r.returncode == 0, r.stderr
    assert "users: hidden by the source from anonymous readers" in r.stderr
    assert psql(env, "SELECT username FROM users WHERE id = 1") == "user1"
    assert psql(env, "SELECT count(*) FROM tokens") == "0"
    r = reg(registry_bin, env, "import", "--verify", source)
    assert r.returncode == 0, r.stdout
    assert "users: hidden by the source from this reader" in r.stdout


def test_server_error_mid_way_stops_whole_batches(registry_bin, target,
                                                 source, proxy, token):
    env = new_db(registry_bin, target, "import_5xx")
    proxy.fail = lambda path: path.startswith("/api/code_run/") and \
        "cursor=" in path
    proxy.keep_small = "/api/code_run/"
    try:
        r = reg(registry_bin, env, "import", proxy.url, "--token", token,
                "--page-size", "3", "--batch", "3")
    finally:
        proxy.fail = None
    assert r.returncode == 1
    assert "import stopped at code_run: " in r.stderr
    assert "answered 500" in r.stderr
    assert psql(env, "SELECT count(*) FROM code_run") == "3"
    try:
        r = reg(registry_bin, env, "import", proxy.url, "--token", token,
                "--page-size", "3", "--batch", "3")
    finally:
        proxy.keep_small = None
    assert r.returncode == 0, r.stderr
    assert verify(registry_bin, env, source, token).returncode == 0


def test_conflicting_record_stops_naming_it(registry_bin, target, source,
                                            token):
    env = new_db(registry_bin, target, "import_conflict")
    assert reg(registry_bin, env, "user", "admin").returncode == 0
    psql(env, "INSERT INTO file_type (id, name, extension, updated_by_id) "
              "VALUES (1, 'local', 'loc', 1)")
    r = reg(registry_bin, env, "import", source, "--token", token)
    assert r.returncode == 1
    assert "import stopped at file_type 1: " in r.stderr
    assert "of its own" in r.stderr
    assert psql(env, "SELECT count(*) FROM object") == "0"
    psql(env, "DELETE FROM file_type")
    r = reg(registry_bin, env, "import", source, "--token", token)
    assert r.returncode == 0, r.stderr
    assert verify(registry_bin, env, source, token).returncode == 0


def test_new_records_get_ids_above_the_imported(target, source, auth):
    mine = {"Authorization": f"token {target['token']}"}
    top = requests.get(f"{source}file_type/", headers=auth).json()
    top = max(int(x["url"].rstrip("/").rsplit("/", 1)[1])
              for x in top["results"])
    r = requests.post(f"{target['url']}/api/file_type/", headers=mine,
                      json={"name": "made here", "extension": "here"})
    assert r.status_code == 201, r.text
    assert int(r.json()["url"].rstrip("/").rsplit("/", 1)[1]) > top
