"""Replays the requests the real clients make when they register a code run
(API.md section 11): the fair CLI's `init` and its OPTIONS-driven
"POST, and on 409 look it up" dance, then pyDataPipeline's initialise,
link_read and finalise with its unencoded query strings, then the
read-backs of `fair list/status`. Every request is sent the way the client
sends it (headers, token or none, encoding), and every answer is read the
way the client reads it."""

import datetime
import hashlib
import uuid

import pytest
import requests

from test_api_common import api, rid, uniq  # noqa: F401

FILE_TYPES = [("Comma-separated values file", "csv"),
              ("YAML document", "yaml"), ("Shell script", "sh"),
              ("Git repository", "git"), ("Text file", "txt")]


class FairCli:
    """The fair CLI: a lower-case `token` on every request, reads JSON,
    unwraps `results`, and on 409 searches with its own parameters."""

    def __init__(self, base, token):
        self.api = f"{base}/api/"
        self.headers = {"Authorization": f"token {token}"}

    def _answer(self, r):
        assert r.status_code not in (403, 404), r.text
        body = r.json()  # must be JSON, even on success
        assert r.status_code in (200, 201), r.text
        return body["results"] if isinstance(body, dict) and \
            "results" in body else body

    def get(self, endpoint, params=None):
        params = {k: v for k, v in (params or {}).items() if v}
        return self._answer(requests.get(f"{self.api}{endpoint}/",
                                          params=params,
                                          headers=self.headers))

    def post_else_get(self, endpoint, body, search):
        body = {k: v for k, v in body.items() if v}  # falsy values dropped
        r = requests.post(f"{self.api}{endpoint}/", json=body,
                          headers=self.headers)
        if r.status_code == 409:
            found = self.get(endpoint, search)
            assert found, (endpoint, search)
            return found[0]["url"]
        return self._answer(r)["url"]

    def writable(self, endpoint):
        r = requests.options(f"{self.api}{endpoint}/", headers=self.headers)
        assert r.status_code == 200
        meta = r.json()
        post = meta.get("actions", {}).get("POST", {})
        return ({k for k, v in post.items() if v["read_only"] is False},
                {k for k, v in post.items() if v["type"] == "field"
                 and v["read_only"] is False},
                meta.get("filter_fields", []))


class PyDataPipeline:
    """pyDataPipeline: versioned Accept everywhere; writes carry the token
    and a JSON body; reads are anonymous with hand-made, unencoded query
    strings; a POST must be 201, a 409 is followed by a GET that uses the
    POST body as its query."""

    ACCEPT = {"Accept": "application/json; version=1.0.0"}

    def __init__(self, base, token):
        self.registry = f"{base}/api/"
        self.token = token

    def _value(self, v):
        v = str(v)
        if self.registry in v:  # links become ids
            v = v.rstrip("/").split("/")[-1]
        return v

    def get_entry(self, endpoint, query):
        qs = "&".join(f"{k}={self._value(v)}" for k, v in query.items())
        r = requests.get(f"{self.registry}{endpoint}/?{qs}",
                         headers=self.ACCEPT)
        assert r.status_code == 200, (endpoint, qs, r.text)
        return r.json()["results"]

    def get_entity(self, endpoint, id):
        # no trailing slash: the registry redirects
        r = requests.get(f"{self.registry}{endpoint}/{id}",
                         headers=self.ACCEPT)
        assert r.status_code == 200, r.text
        assert r.history and r.history[0].status_code == 301
        return r.json()

    def post_entry(self, endpoint, data):
        headers = {**self.ACCEPT, "Authorization": f"token {self.token}",
                   "Content-Type": "application/json"}
        r = requests.post(f"{self.registry}{endpoint}/", json=data,
                          headers=headers)
        if r.status_code == 409:
            found = self.get_entry(endpoint, data)
            assert found, (endpoint, data)
            return found[0]
        assert r.status_code == 201, (endpoint, r.text)
        return r.json()

    def patch_entry(self, url, data):
        headers = {**self.ACCEPT, "Authorization": f"token {self.token}",
                   "Content-Type": "application/json"}
        r = requests.patch(url, json=data, headers=headers)
        assert r.status_code == 200, r.text
        return r.json()


def fair_init(cli, admin_name):
    """`fair init`: is the registry up, file types, author, user_author."""
    assert requests.get(cli.api).status_code == 200  # anonymous
    writable, links, filters = cli.writable("file_type")
    assert {"name", "extension"} <= writable and not links
    assert "extension" in filters
    for name, ext in FILE_TYPES:
        cli.post_else_get("file_type", {"name": name, "extension": ext},
                          {"extension": ext})
    author = cli.post_else_get("author", {"name": admin_name},
                               {"name": admin_name})
    user = cli.get("users", {"username": "admin"})[0]["url"]
    ua = cli.post_else_get("user_author", {"user": user, "author": author},
                           {"user": rid(user)})
    return user, ua


