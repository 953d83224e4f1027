"""Verbs (API.md section 3) and OPTIONS metadata (section 6): what each path
allows, PUT/PATCH/DELETE where offered, 405 with Allow elsewhere, HEAD,
trailing-slash redirects, and the metadata clients read to learn writable
and filterable fields."""

import pytest
import requests

from test_api_common import KEYS, QUERY_ARGS, RESOURCES, api, rid, uniq  # noqa: F401,E501

UPDATABLE = ["issue", "data_product", "code_run"]
LIST_ALLOW = "GET, POST, HEAD, OPTIONS"
DETAIL_ALLOW = {"issue": "GET, PUT, PATCH, HEAD, OPTIONS",
                "data_product": "GET, PUT, PATCH, HEAD, OPTIONS",
                "code_run": "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"}
TITLES = {
    "file_type": "File Type", "issue": "Issue", "author": "Author",
    "object": "Object", "user_author": "User Author",
    "object_component": "Object Component", "code_run": "Code Run",
    "storage_root": "Storage Root", "storage_location": "Storage Location",
    "namespace": "Namespace", "data_product": "Data Product",
    "external_object": "External Object",
    "quality_controlled": "Quality Controlled", "keyword": "Keyword",
    "licence": "Licence", "code_repo_release": "Code Repo Release",
    "key_value": "Key Value",
}
PARSES = ["application/json", "application/x-www-form-urlencoded",
          "multipart/form-data"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_allow_and_405(api, resource):
    rec = api.make(resource)
    r = api.get(resource, {"page_size": 1})
    assert r.headers["Allow"] == LIST_ALLOW
    allow = DETAIL_ALLOW.get(resource, "GET, HEAD, OPTIONS")
    assert api.get(rec["url"]).headers["Allow"] == allow
    for method in ("PUT", "PATCH", "DELETE"):
        r = api.send(method, resource, json={})
        assert r.status_code == 405, (method, r.text)
        assert r.json() == {"detail": f'Method "{method}" not allowed.'}
        assert r.headers["Allow"] == LIST_ALLOW
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        if method in allow:
            continue
        r = api.send(method, rec["url"], json={})
        assert r.status_code == 405, (method, r.text)
        assert r.json() == {"detail": f'Method "{method}" not allowed.'}
        assert r.headers["Allow"] == allow
    # an anonymous write is refused before the verb is looked at
    r = api.send("DELETE", resource, auth=False)
    assert r.status_code == 403
    assert r.json() == {"detail":
                        "Authentication credentials were not provided."}
    assert "WWW-Authenticate" not in r.headers


def test_users_groups_are_read_only(api):
    for method in ("POST", "PUT", "DELETE"):
        r = api.send(method, "users", json={})
        assert r.status_code == 405
        assert r.headers["Allow"] == "GET, HEAD, OPTIONS"
    r = api.send("POST", "groups", json={"name": "x"})
    assert r.status_code == 405


def test_anonymous_writes_and_bad_tokens(api):
    r = api.post("namespace", {"name": uniq()}, auth=False)
    assert r.status_code == 403
    assert r.json() == {"detail":
                        "Authentication credentials were not provided."}
    bad = {"Authorization": "token 0123456789abcdef0123456789abcdef01234567"}
    for method in ("GET", "POST", "OPTIONS"):
        r = requests.request(method, api.url("namespace"), headers=bad,
                             json={})
        assert r.status_code == 403
        assert r.json() == {"detail": "Invalid token."}
    r = requests.post(api.url("namespace"), json={"name": uniq()},
                      headers={"Authorization": f"Token {api.token}"})
    assert r.status_code == 201


def test_head(api):
    obj = api.object()
    for where in (obj["url"], api.url("object") + "?page_size=2"):
        got = requests.get(where)
        head = requests.head(where)
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["Content-Type"] == "application/json"
        assert head.headers["Allow"] == got.headers["Allow"]
    assert requests.head(api.url("object", 987654321)).status_code == 404
    assert requests.head(api.url("object", rid(obj["url"]))[:-1],
                         allow_redirects=False).status_code == 301


def test_trailing_slash_redirect(api):
    obj = api.object()
    bare = obj["url"][:-1]
    r = requests.get(bare + "?format=json", allow_redirects=False)
    assert r.status_code == 301
    assert r.headers["Location"].endswith(
        f"/api/object/{rid(obj['url'])}/?format=json")
    r = requests.get(bare)  # as pyDataPipeline does
    assert r.status_code == 200 and r.json() == obj
    r = requests.get(f"{api.base}/api/object", allow_redirects=False)
    assert r.status_code == 301
    r = requests.get(f"{api.base}/api", allow_redirects=False)
    assert r.status_code == 301
    assert r.headers["Location"].endswith("/api/")
    for method in ("OPTIONS", "DELETE"):
        r = api.send(method, bare, allow_redirects=False)
        assert r.status_code == 301, method


def test_put_and_patch_issue(api):
    c1, c2 = api.component(), api.component()
    issue = api.issue(component_issues=[c1["url"]], severity=4)
    r = api.send("PATCH", issue["url"], json={"severity": 7})
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["severity"] == 7 and rec["component_issues"] == [c1["url"]]
    assert rec["uuid"] == issue["uuid"] and rec["updated_by"] == \
        issue["updated_by"]
    assert rec["last_updated"] > issue["last_updated"]
    assert api.record(issue["url"]) == rec
    # PUT needs every required field (component_issues included, as in
    # the reference) and keeps what is not given
    r = api.send("PUT", issue["url"], json={"description": "new"})
    assert r.status_code == 400
    assert r.json() == {"component_issues": ["This field is required."]}
    r = api.send("PUT", issue["url"], json={
        "description": "new", "component_issues": [c2["url"]]})
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["description"] == "new" and rec["severity"] == 7
    assert rec["component_issues"] == [c2["url"]]
    assert api.record(c1["url"])["issues"] == []


def test_put_and_patch_data_product(api):
    dp = api.data_product()
    obj2, ns2 = api.object(), api.namespace()
    r = api.send("PATCH", dp["url"], json={"version": "1.0.1"})
    assert r.status_code == 200 and r.json()["version"] == "1.0.1"
    r = api.send("PUT", dp["url"], json={"name": "renamed"})
    assert r.status_code == 400
    assert r.json() == {f: ["This field is required."]
                        for f in ("version", "object", "namespace")}
    r = api.send("PUT", dp["url"], json={
        "name": "renamed", "version": "2.0.0", "object": obj2["url"],
        "namespace": ns2["url"]})
    assert r.status_code == 200, r.text
    rec = r.json()
    assert (rec["name"], rec["version"], rec["object"], rec["namespace"]) \
        == ("renamed", "2.0.0", obj2["url"], ns2["url"])
    assert api.record(obj2["url"])["data_products"] == [dp["url"]]
    assert api.record(dp["object"])["data_products"] == []
    r = api.send("PATCH", dp["url"], json={"version": "x"})
    assert r.status_code == 400
    r = api.send("PATCH", api.url("data_product", 987654321), json={})
    assert r.status_code == 404
    assert r.json() == {"detail": "No DataProduct matches the given query."}


def test_patch_code_run_replaces_inputs_and_outputs(api):
    a, b, c = api.component(), api.component(), api.component()
    run = api.code_run(inputs=[a["url"]], outputs=[b["url"]])
    r = api.send("PATCH", run["url"], json={"inputs": [b["url"], c["url"]],
                                            "outputs": [a["url"]]})
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["inputs"] == [b["url"], c["url"]]
    assert rec["outputs"] == [a["url"]]
    assert rec["description"] == run["description"]
    assert api.record(a["url"])["inputs_of"] == []
    assert api.record(a["url"])["outputs_of"] == [run["url"]]
    # a PATCH without the lists keeps them
    r = api.send("PATCH", run["url"], json={"description": "again"})
    assert r.json()["inputs"] == [b["url"], c["url"]]
    r = api.send("PATCH", run["url"], json={"inputs": []})
    assert r.json()["inputs"] == [] and r.json()["outputs"] == [a["url"]]
    # the same link twice counts once
    r = api.send("PATCH", run["url"], json={"inputs": [a["url"], a["url"]]})
    assert r.status_code == 200 and r.json()["inputs"] == [a["url"]]


def test_put_code_run(api):
    a = api.component()
    run = api.code_run(inputs=[a["url"]])
    script = api.object()
    r = api.send("PUT", run["url"], json={
        "run_date": "2025-01-01T00:00:00Z", "description": "replaced",
        "submission_script": script["url"]})
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["run_date"] == "2025-01-01T00:00:00Z"
    assert rec["submission_script"] == script["url"]
    assert rec["inputs"] == [a["url"]]  # not given: kept
    r = api.send("PUT", run["url"], json={"description": "x"})
    assert r.status_code == 400
    assert set(r.json()) == {"run_date", "submission_script"}


def test_delete_code_run(api):
    a, b = api.component(), api.component()
    run = api.code_run(inputs=[a["url"]], outputs=[b["url"]])
    assert api.send("DELETE", run["url"], auth=False).status_code == 403
    r = api.send("DELETE", run["url"])
    assert r.status_code == 204 and r.content == b""
    r = api.get(run["url"])
    assert r.status_code == 404
    assert r.json() == {"detail": "No CodeRun matches the given query."}
    assert api.record(a["url"])["inputs_of"] == []
    assert api.record(b["url"])["outputs_of"] == []
    assert api.send("DELETE", run["url"]).status_code == 404


def test_post_without_trailing_slash_is_not_a_500(api):
    r = api.post(f"{api.base}/api/namespace", {"name": uniq()},
                 allow_redirects=False)
    assert 300 <= r.status_code < 500


# ---- OPTIONS -------------------------------------------------------------

def test_options_shape(api):
    r = api.options("code_run")
    assert r.status_code == 200
    meta = r.json()
    assert list(meta) == ["name", "description", "renders", "parses",
                          "actions", "filter_fields"]
    assert meta["name"] == "Code Run List"
    assert meta["renders"] == ["application/json", "text/html"]
    assert meta["parses"] == PARSES
    assert len(meta["description"]) > 100
    assert list(meta["actions"]) == ["POST"]
    post = meta["actions"]["POST"]
    assert post["url"] == {"type": "field", "required": False,
                           "read_only": True, "label": "Url"}
    assert post["ro_crate"] == {"type": "field", "required": False,
                                "read_only": True, "label": "Ro crate"}
    assert post["uuid"] == {"type": "string", "required": False,
                            "read_only": False, "label": "Uuid"}
    assert post["last_updated"] == {"type": "datetime", "required": False,
                                    "read_only": True,
                                    "label": "Last updated"}
    assert post["run_date"] == {"type": "datetime", "required": True,
                                "read_only": False, "label": "Run date"}
    assert post["description"] == {"type": "string", "required": True,
                                   "read_only": False,
                                   "label": "Description",
                                   "max_length": 1024}
    assert post["updated_by"] == {"type": "field", "required": False,
                                  "read_only": True,
                                  "label": "Last updated by"}
    assert post["submission_script"] == {"type": "field", "required": True,
                                         "read_only": False,
                                         "label": "Submission script"}
    assert post["inputs"] == {"type": "field", "required": False,
                              "read_only": False, "label": "Inputs"}


@pytest.mark.parametrize("resource", RESOURCES)
def test_options_every_resource(api, resource):
    meta = api.options(resource).json()
    assert meta["name"] == f"{TITLES[resource]} List"
    assert meta["filter_fields"] == QUERY_ARGS[resource].split(", ")
    post = meta["actions"]["POST"]
    assert list(post) == KEYS[resource]
    for name, info in post.items():
        assert list(info)[:4] == ["type", "required", "read_only", "label"]
        assert isinstance(info["required"], bool)
        if info["read_only"]:
            assert not info["required"] and "max_length" not in info
    # anonymous callers learn no actions
    anon = api.options(resource, auth=False).json()
    assert "actions" not in anon
    assert anon["filter_fields"] == meta["filter_fields"]


def test_options_field_details(api):
    def post(resource):
        return api.options(resource).json()["actions"]["POST"]

    dp = post("data_product")
    writable_links = [k for k, v in dp.items()
                      if v["type"] == "field" and not v["read_only"]]
    assert writable_links == ["object", "namespace"]
    assert [k for k, v in dp.items() if v["read_only"]] == [
        "url", "internal_format", "prov_report", "ro_crate", "last_updated",
        "updated_by", "external_object"]
    issue = post("issue")
    assert issue["severity"] == {"type": "integer", "required": False,
                                 "read_only": False, "label": "Severity",
                                 "min_value": 0, "max_value": 32767}
    assert issue["component_issues"]["required"] is True
    assert issue["description"]["max_length"] == 1048576
    loc = post("storage_location")
    assert loc["path"]["max_length"] == 8192
    assert loc["public"] == {"type": "boolean", "required": False,
                             "read_only": False, "label": "Public"}
    ns = post("namespace")
    assert ns["website"] == {"type": "url", "required": False,
                             "read_only": False, "label": "Website",
                             "max_length": 200}
    eo = post("external_object")
    assert eo["version"] == {"type": "string", "required": False,
                             "read_only": True, "label": "Version"}
    assert eo["identifier"]["type"] == "url"
    assert eo["release_date"]["required"] is True
    assert post("storage_root")["locations"]["read_only"] is True
    obj = post("object")
    assert [k for k, v in obj.items() if not v["read_only"]] == [
        "uuid", "description", "storage_location", "file_type", "authors"]
    comp = post("object_component")
    assert comp["whole_object"]["type"] == "boolean"
    assert comp["inputs_of"]["read_only"] is True


def test_options_on_records(api):
    for resource in UPDATABLE:
        rec = api.make(resource)
        meta = api.options(rec["url"]).json()
        assert meta["name"] == f"{TITLES[resource]} Instance"
        assert list(meta["actions"]) == ["PUT"]
        assert list(meta["actions"]["PUT"]) == KEYS[resource]
        assert meta["filter_fields"] == QUERY_ARGS[resource].split(", ")
        assert "actions" not in api.options(rec["url"], auth=False).json()
        gone = api.options(api.url(resource, 987654321))
        assert gone.status_code == 200 and "actions" not in gone.json()
    obj = api.object()
    meta = api.options(obj["url"]).json()
    assert meta["name"] == "Object Instance" and "actions" not in meta
    assert "filter_fields" in meta


def test_options_users_groups_root_username(api):
    assert api.options("users", auth=False).status_code == 403
    meta = api.options("users").json()
    assert meta["name"] == "User List"
    assert "actions" not in meta and "filter_fields" not in meta
    assert api.options("groups").json()["name"] == "Group List"
    root = api.options(f"{api.base}/api/", auth=False)
    assert root.status_code == 200
    assert root.json()["name"] == "Api Root"
    assert list(root.json()) == ["name", "description", "renders", "parses"]
    who = api.options(f"{api.base}/api/username/")
    assert who.status_code == 200 and who.json()["name"] == "User"
    assert api.options(f"{api.base}/api/username/",
                       auth=False).status_code == 403


def test_api_root(api):
    r = requests.get(f"{api.base}/api/")
    assert r.status_code == 200
    assert list(r.json()) == ["users", "groups"] + RESOURCES
    assert all(v == api.url(k) for k, v in r.json().items())
    r = requests.get(f"{api.base}/api/", params={"format": "json"})
    assert r.json()["object"] == api.url("object") + "?format=json"


def test_accept_versions(api):
    ok = requests.get(api.url("object"), params={"page_size": 1}, headers={
        "Accept": "application/json; version=1.0.0"})
    assert ok.status_code == 200
    bad = requests.get(api.url("object"), headers={
        "Accept": "application/json; version=2.0.0"})
    assert bad.status_code == 406
    assert bad.json() == {"detail": 'Invalid version in "Accept" header.'}
