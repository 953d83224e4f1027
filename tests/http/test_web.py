"""The browsable API and the website over plain HTTP: HTML for browsers
and ?format=api, the same JSON as before for everyone else, every value
escaped, links that keep ?format=api, the home page's searchable and
paginated tables, a page for every record, the guides, HTML 404s."""

import html
import re
import uuid
from urllib.parse import urljoin, urlparse

import pytest
import requests

BROWSER_ACCEPT = ("text/html,application/xhtml+xml,application/xml;q=0.9,"
                  "image/avif,image/webp,*/*;q=0.8")
HOSTILE = "<script>alert(1)</script>"
ATTR_HOSTILE = "\"><img src=x onerror=alert(1)>"


def post(base_url, auth, resource, body):
    r = requests.post(f"{base_url}/api/{resource}/", json=body, headers=auth)
    assert r.status_code == 201, (resource, r.text)
    return r.json()


def rec_id(url):
    return int(url.rstrip("/").split("?")[0].rstrip("/").split("/")[-1])


@pytest.fixture(scope="module")
def recs(base_url, auth):
    """A small SEIRS-like run: objects, a product, a code run, an external
    object, a release, and records carrying hostile values."""
    u = uuid.uuid4().hex[:10]
    root = post(base_url, auth, "storage_root",
                {"root": f"https://data.example.org/{u}/"})
    loc = post(base_url, auth, "storage_location",
               {"path": f"seirs/{u}.csv", "hash": uuid.uuid4().hex,
                "storage_root": root["url"]})

    def obj(desc, **kw):
        o = post(base_url, auth, "object", {"description": desc, **kw})
        comp = requests.get(o["url"]).json()["components"][0]
        return o, comp

    script, _ = obj(f"Submission script {u}")
    config, _ = obj(f"Config {u}")
    repo, _ = obj(f"Repository {u}")
    inp, inp_c = obj(f"Input {u}")
    out, out_c = obj(f"Output {u}", storage_location=loc["url"])
    ns = post(base_url, auth, "namespace", {"name": f"ns_{u}"})
    dp = post(base_url, auth, "data_product",
              {"name": f"SEIRS_model/results/{u}", "version": "0.0.1",
               "object": out["url"], "namespace": ns["url"]})
    dp_in = post(base_url, auth, "data_product",
                 {"name": f"population/{u}", "version": "2023.0.0",
                  "object": inp["url"], "namespace": ns["url"]})
    run = post(base_url, auth, "code_run",
               {"run_date": "2024-02-09T15:35:42.655339Z",
                "description": f"SEIRS Model python {u}",
                "submission_script": script["url"],
                "code_repo": repo["url"], "model_config": config["url"],
                "inputs": [inp_c], "outputs": [out_c]})
    crr = post(base_url, auth, "code_repo_release",
               {"name": f"model_{u}", "version": "1.2.0",
                "website": "https://github.com/FAIRDataPipeline/pySimpleModel",
                "object": repo["url"]})
    eo = post(base_url, auth, "external_object",
              {"title": f"Mid-year estimates {u}",
               "alternate_identifier": f"ons_{u}",
               "alternate_identifier_type": "ons",
               "identifier": f"https://doi.org/10.5555/{u}",
               "release_date": "2024-06-26T00:00:00Z",
               "data_product": dp_in["url"]})
    hostile_obj, hostile_c = obj(ATTR_HOSTILE + "A" * 20000)
    issue = post(base_url, auth, "issue",
                 {"description": HOSTILE + " " + u, "severity": 7,
                  "component_issues": [hostile_c]})
    return dict(u=u, root=root, loc=loc, script=script, config=config,
                repo=repo, inp=inp, out=out, out_c=out_c, ns=ns, dp=dp,
                dp_in=dp_in, run=run, crr=crr, eo=eo,
                hostile_obj=hostile_obj, issue=issue)


def get_html(url, **kw):
    r = requests.get(url, **kw)
    assert r.headers["Content-Type"] == "text/html; charset=utf-8", r.text
    return r