def check_options_everywhere(cli):
    for endpoint in ["file_type", "issue", "author", "object", "user_author",
                     "object_component", "code_run", "storage_root",
                     "storage_location", "namespace", "data_product",
                     "external_object", "quality_controlled", "keyword",
                     "licence", "code_repo_release", "key_value"]:
        writable, links, filters = cli.writable(endpoint)
        assert writable and filters, endpoint
        # a 409 during push searches by the writable fields that filter
        assert writable - {"uuid", "component_issues"} <= set(filters), \
            endpoint
    assert cli.writable("data_product")[1] == {"object", "namespace"}


def sha1(text):
    return hashlib.sha1(text.encode()).hexdigest()


def test_fair_cli_and_pydatapipeline_register_a_code_run(api):
    cli = FairCli(api.base, api.token)
    pdp = PyDataPipeline(api.base, api.token)
    tag = uniq("")
    check_options_everywhere(cli)
    user, ua = fair_init(cli, "Admin Name")
    # run twice: the second time every POST of init answers 409
    assert fair_init(cli, "Admin Name") == (user, ua)

    # -- pyDataPipeline initialise ------------------------------------
    store = f"file:///tmp/fair-{tag}/data_store/"
    root = pdp.post_entry("storage_root", {"root": store, "local": True})
    again = pdp.post_entry("storage_root", {"root": store, "local": True})
    assert again["url"] == root["url"]
    repo_root = pdp.post_entry("storage_root",
                               {"root": "https://github.com/", "local": False})
    config_loc = {"path": f"jobs/{tag}/config.yaml", "hash": sha1("config" + tag),
                  "public": True, "storage_root": root["url"]}
    config_loc = pdp.post_entry("storage_location", config_loc)
    dup = pdp.post_entry("storage_location", {
        "path": f"jobs/{tag}/config.yaml", "hash": sha1("config" + tag),
        "public": True, "storage_root": root["url"]})
    assert dup["url"] == config_loc["url"]
    script_loc = pdp.post_entry("storage_location", {
        "path": f"jobs/{tag}/script.sh", "hash": sha1("script" + tag),
        "public": True, "storage_root": root["url"]})
    repo_loc = pdp.post_entry("storage_location", {
        "path": "FAIRDataPipeline/SEIRS.git", "hash": sha1("repo" + tag),
        "public": True, "storage_root": repo_root["url"]})
    yaml_type = pdp.get_entry("file_type", {"extension": "yaml"})
    assert yaml_type
    # users need the token: pyDataPipeline sends it for this one read
    r = requests.get(f"{pdp.registry}users/?username=admin",
                     headers={**pdp.ACCEPT,
                              "Authorization": f"token {pdp.token}"})
    admin_url = r.json()["results"][0]["url"]
    assert admin_url == user
    author = pdp.get_entry("user_author", {"user": rid(admin_url)})[0]["author"]
    objects = {}
    for what, loc in [("config", config_loc), ("script", script_loc),
                      ("repo", repo_loc)]:
        objects[what] = pdp.post_entry("object", {
            "description": f"{what} {tag}",
            "storage_location": loc["url"], "authors": [author],
            "file_type": yaml_type[0]["url"]})
    run = pdp.post_entry("code_run", {
        "run_date": str(datetime.datetime.now()),
        "description": f"SEIRS Model python {tag}",
        "code_repo": objects["repo"]["url"],
        "model_config": objects["config"]["url"],
        "submission_script": objects["script"]["url"],
        "input_urls": [], "output_urls": []})
    assert run["inputs"] == [] and run["outputs"] == []
    uuid.UUID(run["uuid"])

    # an input registered earlier (as `fair pull` would)
    ns = cli.post_else_get("namespace", {"name": f"PSU{tag}"},
                           {"name": f"PSU{tag}"})
    assert cli.post_else_get("namespace", {"name": f"PSU{tag}"},
                             {"name": f"PSU{tag}"}) == ns
    in_loc = pdp.post_entry("storage_location", {
        "path": f"PSU{tag}/SEIRS_model/parameters/1.0.0.csv",
        "hash": sha1("params" + tag), "public": True,
        "storage_root": root["url"]})
    in_obj = pdp.post_entry("object", {"description": "parameters",
                                       "storage_location": in_loc["url"],
                                       "file_type": yaml_type[0]["url"]})
    pdp.post_entry("data_product", {"object": in_obj["url"], "namespace": ns,
                                    "name": "SEIRS_model/parameters",
                                    "version": "1.0.0"})

    # -- link_read ------------------------------------------------------
    ns_rec = pdp.get_entry("namespace", {"name": f"PSU{tag}"})[0]
    dp = pdp.get_entry("data_product", {"name": "SEIRS_model/parameters",
                                        "version": "1.0.0",
                                        "namespace": ns_rec["url"]})[0]
    obj = pdp.get_entity("object", rid(dp["object"]))
    comps = pdp.get_entry("object_component", {"object": rid(obj["url"])})
    input_component = obj["components"][0]
    assert comps[0]["url"] == input_component
    assert comps[0]["whole_object"] is True
    loc = pdp.get_entity("storage_location", rid(obj["storage_location"]))
    assert pdp.get_entity("storage_root",
                          rid(loc["storage_root"]))["root"] == store

    # -- finalise: two outputs -------------------------------------------
    outputs = []
    for i in (1, 2):
        path = f"PSU{tag}/SEIRS_model/results/{i}/0.0.1.csv"
        digest = sha1(f"out{i}{tag}")
        found = pdp.get_entry("storage_location", {
            "hash": digest, "public": True, "storage_root": root["url"]})
        assert found == []
        out_loc = pdp.post_entry("storage_location", {
            "path": path, "hash": digest, "public": True,
            "storage_root": root["url"]})
        out_obj = pdp.post_entry("object", {
            "description": f"output {i}", "storage_location": out_loc["url"],
            "authors": [author], "file_type": yaml_type[0]["url"]})
        comp = pdp.get_entry("object_component",
                             {"object": rid(out_obj["url"])})[0]["url"]
        pdp.post_entry("data_product", {
            "object": out_obj["url"], "namespace": ns_rec["url"],
            "name": f"SEIRS_model/results/{i}", "version": "0.0.1"})
        outputs.append(comp)
    whole = pdp.get_entry("object_component", {
        "object": rid(out_obj["url"]), "whole_object": True})
    assert [c["url"] for c in whole] == [outputs[-1]]
    issue = pdp.post_entry("issue", {"severity": 7,
                                     "description": "Test issue",
                                     "component_issues": [whole[0]["url"]]})
    assert issue["component_issues"] == [outputs[-1]]
    done = pdp.patch_entry(run["url"], {"inputs": [input_component],
                                        "outputs": outputs})
    assert done["inputs"] == [input_component]
    assert done["outputs"] == outputs

    # -- read-back: fair list / status / identify -------------------------
    runs = cli.get("code_run", {"uuid": run["uuid"]})
    assert [r["url"] for r in runs] == [run["url"]]
    assert runs[0]["description"] == f"SEIRS Model python {tag}"
    assert runs[0]["run_date"].endswith("Z")
    locs = cli.get("storage_location", {"hash": sha1(f"out1{tag}")})
    objs = cli.get("object", {"storage_location": rid(locs[0]["url"])})
    assert len(objs) == 1
    products = [requests.get(u).json() for u in objs[0]["data_products"]]
    assert [p["name"] for p in products] == ["SEIRS_model/results/1"]
    comp = requests.get(objs[0]["components"][0]).json()
    assert comp["outputs_of"] == [run["url"]]
    assert requests.get(input_component).json()["inputs_of"] == [run["url"]]
    record = requests.get(run["url"]).json()
    assert list(record) == ["url", "ro_crate", "uuid", "last_updated",
                            "run_date", "description", "updated_by",
                            "code_repo", "model_config", "submission_script",
                            "inputs", "outputs"]
    assert record["updated_by"] == user


