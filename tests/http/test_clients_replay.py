"""The real clients' request sequences, replayed without their code.

Recorded from the unmodified fair CLI (FAIR-CLI), pyDataPipeline and the
SEIRS example model running against this registry (tests/clients/
run_clients.sh): `fair init --ci`, `fair pull`, `fair run` (which runs the
model, i.e. pyDataPipeline's initialise, link_read, link_write, finalise)
and raise_issue. Each step sends what the client sends, built the way the
client builds it (FAIR-CLI: requests with encoded params, `Accept: */*`;
pyDataPipeline: hand-made UNENCODED query strings, `Accept:
application/json; version=1.0.0`, many reads without a token), and checks
what the client reads from the answer. Names are unique per test, so the
tests share the instance with every other test."""

import datetime
import hashlib
import json
import uuid

import pytest
import requests

PDP_ACCEPT = "application/json; version=1.0.0"
FILE_TYPES = [("Comma-Separated Values File", "csv"), ("YAML Document", "yaml"),
              ("Bash Shell Script", "sh")]


class Cli:
    """Requests as FAIR-CLI's fair/registry/requests.py makes them."""

    def __init__(self, base_url, token):
        self.api = f"{base_url}/api/"
        self.headers = {"Authorization": f"token {token}"}

    def answer(self, r):
        # Its one checker: 404/403 are errors, 409 "exists", otherwise the
        # body must be JSON; a dict with "results" is unwrapped.
        assert r.status_code not in (403, 404), (r.status_code, r.text)
        if r.status_code == 409:
            return None
        body = r.json()
        assert r.status_code in (200, 201), (r.status_code, body)
        return body["results"] if isinstance(body, dict) and "results" in body else body

    def get(self, resource, params=None):
        # It drops empty params and lets requests encode the rest.
        params = {k: v for k, v in (params or {}).items() if v}
        return self.answer(requests.get(f"{self.api}{resource}/", params=params,
                                        headers=self.headers))

    def get_url(self, url):
        return self.answer(requests.get(url, headers=self.headers))

    def post(self, resource, data):
        # It drops every falsy value before sending.
        data = {k: v for k, v in data.items() if v}
        r = requests.post(f"{self.api}{resource}/", json=data, headers=self.headers)
        return r.status_code, self.answer(r)

    def post_else_get(self, resource, data, params=None):
        # On a 409 it searches with its own params; without any, it takes
        # the first row of the whole list.
        status, body = self.post(resource, data)
        if status == 409:
            found = self.get(resource, params)
            assert found, f"409 on {resource} but nothing found by {params}"
            return found[0]["url"]
        assert status == 201
        return body["url"]


class Pdp:
    """Requests as pyDataPipeline's fdp_utils.py makes them."""

    def __init__(self, base_url, token):
        self.api = f"{base_url}/api/"
        self.token = token

    def headers(self, post=False, token=False):
        h = {"Accept": PDP_ACCEPT}
        if token or post:
            h["Authorization"] = "token " + self.token
        if post:
            h["Content-Type"] = "application/json"
        return h

    def extract_id(self, url):
        return [s for s in url.split("?")[0].split("/") if s][-1]

    def get_entry(self, endpoint, query, token=False):
        # Values containing the registry URL become ids; then the query is
        # joined by hand, unencoded, Python str() of every value.
        for k, v in query.items():
            if isinstance(v, str) and self.api in v:
                query[k] = self.extract_id(v)
            elif isinstance(v, list):
                query[k] = [self.extract_id(i) if self.api in i else i for i in v]
        url = self.api + endpoint + "/?" + "&".join(f"{k}={v}" for k, v in query.items())
        r = requests.get(url, headers=self.headers(token=token))
        assert r.status_code == 200, (url, r.status_code, r.text)
        return r.json()["results"]

    def get_entity(self, endpoint, id_):
        # No trailing slash: the registry's 301 leads to the record.
        r = requests.get(f"{self.api}{endpoint}/{id_}", headers=self.headers())
        assert r.status_code == 200, (r.status_code, r.text)
        assert r.history and r.history[0].status_code == 301
        assert r.history[0].headers["Location"].endswith(f"/api/{endpoint}/{id_}/")
        return r.json()

    def post_entry(self, endpoint, data):
        r = requests.post(self.api + endpoint + "/", json.dumps(data),
                          headers=self.headers(post=True))
        if r.status_code == 409:
            found = self.get_entry(endpoint, dict(data))
            assert found, f"409 on {endpoint} but nothing found by the body {data}"
            return found[0]
        assert r.status_code == 201, (endpoint, r.status_code, r.text)
        return r.json()

    def post_storage_root(self, root, local):
        root = "file://" + root if local else root
        if not root.endswith("/"):
            root += "/"
        return self.post_entry("storage_root", {"root": root, "local": local})

    def post_file_type(self, name, extension):
        found = self.get_entry("file_type", {"extension": extension})
        return found[0] if found else self.post_entry(
            "file_type", {"name": name, "extension": extension})

    def patch_entry(self, url, data):
        r = requests.patch(url, json.dumps(data), headers=self.headers(post=True))
        assert r.status_code == 200, (r.status_code, r.text)
        return r.json()


