"""`registry example-data`: the example registry loads once (a second run
changes nothing), is written as admin, holds the SEIRS code run as the fair
CLI leaves it (one input, two outputs) and is linked together so that every
hyperlink in it can be followed."""

import os
import subprocess

import pytest
import requests

MARKER = "fair_example"


def run_example_data(var_dir, registry_bin):
    env = dict(os.environ)
    env.pop("REGISTRY_DATABASE_URL", None)
    for line in (var_dir / "env").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            env[key.strip()] = value.strip()
    return subprocess.run([str(registry_bin), "example-data"], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def runs(var_dir, registry_bin):
    """Two loads in a row (the instance may have had the example already)."""
    return [run_example_data(var_dir, registry_bin) for _ in range(2)]


def get(url, auth, **params):
    r = requests.get(url, headers=auth, params=params)
    assert r.status_code == 200, f"{url} {params}: {r.status_code} {r.text}"
    return r.json()


def only(base_url, auth, resource, **params):
    page = get(f"{base_url}/api/{resource}/", auth, **params)
    assert page["count"] == 1, (resource, params, page)
    return page["results"][0]


@pytest.fixture(scope="module")
def namespace(base_url, auth, runs):
    return only(base_url, auth, "namespace", name=MARKER)


def product(base_url, auth, namespace, name, version):
    return only(base_url, auth, "data_product", namespace=namespace["url"]
                .rstrip("/").rsplit("/", 1)[1], name=name, version=version)


def test_loads_once_and_says_so(runs):
    first, second = runs
    assert first.returncode == 0, first.stderr
    assert "example data" in first.stdout
    assert second.returncode == 0, second.stderr
    assert "already loaded" in second.stdout


def test_second_run_adds_nothing(base_url, auth, namespace):
    ns_id = namespace["url"].rstrip("/").rsplit("/", 1)[1]
    products = get(f"{base_url}/api/data_product/", auth, namespace=ns_id)
    assert products["count"] == 5
    names = sorted((p["name"], p["version"]) for p in products["results"])
    assert ("SEIRS_model/parameters", "1.0.0") in names
    assert ("SEIRS_model/parameters", "1.1.0") in names


def test_written_as_admin(base_url, auth, namespace):
    user = get(namespace["updated_by"], auth)
    assert user["username"] == "admin"


def test_seirs_code_run(base_url, auth, namespace):
    params = product(base_url, auth, namespace, "SEIRS_model/parameters",
                     "1.0.0")
    obj = get(params["object"], auth)
    whole = get(obj["components"][0], auth)
    assert whole["name"] == "whole_object" and whole["whole_object"] is True
    assert len(whole["inputs_of"]) == 1
    run = get(whole["inputs_of"][0], auth)
    assert run["description"] == "SEIRS Model python"
    assert run["inputs"] == [whole["url"]]
    assert len(run["outputs"]) == 2
    for field in ["code_repo", "model_config", "submission_script"]:
        assert run[field].startswith(f"{base_url}/api/object/")
    produced = set()
    for url in run["outputs"]:
        out = get(url, auth)
        assert out["whole_object"] is True and out["outputs_of"] == [run["url"]]
        for dp in get(out["object"], auth)["data_products"]:
            produced.add(get(dp, auth)["name"])
    assert produced == {"SEIRS_model/results/model_output/python",
                        "SEIRS_model/results/figure/python"}
    repo = get(run["code_repo"], auth)
    release = get(repo["code_repo_release"], auth)
    assert (release["name"], release["version"]) == ("pySimpleModel", "1.2.0")


def test_external_object_takes_its_version(base_url, auth, runs):
    ns = only(base_url, auth, "namespace", name="example_statistics_office")
    dp = product(base_url, auth, ns, "population/mid_year_estimates",
                 "2023.0.0")
    ext = get(dp["external_object"], auth)
    assert ext["version"] == "2023.0.0"
    assert ext["original_store"].startswith(
        f"{base_url}/api/storage_location/")


def test_results_carry_issues_and_quality_control(base_url, auth, namespace):
    dp = product(base_url, auth, namespace,
                 "SEIRS_model/results/model_output/python", "0.0.1")
    obj = get(dp["object"], auth)
    assert obj["quality_control"] is not None
    assert len(obj["components"]) == 5  # whole_object + four compartments
    assert obj["keywords"] and obj["authors"]
    issues = [i for c in obj["components"] for i in get(c, auth)["issues"]]
    assert issues
    oid = obj["url"].rstrip("/").rsplit("/", 1)[1]
    keys = get(f"{base_url}/api/key_value/", auth, object=oid)
    assert [kv["key"] for kv in keys["results"]] == ["timesteps"]


# Served by their own handlers, which may not exist yet.
REPORT_KEYS = {"prov_report", "ro_crate"}


def crawl(base_url, auth, seeds):
    """Every hyperlink reachable from the seeds: {url: status}, and the
    report links seen on the way."""
    api = f"{base_url}/api/"
    seen, reports, todo = {}, set(), list(seeds)

    def collect(value, key=None):
        if isinstance(value, str) and value.startswith(api):
            (reports.add if key in REPORT_KEYS else todo.append)(value)
        elif isinstance(value, list):
            for v in value:
                collect(v, key)
        elif isinstance(value, dict):
            for k, v in value.items():
                collect(v, k)

    while todo and len(seen) < 2000:
        url = todo.pop()
        if url in seen:
            continue
        r = requests.get(url, headers=auth)
        seen[url] = r.status_code
        if r.status_code == 200:
            collect(r.json())
    return seen, reports


@pytest.fixture(scope="module")
def crawled(base_url, auth, namespace):
    stats = only(base_url, auth, "namespace", name="example_statistics_office")
    seeds = [namespace["url"], stats["url"],
             f"{base_url}/api/data_product/?namespace="
             + namespace["url"].rstrip("/").rsplit("/", 1)[1],
             f"{base_url}/api/data_product/?namespace="
             + stats["url"].rstrip("/").rsplit("/", 1)[1],
             f"{base_url}/api/code_repo_release/?name=pySimpleModel"]
    return crawl(base_url, auth, seeds)


def test_every_hyperlink_resolves(crawled):
    seen, _ = crawled
    broken = {u: s for u, s in seen.items() if s != 200}
    assert not broken
    kinds = {u.split("/api/")[1].split("/")[0] for u in seen}
    for kind in ["namespace", "data_product", "object", "object_component",
                 "code_run", "storage_location", "storage_root", "file_type",
                 "author", "issue", "external_object", "code_repo_release",
                 "quality_controlled", "keyword", "licence", "users"]:
        assert kind in kinds, kind


def test_report_links_resolve(crawled):
    _, reports = crawled
    assert reports
    broken = {u: requests.get(u).status_code for u in sorted(reports)}
    broken = {u: s for u, s in broken.items() if s != 200}
    if broken and all(s == 404 for s in broken.values()):
        pytest.xfail("prov-report / ro-crate endpoints are not served yet")
    assert not broken
