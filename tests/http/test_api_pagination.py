"""Cursor pagination (API.md section 4): count, next and previous, page_size,
every record exactly once while records are being added, cursors that were
tampered with, and the fixed cost of a page."""

import base64
import os
import re
import subprocess
import threading
import time
import urllib.parse

import pytest
import requests

from test_api_common import api, rid, uniq  # noqa: F401


@pytest.fixture
def keyed(api):
    """Seven key_values of one object: a small list of its own."""
    obj = api.object()
    made = [api.create("key_value", {"object": obj["url"], "key": f"k{i}",
                                     "value": f"v{i % 3}"}) for i in range(7)]
    return obj, made


def walk(first):
    """Follows next from a first page; returns (urls seen, pages)."""
    seen, pages, url = [], [], first
    while url:
        r = requests.get(url)
        assert r.status_code == 200, r.text
        page = r.json()
        pages.append(page)
        seen += [x["url"] for x in page["results"]]
        url = page["next"]
    return seen, pages


def test_page_shape_and_links(api, keyed):
    obj, made = keyed
    r = api.get("key_value", {"object": rid(obj["url"]), "page_size": 3})
    page = r.json()
    assert list(page) == ["count", "next", "previous", "results"]
    assert page["count"] == 7 and page["previous"] is None
    assert [x["url"] for x in page["results"]] == [
        m["url"] for m in made[::-1][:3]]
    nxt = urllib.parse.urlsplit(page["next"])
    assert f"{nxt.scheme}://{nxt.netloc}" == api.base
    assert nxt.path == "/api/key_value/"
    q = urllib.parse.parse_qs(nxt.query)
    assert q["object"] == [str(rid(obj["url"]))] and q["page_size"] == ["3"]
    assert "cursor" in q
    second = requests.get(page["next"]).json()
    assert second["count"] == 7
    assert [x["url"] for x in second["results"]] == [
        m["url"] for m in made[::-1][3:6]]
    assert second["previous"] is not None
    back = requests.get(second["previous"]).json()
    assert back["results"] == page["results"]


def test_following_next_visits_each_once(api, keyed):
    obj, made = keyed
    first = api.url("key_value") + f"?object={rid(obj['url'])}&page_size=2"
    seen, pages = walk(first)
    assert seen == [m["url"] for m in reversed(made)]
    assert len(pages) == 4 and pages[-1]["next"] is None
    assert all(p["count"] == 7 for p in pages)


def test_following_previous_back_to_the_start(api, keyed):
    obj, made = keyed
    url = api.url("key_value") + f"?object={rid(obj['url'])}&page_size=3"
    _, pages = walk(url)
    last = pages[-1]
    back = []
    url = last["previous"]
    while url:
        page = requests.get(url).json()
        back = [x["url"] for x in page["results"]] + back
        url = page["previous"]
    assert back + [x["url"] for x in last["results"]] == [
        m["url"] for m in reversed(made)]


def test_each_record_once_while_inserting(api):
    obj = api.object()
    made = [api.create("key_value", {"object": obj["url"], "key": f"a{i}",
                                     "value": "x"})["url"] for i in range(10)]
    url = api.url("key_value") + f"?object={rid(obj['url'])}&page_size=3"
    seen, added = [], []
    while url:
        page = requests.get(url).json()
        seen += [x["url"] for x in page["results"]]
        url = page["next"]
        # new records land at the front, already passed
        added.append(api.create("key_value", {
            "object": obj["url"], "key": uniq("b"), "value": "x"})["url"])
    assert seen == list(reversed(made))
    assert len(set(seen)) == len(seen)


def test_each_record_once_with_ordering_and_concurrent_writers(api):
    obj = api.object()
    made = [api.create("key_value", {"object": obj["url"], "key": f"c{i:02}",
                                     "value": f"{i % 4}"})["url"]
            for i in range(20)]
    stop = threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            api.create("key_value", {"object": obj["url"],
                                     "key": f"z{n}-{uniq()}", "value": "9"})
            n += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        url = (api.url("key_value") + f"?object={rid(obj['url'])}"
               "&ordering=value,key&page_size=4")
        seen, _ = walk(url)
    finally:
        stop.set()
        t.join()
    mine = [u for u in seen if u in made]
    assert len(mine) == len(set(mine)) == 20
    recs = {u: requests.get(u).json() for u in mine}
    keys = [(recs[u]["value"], recs[u]["key"]) for u in mine]
    assert keys == sorted(keys)


