"""Counts of a FAIR registry's records through its API (requests only), for
tests/reference/run_reference.sh.

    records.py total API_URL TOKEN_FILE
        the sum of every resource's count (users and groups included)
    records.py max-id API_URL TOKEN_FILE RESOURCE
        the highest id of RESOURCE (0 when it has none)
    records.py compare API_A TOKEN_FILE_A API_B TOKEN_FILE_B
        every record of every resource of A against B's, field by field,
        hyperlinks without their host, lists as sets; prints each
        difference and exits 1 if any. Independent of `registry import
        --verify`, which it double-checks.
"""

import sys

import requests


def get(url, token):
    r = requests.get(url, headers={"Authorization": f"token {token}"}, timeout=60)
    r.raise_for_status()
    return r.json()


def records(api, token, resource):
    """{path: record} of every record, hyperlinks made host-free."""
    host = api[: -len("api/")]
    out, url = {}, f"{api}{resource}/"
    while url:
        page = get(url, token)
        for r in page["results"]:
            r = plain(r, host)
            out[r["url"]] = r
        url = page["next"]
    return out


def plain(v, host):
    if isinstance(v, str):
        return v.replace(host, "/")
    if isinstance(v, list):
        return sorted((plain(x, host) for x in v), key=repr)
    if isinstance(v, dict):
        return {k: plain(x, host) for k, x in v.items()}
    return v


def compare(api_a, token_a, api_b, token_b):
    diffs = total = 0
    for resource in get(api_a, token_a):
        a, b = records(api_a, token_a, resource), records(api_b, token_b, resource)
        total += len(a)
        for path in sorted(a.keys() ^ b.keys()):
            diffs += 1
            print(f"{path}: only in {'A' if path in a else 'B'}")
        for path in sorted(a.keys() & b.keys()):
            for field in sorted(a[path].keys() | b[path].keys()):
                if a[path].get(field) != b[path].get(field):
                    diffs += 1
                    print(f"{path} {field}: A {a[path].get(field)!r}, B {b[path].get(field)!r}")
    print(f"{total} records compared, {diffs} differences")
    return diffs == 0


def read_token(path):
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def main():
    what, api, token_file = sys.argv[1:4]
    token = read_token(token_file)
    if what == "compare":
        sys.exit(0 if compare(api, token, sys.argv[4], read_token(sys.argv[5])) else 1)
    if what == "total":
        root = get(api, token)
        print(sum(get(url, token)["count"] for url in root.values()))
    elif what == "max-id":
        ids = []
        url = f"{api}{sys.argv[4]}/"
        while url:
            page = get(url, token)
            ids += [int(r["url"].rstrip("/").rsplit("/", 1)[1]) for r in page["results"]]
            url = page["next"]
        print(max(ids, default=0))
    else:
        sys.exit(f"records.py: unknown {what}")


if __name__ == "__main__":
    main()
