"""The registry mounted under a path (issue 12, item 3): a second nginx,
rendered from nginx/registry.conf.in with @PREFIX@ = /fair, in front of the
test instance's own worker pool, which learns the prefix from SCRIPT_NAME.
Every hyperlink it writes (records, cursors, redirects, upload URLs, the
browsable API and the website) starts with the prefix, hyperlinks sent
back with it resolve, and, with the prefix setting, a path outside it is
a 404 JSON answer. `exercise` is shared with tests/http/test_apache.py."""

import getpass
import hashlib
import os
import re
import signal
import subprocess
import time
import urllib.parse

import pytest
import requests

from test_api_common import uniq
from test_data import env_of, register

PREFIX = "/fair"


def stray_links(value, base):
    """Every absolute URL in a JSON answer that is not under base/."""
    if isinstance(value, dict):
        return [u for v in value.values() for u in stray_links(v, base)]
    if isinstance(value, list):
        return [u for v in value for u in stray_links(v, base)]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return [] if value.startswith(base + "/") else [value]
    return []


def stray_hrefs(html, base, prefix):
    """Links of an HTML page that leave the mount point."""
    bad = []
    for url in re.findall(r'(?:href|src|action)="([^"]*)"', html):
        url = url.replace("&amp;", "&")
        if url.startswith(("http://", "https://")):
            # other hosts (a DOI) are no concern; this one's must be ours
            origin = base[:len(base) - len(prefix)]
            ok = not url.startswith(origin + "/") or \
                url.startswith(base + "/")
        elif url.startswith("/"):
            ok = url.startswith(prefix + "/")
        else:
            ok = True  # relative to the page: stays under it
        if not ok:
            bad.append(url)
    return bad


def exercise(base, prefix, auth):
    """What every mount of the registry must do, through base (scheme,
    host and prefix): a token POST, hyperlinks in and out, cursors, the
    trailing-slash redirect, the browsable API and the website."""
    r = requests.get(f"{base}/api/")
    assert r.status_code == 200, r.text
    assert r.json() and not stray_links(r.json(), base)

    name = uniq("mount")
    made = []
    for i in range(3):
        r = requests.post(f"{base}/api/author/", headers=auth,
                          json={"name": f"{name} {i}"})
        assert r.status_code == 201, r.text
        made.append(r.json())
    assert made[0]["url"].startswith(f"{base}/api/author/")
    assert r.headers["Location"] == made[-1]["url"]
    # a hyperlink with the prefix resolves
    r = requests.post(f"{base}/api/object/", headers=auth,
                      json={"description": name, "authors": [made[0]["url"]]})
    assert r.status_code == 201, r.text
    assert r.json()["authors"] == [made[0]["url"]]
    assert not stray_links(r.json(), base)

    r = requests.get(f"{base}/api/author/",
                     params={"name": f"{name}*", "page_size": 1})
    page = r.json()
    assert page["count"] == 3 and page["next"].startswith(
        f"{base}/api/author/?")
    second = requests.get(page["next"]).json()
    assert second["previous"].startswith(f"{base}/api/author/?")
    assert not stray_links(second, base)

    r = requests.get(f"{base}/api/author", allow_redirects=False)
    assert r.status_code == 301
    assert r.headers["Location"] == f"{base}/api/author/"

    html = {"Accept": "text/html"}
    for path in (f"/api/author/?name={name}*", "/api/", "/"):
        r = requests.get(base + path, headers=html)
        assert r.status_code == 200, (path, r.text[:300])
        assert r.headers["Content-Type"].startswith("text/html")
        assert not stray_hrefs(r.text, base, prefix), path


@pytest.fixture(scope="module")
def fair(var_dir, root_dir, spare_ports, tmp_path_factory):
    """http://127.0.0.1:<spare port>/fair, an nginx of its own."""
    port = spare_ports[0]
    home = var_dir / "nginx-prefix"
    for d in ("run", "log", "nginx/tmp"):
        (home / d).mkdir(parents=True, exist_ok=True)
    values = {"VAR": str(home), "ROOT": str(root_dir), "PORT": str(port),
              "ADDRESS": "127.0.0.1", "PROCESSES": "1",
              "UPSTREAM": f"server unix:{var_dir / 'run' / 'registry.sock'};",
              "KEEP_CONN": "off",
              "USER": getpass.getuser(), "PREFIX": PREFIX,
              "DATA": env_of(var_dir)["REGISTRY_DATA_DIR"]}
    text = (root_dir / "nginx" / "registry.conf.in").read_text()
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    conf = home / "nginx" / "nginx.conf"
    conf.write_text(text)
    nginx = ["/usr/sbin/nginx", "-p", str(home / "nginx"), "-c", str(conf),
             "-e", str(home / "log" / "nginx-error.log")]
    subprocess.run(nginx, check=True)
    base = f"http://127.0.0.1:{port}{PREFIX}"
    for _ in range(100):
        try:
            if requests.get(f"{base}/api/").status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield base
    pid = int((home / "run" / "nginx.pid").read_text())
    os.kill(pid, signal.SIGQUIT)
    for _ in range(100):
        try:
            os.kill(pid, 0)
            time.sleep(0.1)
        except ProcessLookupError:
            break


def test_every_link_carries_the_prefix(fair, auth):
    exercise(fair, PREFIX, auth)


def test_upload_url_and_download_under_the_prefix(fair, auth, var_dir):
    data = os.urandom(2000)
    checksum = hashlib.sha1(data).hexdigest()
    r = requests.post(f"{fair}/api/data/{checksum}", headers=auth)
    assert r.status_code == 200, r.text
    url = r.json()["url"]
    assert url.startswith(f"{fair}/data/upload/{checksum}?")
    assert requests.put(url, data=data).status_code == 201
    obj = register(fair, auth, var_dir, checksum)
    assert obj.startswith(f"{fair}/api/object/")
    r = requests.get(f"{fair}/data/{checksum}")
    assert r.status_code == 200 and r.content == data


def test_a_path_outside_the_prefix_setting_is_not_ours(registry_bin,
                                                       var_dir):
    """The prefix from the settings, with no SCRIPT_NAME: the registry run
    as a CGI program, its database from the test instance."""
    env = dict(env_of(var_dir), GATEWAY_INTERFACE="CGI/1.1",
               REQUEST_METHOD="GET", HTTP_HOST="h.example",
               REGISTRY_PREFIX=PREFIX, PATH=os.environ["PATH"])

    def get(uri):
        out = subprocess.run([str(registry_bin)], capture_output=True,
                             env=dict(env, REQUEST_URI=uri),
                             stdin=subprocess.DEVNULL, timeout=60)
        head, _, body = out.stdout.partition(b"\r\n\r\n")
        return head.decode(), body

    head, body = get("/other/api/")
    assert head.startswith("Status: 404") and body == \
        b'{"detail":"Not found."}'
    head, body = get("/fairy/api/")
    assert head.startswith("Status: 404")
    head, _ = get(PREFIX + "?x=1")
    assert head.startswith("Status: 301")
    assert "Location: http://h.example/fair/?x=1\r\n" in head
    head, body = get(PREFIX + "/api/")
    assert head.startswith("Status: 200")
    assert b'"author":"http://h.example/fair/api/author/"' in body