@pytest.fixture
def cli(base_url, token):
    return Cli(base_url, token)


@pytest.fixture
def pdp(base_url, token):
    return Pdp(base_url, token)


def unique(prefix):
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def sha1(text):
    return hashlib.sha1(text.encode()).hexdigest()


def fair_init(cli):
    """`fair init`: registry check, file types, author, user_author. Returns
    the author's URL."""
    r = requests.get(cli.api)  # check_server_running: anonymous, must be 200
    assert r.status_code == 200
    for name, ext in FILE_TYPES:
        url = cli.post_else_get("file_type", {"name": name, "extension": ext},
                                {"extension": ext})
        assert cli.get_url(url)["extension"] == ext
    name = unique("Interface Test ")
    identifier = f"https://github.com/{unique('user')}"
    author = cli.post_else_get("author", {"name": name, "identifier": identifier},
                               {"name": name})
    admin = cli.get("users", {"username": "admin"})[0]["url"]
    cli.post_else_get("user_author", {"user": admin, "author": author})
    return author


def test_fair_init_sequence(cli):
    author = fair_init(cli)
    record = cli.get_url(author)
    # A second init: every POST is a 409 and the GET fallback finds the row.
    status, _ = cli.post("author", {"name": record["name"], "identifier": record["identifier"]})
    assert status == 409
    found = cli.get("author", {"name": record["name"]})  # "First Last" → name=First+Last
    assert [a["url"] for a in found] == [author]
    for name, ext in FILE_TYPES:
        status, _ = cli.post("file_type", {"name": name, "extension": ext})
        assert status == 409
    # The admin user has a user_author (its user is unique: 409 on repeat).
    admin = cli.get("users", {"username": "admin"})
    assert len(admin) == 1 and admin[0]["username"] == "admin"
    admin_id = admin[0]["url"].rstrip("/").split("/")[-1]
    assert cli.get("user_author", {"user": admin_id})


def fair_pull(cli, tmp_root, author):
    """`fair pull` of a config with one external object (SEIRS's
    parameters). Returns (data product URL, object URL, namespace URL)."""
    ns_name = unique("PSU")
    ns = cli.post_else_get("namespace", {"name": ns_name,
                                         "full_name": f"Pennsylvania State University ({ns_name})",
                                         "website": "https://ror.org/04p491231"},
                           {"name": ns_name})
    ns_id = ns.rstrip("/").split("/")[-1]
    assert cli.get("namespace", {"name": ns_name})[0]["url"] == ns
    # Looks for the product (name with a slash, encoded as %2F).
    dp_name = "SEIRS_model/parameters"
    assert cli.get("data_product", {"name": dp_name, "namespace": ns_id,
                                    "version": "1.0.0"}) == []
    doi = f"https://doi.org/10.1038/{unique('s')}"
    assert cli.get("external_object", {"identifier": doi, "version": "1.0.0"}) == []
    root = f"file://{tmp_root}/"
    assert cli.get("storage_root", {"root": root}) == []
    status, body = cli.post("storage_root", {"root": root, "local": True})
    assert status == 201 and body["local"] is True
    csv_hash = sha1("alpha,beta\n1,2\n" + tmp_root)
    # The CLI sends public as the STRING "true".
    status, loc = cli.post("storage_location", {"path": f"{ns_name}/{dp_name}/1.0.0.csv",
                                                 "storage_root": body["url"],
                                                 "public": "true", "hash": csv_hash})
    assert status == 201 and loc["public"] is True and loc["hash"] == csv_hash
    csv_type = cli.post_else_get("file_type", {"name": "Comma-Separated Values File",
                                               "extension": "csv"}, {"extension": "csv"})
    # register_namespace with the name alone: 409, then found by name.
    assert cli.post_else_get("namespace", {"name": ns_name}, {"name": ns_name}) == ns
    status, obj = cli.post("object", {"description": "Static parameters of the model",
                                      "file_type": csv_type,
                                      "storage_location": loc["url"], "authors": [author]})
    assert status == 201 and obj["authors"] == [author]
    status, dp = cli.post("data_product", {"namespace": ns, "object": obj["url"],
                                           "version": "1.0.0", "name": dp_name})
    assert status == 201
    status, ext = cli.post("external_object", {
        "data_product": dp["url"], "title": "Static parameters of the model",
        "primary_not_supplement": "false", "release_date": "2021-09-20T12:00",
        "identifier": doi})
    assert status == 201, ext
    assert ext["primary_not_supplement"] is False
    assert ext["release_date"] == "2021-09-20T12:00:00Z"
    assert ext["version"] == "1.0.0"  # copied from the data product
    assert ext["identifier"] == doi and ext["data_product"] == dp["url"]
    assert cli.get("external_object", {"identifier": doi, "version": "1.0.0"})[0]["url"] == ext["url"]
    # Staging: the whole data product list, then each product's namespace.
    names = {d["url"]: d for d in cli.get("data_product")}
    assert dp["url"] in names
    assert cli.get_url(names[dp["url"]]["namespace"])["name"] == ns_name
    assert cli.get("namespace") and cli.get("author")
    return dp["url"], obj["url"], ns


