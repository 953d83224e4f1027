#!/usr/bin/env python3
"""record.py - writes every answer of a fixed crawl of a registry loaded
with the example data (`registry example-data`) to one text file, so that
two builds can be compared byte for byte (tests/answers/compare.sh).

    record.py BASE_URL TOKEN OUT

The crawl: the API root; every resource's list (every page), OPTIONS,
browsable page, each record, each filter the resource names with a value
taken from its first record, and some refusals; the website's pages; the
provenance reports and RO-Crates. Only what differs from run to run is
masked: the host and port, timestamps, generated UUIDs and tokens."""

import hashlib
import json
import re
import sys
import urllib.parse

import requests

BASE, TOKEN, OUT = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
AUTH = {"Authorization": f"token {TOKEN}"}
KEEP_HEADERS = ("content-type", "allow", "vary", "location", "link",
                "content-disposition", "x-accel-redirect")
MASKS = [
    (re.compile(re.escape(BASE)), "BASE"),
    (re.compile(re.escape(urllib.parse.urlsplit(BASE).netloc)), "HOST"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?"),
     "TIMESTAMP"),
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d(\.\d+)?)?"), "TIMESTAMP"),
    (re.compile(r"\d{4}&#45;\d\d&#45;\d\dT\d\d:\d\d:\d\d(\.\d+)?"
                r"(\+\d\d:\d\d)?"), "TIMESTAMP"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                r"[0-9a-f]{12}"), "UUID"),
    (re.compile(re.escape(TOKEN)), "TOKEN"),
]

out = open(OUT, "w", encoding="utf-8")
seen = set()
session = requests.Session()


def mask(text):
    for rx, sub in MASKS:
        text = rx.sub(sub, text)
    return text


def ask(method, path, auth=True, headers=None, data=None):
    """One request, written to OUT once; returns the response."""
    url = path if path.startswith("http") else BASE + path
    key = (method, url, auth, json.dumps(headers, sort_keys=True))
    if key in seen:
        return None
    seen.add(key)
    h = dict(headers or {})
    if auth:
        h.update(AUTH)
    r = session.request(method, url, headers=h, data=data,
                        allow_redirects=False, timeout=60)
    out.write(f"=== {method} {mask(urllib.parse.unquote(url))} auth={auth} "
              f"{headers or ''} {data or ''}\n")
    out.write(f"{r.status_code}\n")
    for k in KEEP_HEADERS:
        if k in r.headers:
            out.write(f"{k}: {mask(r.headers[k])}\n")
    ctype = r.headers.get("content-type", "")
    if ("json" in ctype or "text" in ctype or "xml" in ctype
            or "svg" in ctype):
        out.write(mask(r.content.decode("utf-8", "replace")))
    else:
        out.write(f"<{len(r.content)} bytes sha256 "
                  f"{hashlib.sha256(r.content).hexdigest()}>")
    out.write("\n")
    return r


def path_of(url):
    return urllib.parse.urlsplit(url).path


root = ask("GET", "/api/").json()
ask("GET", "/api/?format=api")
ask("OPTIONS", "/api/")
ask("GET", "/api/", headers={"Accept": "text/html"})
ask("GET", "/api/username/")
ask("GET", "/api/nosuch/")
ask("GET", "/api/object")
ask("GET", "/")
docs = ask("GET", "/docs/")
for doc in re.findall(r'href="/docs/([^"]+)"', docs.text):
    ask("GET", "/docs/" + doc)

records = {}
for name in root:
    lp = f"/api/{name}/"
    ask("OPTIONS", lp)
    ask("GET", lp + "?format=api")
    ask("GET", lp, auth=False)
    ask("GET", lp + "?page_size=2")
    ask("GET", lp + "?ordering=-id")
    ask("GET", lp + "?format=xml")
    ask("GET", lp + "?nosuchfilter=1")
    ask("GET", lp + "999999999/")
    ask("OPTIONS", lp + "1/")
    ask("GET", lp + "1/?format=api")
    ask("POST", lp, data="{}", headers={"Content-Type": "application/json"})
    ask("POST", lp, data="[", headers={"Content-Type": "application/json"})
    ask("GET", f"/{name}s/")
    ask("GET", f"/{name}s/?q=a")
    url, items = lp, []
    while url:
        r = ask("GET", url)
        if r is None or r.status_code != 200:
            break
        body = r.json()
        items += body.get("results", [])
        url = body.get("next")
    records[name] = items
    for it in items:
        ask("GET", it["url"])
        ask("GET", it["url"] + "?format=api")
        rid = path_of(it["url"]).rstrip("/").rsplit("/", 1)[1]
        ask("GET", f"/{name}/{rid}")
    if items:
        opts = session.options(BASE + lp, headers=AUTH).json()
        first = items[0]
        for f in opts.get("filter_fields", []):
            v = first.get(f)
            if isinstance(v, list):
                v = v[0] if v else None
            if isinstance(v, str) and v.startswith(BASE):
                v = path_of(v).rstrip("/").rsplit("/", 1)[1]
            if v is None or isinstance(v, (dict, list)):
                continue
            if isinstance(v, bool):
                v = "true" if v else "false"
            ask("GET", lp + "?" + urllib.parse.urlencode({f: v}))

for it in records.get("data_product", []):
    rid = path_of(it["url"]).rstrip("/").rsplit("/", 1)[1]
    for fmt in ("", "?format=json", "?format=xml", "?format=provn",
                "?format=svg", "?format=jsonld", "?format=api"):
        ask("GET", f"/api/prov-report/{rid}/{fmt}")
    ask("GET", f"/api/ro-crate/data-product/{rid}/")
    ask("GET", f"/api/ro-crate/data-product/{rid}/?format=json-ld")
for it in records.get("code_run", []):
    rid = path_of(it["url"]).rstrip("/").rsplit("/", 1)[1]
    ask("GET", f"/api/ro-crate/code-run/{rid}/")
    ask("GET", f"/api/ro-crate/code-run/{rid}/?format=json-ld")
out.close()
