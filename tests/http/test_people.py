"""People from the command line (docs/accounts.md): users added, listed,
disabled and enabled again; tokens issued, listed by prefix and date only,
rotated and revoked. A disabled user's token is refused exactly like one
that never existed, and no token ever reaches a log."""

import time
import uuid

import requests

from test_admin import instance_env, psql, run_bin


def who(base_url, token):
    r = requests.get(f"{base_url}/api/username/",
                     headers={"Authorization": f"token {token}",
                              "Accept": "application/json"})
    return r.status_code, r.text


def ok(r):
    assert r.returncode == 0, r.stderr
    return r.stdout


def fresh_name():
    return "p-" + uuid.uuid4().hex[:10]


def test_disabled_user_token_refused_like_an_invalid_one(registry_bin, var_dir,
                                                         base_url):
    name = fresh_name()
    ok(run_bin(registry_bin, var_dir, "user", "add", name))
    token = ok(run_bin(registry_bin, var_dir, "token", "issue", name)).strip()
    assert who(base_url, token) == (200, f'{{"username":"{name}"}}')
    invalid = who(base_url, "0" * 40)
    assert invalid[0] == 403

    ok(run_bin(registry_bin, var_dir, "user", "disable", name))
    assert who(base_url, token) == invalid
    # writes too
    r = requests.post(f"{base_url}/api/namespace/", json={"name": name},
                      headers={"Authorization": f"token {token}"})
    assert (r.status_code, r.text) == invalid
    users = ok(run_bin(registry_bin, var_dir, "user", "list"))
    assert f"{name}\tdisabled\t" in users

    ok(run_bin(registry_bin, var_dir, "user", "enable", name))
    assert who(base_url, token)[0] == 200
    assert f"{name}\tactive\t" in ok(run_bin(registry_bin, var_dir, "user",
                                              "list"))
    assert run_bin(registry_bin, var_dir, "user", "disable",
                   "nobody-" + name).returncode != 0


def test_token_list_rotate_revoke(registry_bin, var_dir, base_url):
    name = fresh_name()
    ok(run_bin(registry_bin, var_dir, "user", "add", name))
    # nothing to rotate or revoke yet
    assert run_bin(registry_bin, var_dir, "token", "rotate",
                   name).returncode != 0
    assert run_bin(registry_bin, var_dir, "token", "revoke",
                   name).returncode != 0
    first = ok(run_bin(registry_bin, var_dir, "token", "issue", name)).strip()
    assert len(first) == 40

    listing = ok(run_bin(registry_bin, var_dir, "token", "list", name))
    lines = listing.splitlines()
    assert lines[0] == "username\tprefix\tcreated"
    user, prefix, created = lines[1].split("\t")
    assert (user, prefix) == (name, first[:8] + "...")
    assert time.strptime(created, "%Y-%m-%dT%H:%M:%SZ")
    everyone = ok(run_bin(registry_bin, var_dir, "token", "list"))
    assert f"{name}\t{first[:8]}..." in everyone
    for out in (listing, everyone,
                ok(run_bin(registry_bin, var_dir, "user", "list"))):
        assert first not in out and first[:9] not in out

    second = ok(run_bin(registry_bin, var_dir, "token", "rotate",
                        name)).strip()
    assert second != first
    assert who(base_url, first)[0] == 403
    assert who(base_url, second)[0] == 200
    assert second[:8] + "..." in ok(run_bin(registry_bin, var_dir, "token",
                                            "list", name))

    ok(run_bin(registry_bin, var_dir, "token", "revoke", name))
    assert who(base_url, second)[0] == 403
    assert ok(run_bin(registry_bin, var_dir, "token", "list",
                      name)).splitlines()[1:] == []

    stored = psql(var_dir, "SELECT key_hash || ' ' || coalesce(prefix, '') "
                           "FROM tokens").stdout
    assert first not in stored and second not in stored


def test_tokens_never_written_to_a_log(registry_bin, var_dir, base_url):
    name = fresh_name()
    ok(run_bin(registry_bin, var_dir, "user", "add", name))
    token = ok(run_bin(registry_bin, var_dir, "token", "issue", name)).strip()
    wrong = uuid.uuid4().hex + "abcdefgh"
    head = {"Authorization": f"token {token}"}
    assert who(base_url, token)[0] == 200
    assert who(base_url, wrong)[0] == 403
    requests.post(f"{base_url}/api/namespace/", json={"name": name},
                  headers=head)
    requests.post(f"{base_url}/api/namespace/", data="{bad json",
                  headers={**head, "Content-Type": "application/json"})
    requests.get(f"{base_url}/api/namespace/?name=[", headers=head)
    ok(run_bin(registry_bin, var_dir, "user", "disable", name))
    assert who(base_url, token)[0] == 403
    time.sleep(1.5)  # nginx writes its access log once a second
    logs = [p for p in var_dir.rglob("*")
            if p.is_file() and ("log" in p.name or p.parent.name == "log")]
    assert any(p.name == "nginx-access.log" for p in logs), logs
    for p in logs:
        text = p.read_bytes()
        for secret in (token, wrong):
            assert secret.encode() not in text, f"{secret} in {p}"