def test_fair_pull_sequence(cli, tmp_path):
    author = fair_init(cli)
    fair_pull(cli, str(tmp_path), author)


def initialise(pdp, store, description, repo_sha):
    """pyDataPipeline's initialise(): config, script, repository objects and
    the code run. Returns the handle's URLs."""
    root = pdp.post_storage_root(store, True)
    assert root["root"] == f"file://{store}/" and root["local"] is True
    root_url = root["url"]
    config_hash = sha1("config" + description)
    loc = pdp.post_entry("storage_location", {"path": "jobs/1/config.yaml",
                                              "hash": config_hash, "public": True,
                                              "storage_root": root_url})
    yaml_type = pdp.post_file_type("YAML Document", "yaml")["url"]
    user = pdp.get_entry("users", {"username": "admin"}, token=True)[0]
    author = pdp.get_entry("user_author", {"user": pdp.extract_id(user["url"])})[0]["author"]
    config = pdp.post_entry("object", {"description": "Working config.yaml location in datastore",
                                       "storage_location": loc["url"], "authors": [author],
                                       "file_type": yaml_type})
    script_hash = sha1("script" + description)
    found = pdp.get_entry("storage_location", {"hash": script_hash})
    script_loc = found[0]["url"] if found else pdp.post_entry(
        "storage_location", {"path": "jobs/1/script.sh", "hash": script_hash,
                             "public": True, "storage_root": root_url})["url"]
    sh_type = pdp.post_file_type("python submission script", "sh")["url"]
    script = pdp.post_entry("object", {"description": "Working script location in datastore",
                                       "storage_location": script_loc, "authors": [author],
                                       "file_type": sh_type})
    github = pdp.post_storage_root("https://github.com", False)
    assert github["root"] == "https://github.com/"
    pdp.get_entry("storage_location", {"hash": repo_sha, "public": True,
                                       "storage_root": pdp.extract_id(github["url"])})
    repo_loc = pdp.post_entry("storage_location", {
        "path": "https://github.com/FAIRDataPipeline/pySimpleModel", "hash": repo_sha,
        "public": True, "storage_root": github["url"]})
    repo = pdp.post_entry("object", {"description": "Analysis / processing script location",
                                     "storage_location": repo_loc["url"], "authors": [author]})
    run_date = str(datetime.datetime.now())  # "YYYY-MM-DD HH:MM:SS.ffffff"
    run = pdp.post_entry("code_run", {"run_date": run_date, "description": description,
                                      "code_repo": repo["url"], "model_config": config["url"],
                                      "submission_script": script["url"],
                                      "input_urls": [], "output_urls": []})
    assert run["inputs"] == [] and run["outputs"] == []
    assert run["run_date"] == run_date.replace(" ", "T") + "Z"
    assert uuid.UUID(run["uuid"])
    return {"code_run": run["url"], "uuid": run["uuid"], "model_config": config["url"],
            "submission_script": script["url"], "code_repo": repo["url"],
            "author": author, "root": root_url}


