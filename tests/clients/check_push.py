"""Checks, through the two registries' HTTP interfaces alone, what `fair
push` left behind (run by tests/clients/run_clients.sh after it pushed the
SEIRS run's outputs from the CLI's local registry to a second instance
started with REGISTRY_REMOTE=1).

    check_push.py LOCAL_API REMOTE_API LOCAL_TOKEN_FILE NAME@VERSION...

For each data product (namespace "testing", the one `fair init --ci`
makes): the local record's file is the one its hash names; the remote has
the product, its storage location is on storage_root 1 (the push always
points uploaded files there) with the SHA-1 as path and hash; that root is
the remote's object store (<remote>/data/) and GET /data/<sha1> gives the
local file's bytes; the remote's alias redirects there (it serves nothing
from its own disk) and the local one serves the file itself.

Prints one line per check and exits 1 on the first failure."""

import hashlib
import sys
from urllib.parse import unquote, urlsplit

import requests

NAMESPACE = "testing"


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print(f"ok: {msg}")


def get(url, token=None, **params):
    # The local registry's reads are open too, but a token costs nothing
    # and keeps this working if that ever changes.
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"token {token}"
    r = requests.get(url, params=params, headers=headers)
    if r.status_code != 200:
        fail(f"GET {r.url} answered {r.status_code}: {r.text[:300]}")
    return r.json()


def location(api, name, version, token=None):
    """The one data product name@version: its storage location and root."""
    found = get(f"{api}data_product/", token, name=name, version=version)["results"]
    check(len(found) == 1, f"{api}: one data product {name}@{version}")
    obj = get(found[0]["object"], token)
    loc = get(obj["storage_location"], token)
    return loc, get(loc["storage_root"], token)


def site(api):
    """http://host:port/ of an API URL http://host:port/api/."""
    return api[: -len("api/")]


def main():
    local, remote, token_file = sys.argv[1:4]
    token = open(token_file).read().strip()
    for product in sys.argv[4:]:
        name, version = product.rsplit("@", 1)
        alias = f"data_product/{NAMESPACE}:{name}@{version}"

        loc, root = location(local, name, version, token)
        check(root["root"].startswith("file://"),
              f"local {name}: stored under a file:// root ({root['root']})")
        path = unquote(urlsplit(root["root"]).path) + loc["path"].lstrip("/")
        with open(path, "rb") as f:
            data = f.read()
        sha1 = hashlib.sha1(data).hexdigest()
        check(loc["hash"] == sha1, f"local {name}: hash is the SHA-1 of {path}")
        r = requests.get(site(local) + alias)
        check(r.status_code == 200 and r.content == data,
              f"local alias {alias} serves the file itself ({r.status_code})")

        loc, root = location(remote, name, version)
        check(loc["storage_root"] == f"{remote}storage_root/1/",
              f"remote {name}: location on storage_root 1 ({loc['storage_root']})")
        check(root["root"] == site(remote) + "data/",
              f"remote storage_root 1 is its object store ({root['root']})")
        check(loc["path"] == sha1 and loc["hash"] == sha1,
              f"remote {name}: path and hash are the SHA-1 ({loc['path']})")
        stored = root["root"] + loc["path"]
        r = requests.get(stored)
        check(r.status_code == 200 and r.content == data,
              f"remote {stored} gives the same bytes ({r.status_code}, "
              f"{len(r.content)} of {len(data)} bytes)")

        r = requests.get(site(remote) + alias, allow_redirects=False)
        check(r.status_code == 302 and r.headers.get("Location") == stored,
              f"remote alias {alias} redirects to {stored} "
              f"({r.status_code} {r.headers.get('Location')})")


if __name__ == "__main__":
    main()