def test_page_size(api, keyed):
    obj, made = keyed
    base = {"object": rid(obj["url"])}
    for size, shown in [("2", 2), (" 2 ", 2), ("100", 7), ("0", 7),
                        ("-1", 7), ("x", 7), ("1.5", 7),
                        ("99999999999999999999999", 7)]:
        r = api.get("key_value", {**base, "page_size": size})
        assert r.status_code == 200, size
        assert len(r.json()["results"]) == shown, size


def test_absurd_page_size_is_capped(api):
    r = api.get("object", {"page_size": 10**9})
    assert r.status_code == 200
    page = r.json()
    assert len(page["results"]) <= 1000
    assert (page["next"] is None) == (page["count"] <= 1000)


def test_default_page_is_100(api):
    obj = api.object()
    for i in range(101):
        api.create("key_value", {"object": obj["url"], "key": f"{i}",
                                 "value": "v"})
    page = api.get("key_value", {"object": rid(obj["url"])}).json()
    assert page["count"] == 101 and len(page["results"]) == 100
    rest = requests.get(page["next"]).json()
    assert len(rest["results"]) == 1 and rest["next"] is None


def tampered(cursor):
    """Every way of editing a cursor a client might try."""
    raw = cursor + "=" * (-len(cursor) % 4)
    data = base64.urlsafe_b64decode(raw)
    flip = bytes([data[0] ^ 1]) + data[1:]
    yield base64.urlsafe_b64encode(flip).decode().rstrip("=")
    digit = data.replace(b"1", b"2", 1) if b"1" in data else data + b"x"
    yield base64.urlsafe_b64encode(digit).decode().rstrip("=")
    yield cursor[:-2]
    yield cursor + "A"
    yield "!" + cursor[1:]
    yield "cD0xMjM="  # the reference's own format
    yield "bm9wZQ"
    yield "%%%"


def test_tampered_cursor_is_404(api, keyed):
    obj, _ = keyed
    page = api.get("key_value", {"object": rid(obj["url"]),
                                 "page_size": 2}).json()
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(page["next"]).query)
    cursor = q["cursor"][0]
    for bad in tampered(cursor):
        r = api.get("key_value", {"object": rid(obj["url"]), "page_size": 2,
                                  "cursor": bad})
        assert r.status_code == 404, bad
        assert r.headers["Content-Type"] == "application/json"
        assert r.json() == {"detail": "Invalid cursor"}
    # a cursor made for another ordering is no cursor here either
    r = api.get("key_value", {"object": rid(obj["url"]), "page_size": 2,
                              "ordering": "key", "cursor": cursor})
    assert r.status_code == 404
    # an empty cursor is the first page
    r = api.get("key_value", {"object": rid(obj["url"]), "page_size": 2,
                              "cursor": ""})
    assert r.status_code == 200 and r.json()["previous"] is None


def test_cursor_survives_other_filters_and_format(api, keyed):
    obj, made = keyed
    r = api.get("key_value", {"object": rid(obj["url"]), "page_size": 5,
                              "format": "json"})
    page = r.json()
    assert "format=json" in page["next"]
    rest = requests.get(page["next"]).json()
    assert [x["url"] for x in rest["results"]] == [
        m["url"] + "?format=json" for m in made[::-1][5:]]


def test_count_ignores_the_cursor(api, keyed):
    obj, _ = keyed
    seen, pages = walk(api.url("key_value") +
                       f"?object={rid(obj['url'])}&page_size=1")
    assert [p["count"] for p in pages] == [7] * 7


def psql(api, sql):
    env = dict(os.environ)
    for line in (api.var_dir / "env").read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    run = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                          "-c", sql], env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.fixture
def statement_log(api):
    """Counts the statements the registry sends to PostgreSQL while a
    function runs, from PostgreSQL's own log."""
    log = api.var_dir / "log" / "postgresql.log"
    if not log.exists():
        pytest.skip("no PostgreSQL log to read")
    psql(api, "ALTER SYSTEM SET log_statement = 'all'")
    psql(api, "SELECT pg_reload_conf()")
    time.sleep(1)

    def count(fn):
        start = log.stat().st_size
        fn()
        time.sleep(0.5)
        with open(log, "rb") as f:
            f.seek(start)
            text = f.read().decode(errors="replace")
        # behind PgBouncer each statement outside a transaction comes
        # with its statement timeout (src/db.c, bounded()): not a
        # statement of the page's
        return len(re.findall(r"LOG:  (?:execute [^:]*|statement): "
                              r"(?!SELECT set_config\('statement_timeout')",
                              text))

    try:
        yield count
    finally:
        psql(api, "ALTER SYSTEM RESET log_statement")
        psql(api, "SELECT pg_reload_conf()")