def link_read(pdp, ns_name, dp_name, version):
    """pyDataPipeline's link_read(): returns (component URL, path)."""
    ns = pdp.get_entry("namespace", {"name": ns_name})[0]["url"]
    dp = pdp.get_entry("data_product", {"name": dp_name, "version": version,
                                        "namespace": pdp.extract_id(ns)})
    obj = pdp.get_entity("object", int(pdp.extract_id(dp[0]["object"])))
    comps = pdp.get_entry("object_component", {"object": pdp.extract_id(obj["url"])})
    assert comps[0]["whole_object"] is True and comps[0]["url"] == obj["components"][0]
    loc = pdp.get_entity("storage_location", int(pdp.extract_id(obj["storage_location"])))
    root = pdp.get_entity("storage_root", int(pdp.extract_id(loc["storage_root"])))["root"]
    return comps[0]["url"], root.replace("file://", "") + loc["path"]


def finalise_output(pdp, handle, store, ns_name, dp_name, version, content):
    """pyDataPipeline's finalise() for one output. Returns its component."""
    # The data store root: first by its plain path (no match), then the
    # POST's 409 and the GET by the POST's body.
    assert pdp.get_entry("storage_root", {"root": store + "/"}) == []
    root = pdp.post_storage_root(store, True)
    assert root["url"] == handle["root"]
    found = pdp.get_entry("namespace", {"name": ns_name})
    ns = found[0]["url"] if found else pdp.post_entry("namespace", {"name": ns_name})["url"]
    file_hash = sha1(content)
    exists = pdp.get_entry("storage_location", {"hash": file_hash, "public": "true",
                                                "storage_root": pdp.extract_id(root["url"])})
    if exists:
        loc = exists[0]["url"]
        pdp.get_entity("storage_root", int(pdp.extract_id(exists[0]["storage_root"])))
    else:
        loc = pdp.post_entry("storage_location", {
            "path": f"{ns_name}/{dp_name}/{file_hash}.csv", "hash": file_hash,
            "public": "true", "storage_root": root["url"]})["url"]
    csv_type = pdp.post_file_type("csv", "csv")["url"]
    assert pdp.get_entry("data_product", {"name": dp_name, "version": version,
                                          "namespace": ns}) == []
    obj = pdp.post_entry("object", {"description": "SEIRS model results",
                                    "storage_location": loc, "authors": [handle["author"]],
                                    "file_type": csv_type})["url"]
    # The new object's only component, at once.
    comps = pdp.get_entry("object_component", {"object": pdp.extract_id(obj)})
    assert len(comps) == 1 and comps[0]["whole_object"] is True
    assert comps[0]["name"] == "whole_object"
    pdp.post_entry("data_product", {"name": dp_name, "version": version,
                                    "object": obj, "namespace": ns})
    return comps[0]["url"], loc


