"""The website and the browsable API in a real browser (headless Chromium):
the home page, a list page, a record page and the seed page
/api/code_run/?format=api load with their content, styled, without a
console error, a failed load or a script dialog, no wider than the window;
a screenshot of each is saved for a person to look at."""

import uuid

import pytest
import requests

HOSTILE = "<script>alert(1)</script>"


def post(base_url, auth, resource, body):
    r = requests.post(f"{base_url}/api/{resource}/", json=body, headers=auth)
    assert r.status_code == 201, (resource, r.text)
    return r.json()


def rec_id(url):
    return int(url.split("?")[0].rstrip("/").split("/")[-1])


@pytest.fixture(scope="module")
def run(base_url, auth):
    """A code run with one input and two outputs, as the SEIRS example
    leaves behind, plus a product, a release and a hostile issue."""
    u = uuid.uuid4().hex[:10]

    def obj(desc):
        o = post(base_url, auth, "object", {"description": desc})
        return o, requests.get(o["url"]).json()["components"][0]

    script, _ = obj(f"Submission script {u}")
    config, _ = obj(f"Working config.yaml {u}")
    repo, _ = obj(f"Repository {u}")
    inp, inp_c = obj(f"Input {u}")
    out1, out1_c = obj(f"Figure {u}")
    out2, out2_c = obj(f"Model output {u}")
    ns = post(base_url, auth, "namespace", {"name": f"browser_{u}"})
    dp = post(base_url, auth, "data_product",
              {"name": f"SEIRS_model/results/figure/{u}", "version": "0.0.1",
               "object": out1["url"], "namespace": ns["url"]})
    post(base_url, auth, "code_repo_release",
         {"name": f"pySimpleModel_{u}", "version": "1.2.0",
          "website": "https://github.com/FAIRDataPipeline/pySimpleModel",
          "object": repo["url"]})
    cr = post(base_url, auth, "code_run",
              {"run_date": "2024-02-09T15:35:42.655339Z",
               "description": f"SEIRS Model python {u}",
               "submission_script": script["url"],
               "code_repo": repo["url"], "model_config": config["url"],
               "inputs": [inp_c], "outputs": [out1_c, out2_c]})
    issue = post(base_url, auth, "issue",
                 {"description": f"{HOSTILE} {u} " + "x" * 5000,
                  "severity": 3, "component_issues": [out2_c]})
    return dict(u=u, run=cr, dp=dp, ns=ns, issue=issue)


def check_clean(page, url, expect_status=200):
    """The page loaded as a person would want: status, styled, no errors,
    no dialog, nothing sticking out sideways."""
    status = page.goto(url)
    assert status == expect_status, url
    errors = [e for e in page.errors()
              # the document's own 4xx status is logged by Chromium
              if not (expect_status >= 400 and url in e)]
    assert errors == [], (url, errors)
    assert not [ev for ev in page.events
                if ev.get("method") == "Page.javascriptDialogOpening"], url
    bg = page.eval("getComputedStyle(document.querySelector('header.top'))"
                   ".backgroundColor")
    assert bg not in ("", "rgba(0, 0, 0, 0)", "transparent"), \
        "the stylesheet was not applied"
    overflow = page.eval("document.documentElement.scrollWidth - "
                         "document.documentElement.clientWidth")
    assert overflow <= 0, (url, "wider than the window by", overflow)
    assert page.eval("document.scripts.length") == 0, url


def test_home_page(page, base_url, run, screenshots):
    check_clean(page, f"{base_url}/")
    headings = page.eval("[...document.querySelectorAll('h2')]"
                         ".map(h => h.textContent)")
    assert ["Data products", "External objects",
            "Code repo releases"] == headings[:3]
    page.screenshot(screenshots / "home.png")
    # search the products table as a person would: type, submit
    u = run["u"]
    page.eval(f"""(() => {{
        const box = document.querySelector('input[name=dp_q]');
        box.value = 'results/figure/{u}';
        box.form.submit(); }})()""")
    page.wait_event("Page.loadEventFired")
    rows = page.eval("[...document.querySelectorAll('#dp tbody tr')]"
                     ".map(r => r.innerText)")
    assert len(rows) == 1 and f"SEIRS_model/results/figure/{u}" in rows[0]
    assert page.eval("document.querySelector('#dp a.file').getAttribute"
                     f"('href')") == \
        f"/data_product/browser_{u}:SEIRS_model/results/figure/{u}@0.0.1"
    page.screenshot(screenshots / "home-search.png")