def text_of(page):
    """The visible text, roughly: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def hrefs(page):
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', page)]


# ---- the browsable API -------------------------------------------------

def test_seed_page_is_html_with_name_doc_request_and_headers(base_url, recs,
                                                             auth):
    r = get_html(f"{base_url}/api/code_run/?format=api")
    assert r.status_code == 200
    page = r.text
    text = text_of(page)
    assert "<h1>Code Run List</h1>" in page
    desc = requests.options(f"{base_url}/api/code_run/",
                            headers=auth).json()["description"]
    first = desc.split("\n")[0]
    assert first and first in text
    assert "GET /api/code_run/?format=api" in text
    assert "HTTP 200 OK" in text
    assert "Allow: GET, POST, HEAD, OPTIONS" in text
    assert "Content-Type: application/json" in text
    assert "Vary: Accept" in text
    assert r.headers["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert r.headers["Vary"] == "Accept"
    # the body is the JSON answer, pretty-printed
    assert '"count": ' in text and '"results": [' in text
    assert f'"description": "SEIRS Model python {recs["u"]}"' in text


def test_seed_page_links_are_clickable_and_keep_format_api(base_url, recs):
    page = get_html(f"{base_url}/api/code_run/?format=api").text
    # links to this registry are written as paths; a browser resolves them
    links = [urljoin(base_url + "/", h) for h in hrefs(page)]
    links = [h for h in links if h.startswith(base_url + "/api/")]
    run_url = recs["run"]["url"] + "?format=api"
    assert run_url in links
    assert recs["script"]["url"] + "?format=api" in links
    record_links = [h for h in links
                    if re.search(r"/api/[a-z_]+/\d+/", h)]
    assert record_links
    assert all(h.endswith("?format=api") for h in record_links)
    # shown as the JSON shows them, and each leads to an HTML page
    target = get_html(run_url)
    assert target.status_code == 200
    assert "<h1>Code Run Instance</h1>" in target.text


def test_browser_accept_gets_html_json_clients_see_no_change(base_url, recs):
    url = recs["run"]["url"]
    plain = requests.get(url)
    assert plain.headers["Content-Type"] == "application/json"
    assert plain.json()["url"] == url
    for accept in ["application/json", "*/*", "application/json, text/html",
                   "application/json; version=1.0.0"]:
        r = requests.get(url, headers={"Accept": accept})
        assert r.headers["Content-Type"] == "application/json", accept
        assert r.content == plain.content
        assert "Content-Security-Policy" not in r.headers
    r = get_html(url, headers={"Accept": BROWSER_ACCEPT})
    assert "<h1>Code Run Instance</h1>" in r.text
    r = get_html(url, headers={"Accept": "text/html"})
    assert r.status_code == 200
    # format=json wins over a browser's Accept
    r = requests.get(url, params={"format": "json"},
                     headers={"Accept": BROWSER_ACCEPT})
    assert r.headers["Content-Type"] == "application/json"


def test_list_pages_have_next_and_previous_links(base_url, recs):
    r = get_html(f"{base_url}/api/object/?format=api&page_size=2")
    nxt = re.search(r'<a rel="next" href="([^"]*)"', r.text)
    assert nxt, r.text[:2000]
    nxt = html.unescape(nxt.group(1))
    assert "format=api" in nxt and "cursor=" in nxt
    second = get_html(nxt)
    assert re.search(r'<a rel="prev" href="[^"]*format=api', second.text)


def test_errors_render_as_html_too(base_url, recs):
    r = get_html(f"{base_url}/api/code_run/999999999/?format=api")
    assert r.status_code == 404
    text = text_of(r.text)
    assert "HTTP 404 Not Found" in text and "No CodeRun matches" in text
    r = get_html(f"{base_url}/api/code_run/?format=api&run_date=x")
    assert r.status_code == 400
    assert "Enter a valid date/time." in text_of(r.text)
    r = get_html(f"{base_url}/api/nope/?format=api")
    assert r.status_code == 404
    r = requests.post(f"{base_url}/api/code_run/?format=api", json={})
    assert r.status_code == 403
    assert "Authentication credentials were not provided." in \
        text_of(r.text)
    # the JSON clients' errors are unchanged
    r = requests.get(f"{base_url}/api/code_run/999999999/")
    assert r.status_code == 404 and r.headers["Content-Type"] == \
        "application/json"


def test_api_root_and_head(base_url):
    r = get_html(f"{base_url}/api/?format=api")
    assert "<h1>Api Root</h1>" in r.text
    assert 'href="/api/code_run/?format=api"' in r.text
    assert f'>{base_url}/api/code_run/?format=api</a>' in r.text
    h = requests.head(f"{base_url}/api/code_run/?format=api")
    assert h.status_code == 200
    assert h.headers["Content-Type"] == "text/html; charset=utf-8"
    assert not h.content


def test_hostile_values_are_text_everywhere(base_url, recs):
    issue = recs["issue"]
    pages = [
        issue["url"] + "?format=api",
        f"{base_url}/issue/{rec_id(issue['url'])}",
        f"{base_url}/issues/?q={recs['u']}",
        recs["hostile_obj"]["url"] + "?format=api",
        f"{base_url}/object/{rec_id(recs['hostile_obj']['url'])}",
    ]
    for url in pages:
        r = get_html(url)
        assert r.status_code == 200, url
        assert "<script" not in r.text.lower(), url
        assert "<img" not in r.text.lower(), url
        text = text_of(r.text)
        assert HOSTILE in text or ATTR_HOSTILE in text, url
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'none'" in csp


def test_no_asset_from_another_host(base_url, recs):
    for path in ["/", "/api/code_run/?format=api", "/code_runs/",
                 f"/code_run/{rec_id(recs['run']['url'])}"]:
        page = get_html(base_url + path).text
        for tag in re.findall(r"<(?:link|script|img|iframe)\b[^>]*>", page):
            src = re.search(r'(?:href|src)="([^"]*)"', tag)
            assert src and not urlparse(src.group(1)).netloc, tag
        assert "<script" not in page


def test_static_assets_come_from_nginx(base_url):
    r = requests.get(f"{base_url}/static/registry.css")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/css")
    # nginx's expires directive; the registry's workers never send it
    assert "max-age=3600" in r.headers.get("Cache-Control", "")
    assert requests.get(f"{base_url}/static/favicon.svg").status_code == 200


# ---- the website --------------------------------------------------------

def test_home_page_has_three_searchable_tables(base_url, recs):
    r = get_html(f"{base_url}/")
    assert r.status_code == 200
    for heading in ["Data products", "External objects",
                    "Code repo releases"]:
        assert f"<h2>{heading}</h2>" in r.text
    u = recs["u"]
    r = get_html(f"{base_url}/", params={"dp_q": f"results/{u}",
                                         "eo_q": u, "cr_q": f"model_{u}"})
    text = text_of(r.text)
    assert f"SEIRS_model/results/{u}" in text
    assert f"population/{u}" not in text  # filtered out
    assert f"Mid-year estimates {u}" in text
    assert f"model_{u}" in text
    links = hrefs(r.text)
    dp_id = rec_id(recs["dp"]["url"])
    assert f"/data_product/{dp_id}" in links
    assert f"/data_product/ns_{u}:SEIRS_model/results/{u}@0.0.1" in links
    assert f"/external_object/{rec_id(recs['eo']['url'])}" in links
    assert f"/code_repo_release/{rec_id(recs['crr']['url'])}" in links
    # the search boxes keep what was searched
    assert f'name="dp_q" value="results/{u}"' in r.text
    # a search that matches nothing says so
    r = get_html(f"{base_url}/", params={"dp_q": "no such thing " + u})
    assert "Nothing matches." in r.text
    # wildcards of SQL are plain characters in a search
    r = get_html(f"{base_url}/", params={"dp_q": "%"})
    assert r.status_code == 200


def test_home_tables_paginate_on_the_server(base_url, auth, recs):
    u = uuid.uuid4().hex[:10]
    ns = post(base_url, auth, "namespace", {"name": f"page_{u}"})
    for i in range(27):
        o = post(base_url, auth, "object", {"description": f"p{i}"})
        post(base_url, auth, "data_product",
             {"name": f"paged/{u}/{i:02d}", "version": "1.0.0",
              "object": o["url"], "namespace": ns["url"]})
    r = get_html(f"{base_url}/", params={"dp_q": f"page_{u}",
                                         "cr_q": "keep"})
    text = text_of(r.text)
    assert "1–25 of 27" in text
    assert f"paged/{u}/00" in text and f"paged/{u}/24" in text
    assert f"paged/{u}/25" not in text
    nxt = re.search(r'<a rel="next" href="([^"]*)"', r.text)
    nxt = html.unescape(nxt.group(1))
    assert "dp_page=2" in nxt and "cr_q=keep" in nxt
    r2 = get_html(urljoin(base_url + "/", nxt))
    text2 = text_of(r2.text)
    assert "26–27 of 27" in text2
    assert f"paged/{u}/25" in text2 and f"paged/{u}/00" not in text2
    # a page past the end is not an error
    r3 = get_html(f"{base_url}/", params={"dp_q": f"page_{u}",
                                          "dp_page": "99"})
    assert r3.status_code == 200 and "Nothing matches." in r3.text
    r4 = get_html(f"{base_url}/", params={"dp_page": "-3"})
    assert r4.status_code == 200


def test_every_resource_has_list_and_detail_pages(base_url, recs):
    names = [n for n in requests.get(f"{base_url}/api/").json()
             if n not in ("users", "groups")]
    for name in names:
        r = get_html(f"{base_url}/{name}s/")
        assert r.status_code == 200, name
        first = re.search(rf'href="/{name}/(\d+)"', r.text)
        if first:
            d = get_html(f"{base_url}/{name}/{first.group(1)}")
            assert d.status_code == 200, name
            assert f"/api/{name}/{first.group(1)}/?format=api" in d.text


def test_record_pages_link_to_related_records(base_url, recs):
    run_id = rec_id(recs["run"]["url"])
    r = get_html(f"{base_url}/code_run/{run_id}")
    links = hrefs(r.text)
    for key in ["script", "config", "repo"]:
        assert f"/object/{rec_id(recs[key]['url'])}" in links, key
    assert f"/object_component/{rec_id(recs['out_c'])}" in links
    text = text_of(r.text)
    assert f"SEIRS Model python {recs['u']}" in text
    assert f"Submission script {recs['u']}" in text  # a label, not an id
    # every link of the site's own pages leads to a page
    for h in links:
        if h.startswith("/") and not h.startswith(("/api/", "/static/")):
            got = requests.get(base_url + h)
            assert got.status_code == 200, h


def test_data_product_page_links_file_and_provenance(base_url, recs):
    dp_id = rec_id(recs["dp"]["url"])
    r = get_html(f"{base_url}/data_product/{dp_id}")
    links = hrefs(r.text)
    u = recs["u"]
    assert f"/data_product/ns_{u}:SEIRS_model/results/{u}@0.0.1" in links
    assert f"/api/prov-report/{dp_id}/" in links
    assert f"/api/prov-report/{dp_id}/?format=svg" in links
    assert f"/namespace/{rec_id(recs['ns']['url'])}" in links
    assert f"/object/{rec_id(recs['out']['url'])}" in links


def test_issues_page(base_url, recs):
    r = get_html(f"{base_url}/issues/", params={"q": recs["u"]})
    assert r.status_code == 200
    assert "<th>Severity</th>" in r.text
    assert f"/issue/{rec_id(recs['issue']['url'])}" in hrefs(r.text)
    assert "<td>7</td>" in r.text


def test_huge_values_are_contained(base_url, recs):
    r = get_html(f"{base_url}/object/{rec_id(recs['hostile_obj']['url'])}")
    # the whole value is there, inside its own box
    assert "A" * 20000 in r.text
    assert re.search(r'<div class="text">&quot;&gt;&lt;img', r.text)
    # the heading shows a short form
    h1 = re.search(r"<h1>(.*?)</h1>", r.text, re.S).group(1)
    assert len(h1) < 400


def test_guides(base_url, root_dir):
    r = get_html(f"{base_url}/docs/")
    assert r.status_code == 200
    assert "/docs/web.md" in hrefs(r.text)
    r = get_html(f"{base_url}/docs/web.md")
    assert r.status_code == 200
    first = (root_dir / "docs" / "web.md").read_text().splitlines()[0]
    assert f"<h1>{html.escape(first.lstrip('# '), quote=True)}</h1>" in \
        r.text
    assert get_html(f"{base_url}/docs/web").status_code == 200
    for bad in ["/docs/..%2fMakefile", "/docs/.hidden", "/docs/nope.md",
                "/docs/%2e%2e/%2e%2e/etc/passwd"]:
        got = requests.get(base_url + bad,
                           headers={"Accept": BROWSER_ACCEPT})
        # nginx itself refuses a path that climbs above the root (400)
        assert got.status_code in (400, 404), bad
        assert "root:" not in got.text and "CC " not in got.text


def test_unknown_pages(base_url):
    r = get_html(f"{base_url}/no/such/page",
                 headers={"Accept": BROWSER_ACCEPT})
    assert r.status_code == 404
    assert "404 Not Found" in text_of(r.text)
    r = requests.get(f"{base_url}/no/such/page")
    assert r.status_code == 404
    assert r.headers["Content-Type"] == "application/json"
    assert r.json() == {"detail": "Not found."}
    r = get_html(f"{base_url}/code_run/999999999")
    assert r.status_code == 404
    r = get_html(f"{base_url}/users/",  # no pages for users
                 headers={"Accept": BROWSER_ACCEPT})
    assert r.status_code == 404