def test_a_page_costs_a_fixed_number_of_statements(api, statement_log):
    script = api.object()
    comp = api.component()
    for i in range(40):
        api.code_run(script, inputs=[comp["url"], api.component()["url"]],
                     outputs=[api.component()["url"]])
    sid = rid(script["url"])

    def page(size, extra=""):
        def fn():
            r = requests.get(f"{api.base}/api/code_run/?submission_script="
                             f"{sid}&page_size={size}{extra}")
            assert r.status_code == 200
            assert len(r.json()["results"]) == min(size, 40)
        return fn

    for extra in ("", f"&inputs={rid(comp['url'])}"):
        one = statement_log(page(1, extra))
        many = statement_log(page(40, extra))
        assert one == many, (extra, one, many)
        assert many <= 2
    # the objects list, with all its reverse relations
    one = statement_log(lambda: requests.get(
        f"{api.base}/api/object/?page_size=1"))
    many = statement_log(lambda: requests.get(
        f"{api.base}/api/object/?page_size=100"))
    assert one == many == 1


@pytest.mark.parametrize("ordering", ["description", "-description",
                                      "file_type,-description",
                                      "-storage_location,uuid"])
def test_pages_over_nullable_keys(api, ordering):
    """Keyset pages stay exact when sort keys are NULL for some records."""
    ftype = api.file_type()
    author = api.author()  # marks this test's objects
    tag = uniq()
    made = []
    for i in range(9):
        body = {"description": None if i % 3 == 0 else f"{tag} {i % 4}",
                "authors": [author["url"]]}
        if i % 2:
            body["file_type"] = ftype["url"]
        made.append(api.create("object", body)["url"])
    url = (api.url("object") + f"?ordering={ordering}&page_size=2"
           f"&authors={rid(author['url'])}")
    seen, _ = walk(url)
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))


def test_every_resource_table_keeps_its_count(api):
    """An unfiltered list's count comes from the counts the tables keep
    (migrations/0003_row_count.sql): a resource whose table keeps none
    would fall back to counting, capped, so a new resource's migration
    must call row_count_track()."""
    names = [n for n in requests.get(f"{api.base}/api/").json()
             if re.fullmatch(r"[a-z_]+", n)]
    untracked = psql(api, "SELECT string_agg(name, ',') FROM unnest("
                     f"string_to_array('{','.join(names)}', ',')) name "
                     "WHERE to_regclass(name) IS NOT NULL AND NOT EXISTS "
                     "(SELECT 1 FROM row_count WHERE tbl = name)").strip()
    assert untracked == ""


def unfiltered_count(api, resource):
    r = api.get(resource, params={"page_size": 1}, auth=True)
    assert r.status_code == 200, r.text
    return r.json()["count"]


def test_unfiltered_count_is_exact_through_writes(api):
    """Concurrent inserts, a delete, and a write that fails and rolls back:
    the count stays the table's true row count."""
    before = unfiltered_count(api, "key_value")
    obj = api.object()

    def writer(w):
        for i in range(10):
            api.create("key_value", {"object": obj["url"], "key": f"w{w}-{i}",
                                     "value": "v"})
    threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert unfiltered_count(api, "key_value") == before + 60
    # a duplicate is refused and leaves no trace in the count
    r = api.post("key_value", {"object": obj["url"], "key": "w0-0",
                               "value": "v"})
    assert r.status_code == 409, r.text
    runs = unfiltered_count(api, "code_run")
    run = api.code_run()
    assert unfiltered_count(api, "code_run") == runs + 1
    assert api.send("DELETE", run["url"]).status_code == 204
    assert unfiltered_count(api, "code_run") == runs
    assert unfiltered_count(api, "key_value") == before + 60
    for table in ("key_value", "code_run", "object", "object_component"):
        assert unfiltered_count(api, table) == int(
            psql(api, f"SELECT count(*) FROM {table}"))