def test_list_page(page, base_url, run, screenshots):
    check_clean(page, f"{base_url}/code_runs/")
    assert page.eval("document.querySelector('h1').textContent") == \
        "Code runs"
    texts = page.eval("[...document.querySelectorAll('tbody a')]"
                      ".map(a => a.textContent)")
    assert f"SEIRS Model python {run['u']}" in texts
    page.screenshot(screenshots / "list-code-runs.png")
    check_clean(page, f"{base_url}/issues/?q={run['u']}")
    page.screenshot(screenshots / "list-issues-hostile.png")


def test_record_page(page, base_url, run, screenshots):
    run_id = rec_id(run["run"]["url"])
    check_clean(page, f"{base_url}/code_run/{run_id}")
    h1 = page.eval("document.querySelector('h1').textContent")
    assert h1 == f"Code Run SEIRS Model python {run['u']}"
    links = page.eval("[...document.querySelectorAll('dl.record a')]"
                      ".map(a => [a.getAttribute('href'), a.textContent])")
    texts = [t for _, t in links]
    assert f"Submission script {run['u']}" in texts
    assert f"Working config.yaml {run['u']}" in texts
    outputs = page.eval("[...document.querySelectorAll('dd')].find(d => "
                        "d.previousElementSibling.textContent == 'Outputs')"
                        ".querySelectorAll('li').length")
    assert outputs == 2
    page.screenshot(screenshots / "record-code-run.png")
    # follow a link to another record, as a person would click it
    href = next(h for h, t in links if t.startswith("Submission script"))
    check_clean(page, base_url + href)
    dp_id = rec_id(run["dp"]["url"])
    check_clean(page, f"{base_url}/data_product/{dp_id}")
    page.screenshot(screenshots / "record-data-product.png")
    # a hostile value is text, and a long one stays in its box
    check_clean(page, f"{base_url}/issue/{rec_id(run['issue']['url'])}")
    shown = page.eval("[...document.querySelectorAll('dd')].find(d => "
                      "d.previousElementSibling.textContent == "
                      "'Description').textContent")
    assert shown.startswith(HOSTILE)
    page.screenshot(screenshots / "record-issue-hostile.png")


def test_seed_page(page, base_url, run, screenshots):
    url = f"{base_url}/api/code_run/?format=api"
    check_clean(page, url)
    assert page.eval("document.querySelector('h1').textContent") == \
        "Code Run List"
    assert page.eval("document.querySelector('div.request').innerText"
                     ".trim()") == "GET /api/code_run/?format=api"
    head = page.eval("document.querySelector('div.response .head')"
                     ".innerText")
    assert head.splitlines()[:4] == [
        "HTTP 200 OK", "Allow: GET, POST, HEAD, OPTIONS",
        "Content-Type: application/json", "Vary: Accept"]
    body = page.eval("document.querySelector('div.response pre')"
                     ".innerText")
    assert f'"description": "SEIRS Model python {run["u"]}"' in body
    links = page.eval("[...document.querySelectorAll('div.response a')]"
                      ".map(a => a.href)")
    run_link = run["run"]["url"] + "?format=api"
    assert run_link in links
    assert all(link.endswith("?format=api") for link in links
               if "/api/ro-crate/" not in link)
    page.screenshot(screenshots / "seed-code-run-list.png")
    # a click on the run's url shows the run in the browsable API
    check_clean(page, run_link)
    assert page.eval("document.querySelector('h1').textContent") == \
        "Code Run Instance"
    page.screenshot(screenshots / "seed-code-run-instance.png")


def test_not_found_page(page, base_url, screenshots):
    check_clean(page, f"{base_url}/no/such/page", expect_status=404)
    assert "404" in page.eval("document.querySelector('h1').textContent")
    page.screenshot(screenshots / "not-found.png")
