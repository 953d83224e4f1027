"""The binary's other lives: migrations that apply once, users and tokens
from the command line (only a digest stored), the schema's own integrity
rules, and the plain FastCGI mode used under spawn-fcgi or mod_fcgid."""

import os
import socket
import subprocess
import tempfile
import time

import pytest
import requests


def instance_env(var_dir):
    env = dict(os.environ)
    for line in (var_dir / "env").read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


def run_bin(registry_bin, var_dir, *args):
    return subprocess.run([str(registry_bin), *args], env=instance_env(var_dir),
                          capture_output=True, text=True, timeout=60)


def psql(var_dir, sql):
    return subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                           "-c", sql], env=instance_env(var_dir),
                          capture_output=True, text=True, timeout=60)


def test_migrations_apply_once(registry_bin, var_dir, root_dir):
    r = run_bin(registry_bin, var_dir, "migrate", "--dir",
                str(root_dir / "migrations"))
    assert r.returncode == 0, r.stderr
    assert "applied" not in r.stdout
    got = psql(var_dir, "SELECT version FROM schema_migrations ORDER BY 1")
    files = sorted(p.stem for p in (root_dir / "migrations").glob("[0-9]*.sql"))
    assert got.stdout.split() == files


def test_user_is_idempotent_and_token_replaces(registry_bin, var_dir, base_url):
    assert run_bin(registry_bin, var_dir, "user", "tester").returncode == 0
    assert run_bin(registry_bin, var_dir, "user", "tester").returncode == 0
    first = run_bin(registry_bin, var_dir, "token", "tester").stdout.strip()
    second = run_bin(registry_bin, var_dir, "token", "tester").stdout.strip()
    assert len(first) == 40 and first != second
    who = lambda t: requests.get(f"{base_url}/api/username/",
                                 headers={"Authorization": f"token {t}"})
    assert who(first).status_code == 403
    assert who(second).json() == {"username": "tester"}
    stored = psql(var_dir, "SELECT key_hash FROM tokens").stdout
    assert second not in stored and first not in stored


def test_token_for_unknown_user_fails(registry_bin, var_dir):
    assert run_bin(registry_bin, var_dir, "token", "nobody-here").returncode != 0


@pytest.mark.parametrize("sql", [
    "INSERT INTO namespace (name, updated_by_id) VALUES ('a*b', 1)",
    "INSERT INTO code_repo_release (name, version, object_id, updated_by_id)"
    " VALUES ('x', '1.x', 1, 1)",
    "INSERT INTO author (updated_by_id, uuid) VALUES (1, gen_random_uuid())",
    "INSERT INTO issue (severity, description, updated_by_id, uuid)"
    " VALUES (-1, 'd', 1, gen_random_uuid())",
    "DELETE FROM users",
])
def test_schema_refuses(var_dir, sql):
    r = psql(var_dir, sql)
    assert r.returncode != 0, f"accepted: {sql}"


def test_plain_fastcgi_on_an_inherited_socket(registry_bin, var_dir):
    """What spawn-fcgi does: a listening socket as fd 0, no master."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fcgi.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(8)
        proc = subprocess.Popen([str(registry_bin)], stdin=listener.fileno(),
                                env=instance_env(var_dir))
        listener.close()
        try:
            env = {"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/file_type/",
                   "HTTP_HOST": "example.org", "SERVER_PROTOCOL": "HTTP/1.1",
                   "PATH": os.environ["PATH"]}
            out = subprocess.run(["cgi-fcgi", "-bind", "-connect", path],
                                 env=env, capture_output=True, timeout=30)
            text = out.stdout.decode()
            assert text.startswith("Status: 200"), text
            assert '"count":' in text
        finally:
            proc.terminate()
            proc.wait(timeout=15)
        assert proc.returncode == 0
