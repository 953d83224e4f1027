"""Checks, through the API alone, what the client scenarios left in the
registry (run by tests/clients/run_clients.sh; uses requests only, none of
the clients' code).

    check_records.py seirs API_URL RUNS PROJECT_DIR SOURCE_CSV
        RUNS code runs "SEIRS Model python" (the seed's record, API.md §10,
        once per `fair run`): model_config, submission_script, code_repo,
        one input (the external object's data product) and two outputs, the
        k-th run's outputs at version 0.0.k, every file's SHA-1 true.
    check_records.py pdp API_URL SUMMARY_JSON
        the pyDataPipeline-only model's two runs and its issues.

Prints one line per check and exits 1 on the first failure."""

import hashlib
import json
import subprocess
import sys
from urllib.parse import unquote, urlsplit

import requests

API = ""


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def ok(msg):
    print(f"ok: {msg}")


def check(cond, msg):
    if not cond:
        fail(msg)
    ok(msg)


def get(url, **params):
    r = requests.get(url, params=params, headers={"Accept": "application/json"})
    if r.status_code != 200:
        fail(f"GET {r.url} answered {r.status_code}: {r.text[:300]}")
    return r.json()


def listing(resource, **params):
    params.setdefault("page_size", 1000)
    return get(f"{API}{resource}/", **params)["results"]


def sha1(path):
    with open(path, "rb") as f:
        return hashlib.sha1(f.read()).hexdigest()


def local_file(obj):
    """The file an object's storage location names, if its root is local."""
    loc = get(obj["storage_location"])
    root = get(loc["storage_root"])["root"]
    if not root.startswith("file://"):
        return loc, None
    return loc, unquote(urlsplit(root).path) + loc["path"].lstrip("/")


def check_file_object(obj_url, what):
    obj = get(obj_url)
    loc, path = local_file(obj)
    check(path is not None, f"{what}: stored under a file:// root ({loc['path']})")
    check(len(loc["hash"]) == 40 and sha1(path) == loc["hash"],
          f"{what}: storage location hash is the SHA-1 of {path}")
    return obj


def component(url):
    comp = get(url)
    return comp, get(comp["object"])