def test_pydatapipeline_409_then_get_with_the_body(api):
    """storage_root and storage_location: the GET after a 409 queries by
    every field of the POST body, Python's True and raw URLs included."""
    pdp = PyDataPipeline(api.base, api.token)
    store = f"file:///home/user/{uniq()}/datastore/"
    first = pdp.post_entry("storage_root", {"root": store, "local": True})
    # its finalise step looks the root up without the scheme first
    assert pdp.get_entry("storage_root",
                         {"root": store[len("file://"):]}) == []
    assert pdp.post_entry("storage_root",
                          {"root": store, "local": True}) == first
    body = {"path": "SEIRS_model/parameters/1.0.0.csv", "hash": sha1(store),
            "public": True, "storage_root": first["url"]}
    loc = pdp.post_entry("storage_location", body)
    assert pdp.post_entry("storage_location", body) == loc
    private = pdp.post_entry("storage_location", {**body, "public": False})
    assert private["url"] != loc["url"]
    assert pdp.post_entry("storage_location",
                          {**body, "public": False}) == private
    for endpoint, body in [
            ("namespace", {"name": uniq("ns")}),
            ("file_type", {"name": uniq("Type "), "extension": "x"})]:
        rec = pdp.post_entry(endpoint, body)
        assert pdp.post_entry(endpoint, body) == rec


def test_pydatapipeline_list_repr_query_is_a_400(api):
    """An object POST that collided would make pyDataPipeline search with
    authors=['1']: the reference answers 400, and so do we."""
    r = requests.get(f"{api.base}/api/object/?authors=['1']&description=x",
                     headers=PyDataPipeline.ACCEPT)
    assert r.status_code == 400
    assert r.json() == {"authors": ["\u201c['1']\u201d is not a valid value."]}


def test_fair_cli_object_type_from_url(api):
    """The CLI picks the longest API-root key found in a record URL."""
    root = requests.get(f"{api.base}/api/").json()
    comp = api.component()
    kind = max((k for k in root if k in comp["url"]), key=len)
    assert kind == "object_component"
    assert comp["url"].rstrip("/").split("/")[-1] == str(rid(comp["url"]))