def test_pydatapipeline_run_sequence(cli, pdp, tmp_path):
    """`fair run` of the SEIRS model: initialise, link_read of the pulled
    external object, two link_writes, an issue, finalise."""
    author = fair_init(cli)
    store = str(tmp_path / "data_store")
    _, input_obj, _ = fair_pull(cli, store, author)
    input_ns = cli.get_url(cli.get_url(cli.get_url(input_obj)["data_products"][0])["namespace"])
    repo_sha = sha1(unique("commit"))
    handle = initialise(pdp, store, "SEIRS Model python", repo_sha)
    component_in, path = link_read(pdp, input_ns["name"], "SEIRS_model/parameters", "1.0.0")
    assert path.startswith(store + "/")

    out_ns = unique("testing")
    outputs = []
    for i, dp_name in enumerate(["SEIRS_model/results/model_output/python",
                                 "SEIRS_model/results/figure/python"]):
        outputs.append(finalise_output(pdp, handle, store, out_ns, dp_name, "0.0.1",
                                       f"{out_ns} output {i}"))
    # raise_issue_with_config: the config's whole-object component.
    comp = pdp.get_entry("object_component", {"object": pdp.extract_id(handle["model_config"]),
                                              "whole_object": True})
    assert len(comp) == 1 and comp[0]["whole_object"] is True
    issue = pdp.post_entry("issue", {"severity": 4, "description": "issue with config",
                                     "component_issues": [comp[0]["url"]]})
    assert issue["component_issues"] == [comp[0]["url"]]
    assert issue["url"] in cli.get_url(comp[0]["url"])["issues"]
    # An issue whose components the client could not find: an empty list.
    empty = pdp.post_entry("issue", {"severity": 3, "description": "issue without component",
                                     "component_issues": []})
    assert empty["component_issues"] == []

    out_components = [c for c, _ in outputs]
    run = pdp.patch_entry(handle["code_run"], {"inputs": [component_in],
                                               "outputs": out_components})
    assert run["inputs"] == [component_in] and run["outputs"] == out_components
    assert list(run) == ["url", "ro_crate", "uuid", "last_updated", "run_date", "description",
                         "updated_by", "code_repo", "model_config", "submission_script",
                         "inputs", "outputs"]
    assert (run["code_repo"], run["model_config"], run["submission_script"]) == (
        handle["code_repo"], handle["model_config"], handle["submission_script"])
    assert handle["code_run"] in cli.get_url(component_in)["inputs_of"]
    for c in out_components:
        assert cli.get_url(c)["outputs_of"] == [handle["code_run"]]

    # Read-back as `fair list` / `fair status` and the second run do it.
    assert [r["url"] for r in cli.get("code_run", {"uuid": handle["uuid"]})] == [handle["code_run"]]
    _, loc = outputs[0]
    loc_hash = cli.get_url(loc)["hash"]
    assert [s["url"] for s in cli.get("storage_location", {"hash": loc_hash})] == [loc]
    objs = cli.get("object", {"storage_location": loc.rstrip("/").split("/")[-1]})
    assert len(objs) == 1 and objs[0]["components"] == [out_components[0]]
    ns_id = cli.get("namespace", {"name": out_ns})[0]["url"].rstrip("/").split("/")[-1]
    versions = cli.get("data_product", {"name": "SEIRS_model/results/model_output/python",
                                        "namespace": ns_id})
    assert [d["version"] for d in versions] == ["0.0.1"]

    # The second run's outputs have the same content: the storage location
    # is found by hash/public/root and reused, the data product bumped.
    second = initialise(pdp, store, "SEIRS Model python", repo_sha)
    assert second["code_run"] != handle["code_run"]
    comp2, loc2 = finalise_output(pdp, second, store, out_ns,
                                  "SEIRS_model/results/model_output/python", "0.0.2",
                                  f"{out_ns} output 0")
    assert loc2 == loc and comp2 != out_components[0]
    run2 = pdp.patch_entry(second["code_run"], {"inputs": [component_in], "outputs": [comp2]})
    assert run2["outputs"] == [comp2]
    assert set(cli.get_url(component_in)["inputs_of"]) == {handle["code_run"], second["code_run"]}


def test_pydatapipeline_conflicts_found_by_post_body(pdp, tmp_path):
    """post_entry's 409 answer is followed by a GET whose query is the POST
    body itself, unencoded: every writable field of these resources must be
    a filter, and Python's True/False must filter booleans."""
    store = str(tmp_path / "store")
    first = pdp.post_storage_root(store, True)
    again = pdp.post_storage_root(store, True)  # 409 → ?root=file:///...&local=True
    assert again["url"] == first["url"]
    body = {"path": "https://github.com/Org/Repo", "hash": sha1(store), "public": True,
            "storage_root": first["url"]}
    loc = pdp.post_entry("storage_location", dict(body))
    assert pdp.post_entry("storage_location", dict(body))["url"] == loc["url"]
    name = unique("ns")
    ns = pdp.post_entry("namespace", {"name": name})
    assert pdp.post_entry("namespace", {"name": name})["url"] == ns["url"]
    ext = unique("x")
    ft = pdp.post_entry("file_type", {"name": ext, "extension": ext})
    assert pdp.post_entry("file_type", {"name": ext, "extension": ext})["url"] == ft["url"]
    # Booleans spelt the ways the clients spell them.
    for spelling in ("True", "true"):
        found = pdp.get_entry("storage_location", {"hash": body["hash"], "public": spelling,
                                                   "storage_root": first["url"]})
        assert [f["url"] for f in found] == [loc["url"]]
    assert pdp.get_entry("storage_location", {"hash": body["hash"], "public": "False"}) == []


def test_api_root_names_every_type_for_url_matching(cli):
    """FAIR-CLI finds a URL's type as the LONGEST API-root key contained in
    the URL, so every resource must be listed (object_component beats
    object)."""
    root = cli.get_url(cli.api)
    url = root["object_component"] + "7/"
    assert max((k for k in root if k in url), key=len) == "object_component"
    assert max((k for k in root if k in root["object"] + "7/"), key=len) == "object"