def seirs(runs, project, source_csv):
    code_runs = sorted(listing("code_run", description="SEIRS Model python"),
                       key=lambda r: int(r["url"].rstrip("/").split("/")[-1]))
    check(len(code_runs) == runs, f"{runs} code run(s) \"SEIRS Model python\" (found {len(code_runs)})")
    head = subprocess.run(["git", "-C", project, "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    for k, run in enumerate(code_runs, start=1):
        tag = f"run {k} ({run['url']})"
        check(list(run) == ["url", "ro_crate", "uuid", "last_updated", "run_date",
                            "description", "updated_by", "code_repo", "model_config",
                            "submission_script", "inputs", "outputs"],
              f"{tag}: record has the seed's keys in the seed's order")
        check(run["updated_by"].startswith(f"{API}users/"), f"{tag}: updated_by is a user")
        check_file_object(run["model_config"], f"{tag} model_config")
        check_file_object(run["submission_script"], f"{tag} submission_script")
        repo = get(run["code_repo"])
        loc = get(repo["storage_location"])
        check(loc["hash"] == head, f"{tag} code_repo: hash is the project's git commit {head[:12]}")
        check(loc["path"] == "https://github.com/FAIRDataPipeline/pySimpleModel",
              f"{tag} code_repo: path is the remote repository")
        check(len(run["inputs"]) == 1, f"{tag}: one input")
        comp, obj = component(run["inputs"][0])
        check(comp["whole_object"] is True and comp["name"] == "whole_object",
              f"{tag} input: the whole_object component")
        check(run["url"] in comp["inputs_of"], f"{tag} input: component's inputs_of has the run")
        _, path = local_file(obj)
        loc = get(obj["storage_location"])
        check(loc["hash"] == sha1(source_csv) == sha1(path),
              f"{tag} input: hash is the SHA-1 of static_params_SEIRS.csv")
        check(len(obj["data_products"]) == 1, f"{tag} input: one data product")
        dp = get(obj["data_products"][0])
        check((dp["name"], dp["version"]) == ("SEIRS_model/parameters", "1.0.0"),
              f"{tag} input: data product SEIRS_model/parameters 1.0.0")
        check(get(dp["namespace"])["name"] == "PSU", f"{tag} input: namespace PSU")
        check(dp["external_object"] is not None, f"{tag} input: has its external object")
        ext = get(dp["external_object"])
        check(ext["identifier"] == "https://doi.org/10.1038/s41592-020-0856-2"
              and ext["title"] == "Static parameters of the model"
              and ext["primary_not_supplement"] is False and ext["version"] == "1.0.0",
              f"{tag} input: external object identifier, title, primary flag, version")
        check(len(run["outputs"]) == 2, f"{tag}: two outputs")
        names = {}
        for url in run["outputs"]:
            comp, obj = component(url)
            check(comp["whole_object"] is True, f"{tag} output {url}: whole_object component")
            check(run["url"] in comp["outputs_of"], f"{tag} output: component's outputs_of has the run")
            check_file_object(comp["object"], f"{tag} output {url}")
            check(len(obj["data_products"]) == 1, f"{tag} output: one data product")
            dp = get(obj["data_products"][0])
            names[dp["name"]] = dp["version"]
            check(get(dp["namespace"])["name"] == "testing", f"{tag} output: namespace testing")
        check(names == {"SEIRS_model/results/model_output/python": f"0.0.{k}",
                        "SEIRS_model/results/figure/python": f"0.0.{k}"},
              f"{tag}: outputs model_output and figure at version 0.0.{k}")
        found = listing("code_run", uuid=run["uuid"])
        check([r["url"] for r in found] == [run["url"]], f"{tag}: code_run/?uuid= finds it")


def pdp(summary_path):
    with open(summary_path, encoding="utf-8") as f:
        summary = json.load(f)
    first, second = summary["write_run"], summary["read_run"]
    run1, run2 = get(first["code_run"]), get(second["code_run"])
    check(run1["description"] == "pyDataPipeline only: write" and run1["inputs"] == []
          and run1["outputs"] == list(first["outputs"].values()),
          "write run: no inputs, its output linked")
    check(run2["description"] == "pyDataPipeline only: read"
          and run2["inputs"] == list(second["inputs"].values())
          and run2["outputs"] == list(second["outputs"].values()),
          "read run: the first run's output as input, its own output linked")
    written = first["outputs"]["pdp/model_output"]
    check(second["inputs"]["pdp/model_output"] == written,
          "read run reads the component the write run wrote")
    for label, url, run in (("written", written, run1),
                            ("derived", second["outputs"]["pdp/derived_output"], run2)):
        comp, obj = component(url)
        check(comp["whole_object"] is True and run["url"] in comp["outputs_of"],
              f"{label} output: whole_object component, outputs_of has its run")
        check_file_object(comp["object"], f"{label} output")
        dp = get(obj["data_products"][0])
        check(get(dp["namespace"])["name"] == summary["namespace"] and dp["version"] == "0.0.1",
              f"{label} output: data product {dp['name']} 0.0.1 in {summary['namespace']}")
    check(run2["url"] in get(written)["inputs_of"], "written output: inputs_of has the read run")
    check_file_object(run1["model_config"], "write run model_config")

    issues = {i["description"]: i for i in listing("issue")}
    config_component = get(get(run1["model_config"])["components"][0])
    check(config_component["whole_object"] is True, "model config: components[0] is whole_object")
    wanted = {"pdp: issue on the model config": config_component["url"],
              "pdp: issue on the data product read": written,
              "pdp: issue on an output by index": written}
    for text, comp_url in wanted.items():
        check(text in issues, f"issue \"{text}\" recorded")
        issue = issues[text]
        check(issue["component_issues"] == [comp_url], f"issue \"{text}\": attached to {comp_url}")
        check(issue["url"] in get(comp_url)["issues"], f"issue \"{text}\": listed on the component")


def main():
    global API
    mode, API = sys.argv[1], sys.argv[2].rstrip("/") + "/"
    if mode == "seirs":
        seirs(int(sys.argv[3]), sys.argv[4], sys.argv[5])
    elif mode == "pdp":
        pdp(sys.argv[3])
    else:
        fail(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
