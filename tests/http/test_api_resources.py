"""Every resource of the contract (API.md section 2): created, read back in
the reference's key order, and the read-only extras the server derives
(whole_object components, author uuids, external object versions,
internal_format, reverse relations in the reference's order)."""

import hashlib
import re
import uuid

import pytest
import requests

from test_api_common import KEYS, RESOURCES, api, rid, uniq  # noqa: F401

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")


@pytest.mark.parametrize("resource", RESOURCES)
def test_create_and_read_back(api, resource):
    rec = api.make(resource)
    assert list(rec) == KEYS[resource]
    assert rec["url"].startswith(api.url(resource))
    assert ISO.match(rec["last_updated"]), rec["last_updated"]
    assert rec["updated_by"] == api.url("users", api.user_id())
    again = requests.get(rec["url"])
    assert again.status_code == 200
    assert again.headers["Content-Type"] == "application/json"
    assert again.json() == rec
    listed = api.results(resource, {"updated_by": api.user_id(),
                                    "page_size": 1000})
    assert rec in listed


def test_post_answers_location_and_the_later_get(api):
    r = api.post("namespace", {"name": uniq("ns")})
    assert r.status_code == 201
    assert r.headers["Location"] == r.json()["url"]
    assert api.record(r.headers["Location"]) == r.json()


def test_all_fields_round_trip(api):
    root = api.storage_root(local=True)
    loc = api.storage_location(root, public=False)
    ftype = api.file_type()
    a1, a2 = api.author(), api.author()
    obj = api.object(storage_location=loc["url"], file_type=ftype["url"],
                     authors=[a1["url"], a2["url"]])
    assert obj["storage_location"] == loc["url"]
    assert obj["file_type"] == ftype["url"]
    assert obj["authors"] == [a1["url"], a2["url"]]
    assert root["local"] is True and loc["public"] is False
    ns = api.namespace(full_name=uniq("Full "), website="https://ex.org/a")
    assert ns["website"] == "https://ex.org/a"
    kv = api.create("key_value", {"object": obj["url"], "key": "k",
                                  "value": "v"})
    assert (kv["key"], kv["value"], kv["object"]) == ("k", "v", obj["url"])
    crr = api.create("code_repo_release", {
        "object": obj["url"], "name": uniq("code"), "version": "1.2.3-rc.1+b5",
        "website": "https://github.com/x/y"})
    assert crr["version"] == "1.2.3-rc.1+b5"
    assert api.record(obj["url"])["code_repo_release"] == crr["url"]


def test_strings_are_trimmed(api):
    name = uniq("ns")
    rec = api.create("namespace", {"name": f"  {name}\t"})
    assert rec["name"] == name


def test_optional_text_may_be_blank_or_null(api):
    obj = api.create("object", {"description": ""})
    assert obj["description"] == ""
    obj = api.create("object", {"description": None})
    assert obj["description"] is None
    obj = api.create("object", {})
    assert obj["description"] is None


def test_defaults(api):
    root = api.storage_root()
    assert root["local"] is False
    loc = api.storage_location(root)
    assert loc["public"] is True
    issue = api.issue()
    assert issue["severity"] == 1 and issue["component_issues"] == []
    comp = api.component()
    assert comp["whole_object"] is False
    eo = api.external_object()
    assert eo["primary_not_supplement"] is True
    uuid.UUID(issue["uuid"])


def test_given_uuid_is_kept(api):
    u = str(uuid.uuid4())
    assert api.issue(uuid=u.upper())["uuid"] == u
    assert api.object(uuid=u)["uuid"] == u
    assert api.code_run(uuid=f"urn:uuid:{uuid.uuid4()}")["uuid"] != u


def test_author_uuid_derived_from_identifier(api):
    ident = f"https://orcid.org/0000-0002-{uniq()}"
    rec = api.create("author", {"identifier": ident,
                                "uuid": str(uuid.uuid4())})
    digest = hashlib.sha256(ident.encode()).hexdigest()[::2]
    assert rec["uuid"] == str(uuid.UUID(digest))
    assert rec["name"] is None
    named = api.create("author", {"name": "Ada Lovelace"})
    assert named["identifier"] is None
    uuid.UUID(named["uuid"])


def test_object_creates_whole_object_component_first(api):
    obj = api.object()
    assert len(obj["components"]) == 1
    found = api.results("object_component", {"object": rid(obj["url"])})
    assert [c["url"] for c in found] == obj["components"]
    whole = found[0]
    assert whole["name"] == "whole_object" and whole["whole_object"] is True
    assert whole["object"] == obj["url"]
    assert whole["updated_by"] == obj["updated_by"]
    parts = [api.component(obj) for _ in range(3)]
    again = api.record(obj["url"])
    # ascending id: the whole_object component stays first
    assert again["components"] == [whole["url"]] + [p["url"] for p in parts]
    wo = api.results("object_component", {"object": rid(obj["url"]),
                                          "whole_object": "True"})
    assert [c["url"] for c in wo] == [whole["url"]]


def test_internal_format(api):
    obj = api.object()
    dp = api.data_product(obj)
    assert dp["internal_format"] is False
    api.component(obj)
    assert api.record(dp["url"])["internal_format"] is True


def test_data_product_computed_links(api):
    dp = api.data_product()
    i = rid(dp["url"])
    assert dp["prov_report"] == f"{api.base}/api/prov-report/{i}/"
    assert dp["ro_crate"] == f"{api.base}/api/ro-crate/data-product/{i}/"
    assert dp["external_object"] is None
    obj = api.record(dp["object"])
    assert obj["data_products"] == [dp["url"]]


def test_code_run_ro_crate_link(api):
    run = api.code_run()
    i = rid(run["url"])
    assert run["ro_crate"] == f"{api.base}/api/ro-crate/code-run/{i}/"


def test_external_object_version_copied_and_filterable(api):
    dp = api.data_product(version="2.1.0")
    eo = api.external_object(dp, version="9.9.9")
    assert eo["version"] == "2.1.0"
    assert api.record(dp["url"])["external_object"] == eo["url"]
    found = api.results("external_object", {
        "identifier": eo["identifier"], "data_product": rid(dp["url"]),
        "version": "2.1.0"})
    assert [e["url"] for e in found] == [eo["url"]]
    assert api.results("external_object", {
        "identifier": eo["identifier"], "version": "1.0.0"}) == []


def test_external_object_alternate_identifier(api):
    eo = api.external_object(identifier=None, alternate_identifier=uniq("a"),
                             alternate_identifier_type="local")
    assert eo["identifier"] is None
    bad = api.post("external_object", {
        "data_product": api.data_product()["url"], "title": "t",
        "release_date": "2020-01-01", "alternate_identifier": "x"})
    assert bad.status_code == 400
    assert list(bad.json()) == ["non_field_errors"]


def test_one_to_one_reverse_relations(api):
    obj = api.object()
    doc = api.object()
    qc = api.create("quality_controlled", {"object": obj["url"],
                                           "document": doc["url"]})
    rec = api.record(obj["url"])
    assert rec["quality_control"] == qc["url"]
    assert rec["code_repo_release"] is None


def test_reverse_lists_follow_the_target_ordering(api):
    """Licences (and issues, code runs, ...) list newest-written first;
    keywords, components, locations list by ascending id."""
    obj = api.object()
    lic = [api.create("licence", {"object": obj["url"],
                                  "licence_info": f"L{i}"}) for i in range(3)]
    kws = [api.create("keyword", {"object": obj["url"],
                                  "keyphrase": f"k{i}"}) for i in range(3)]
    rec = api.record(obj["url"])
    assert rec["licences"] == [x["url"] for x in reversed(lic)]
    assert rec["keywords"] == [x["url"] for x in kws]
    root = api.storage_root()
    locs = [api.storage_location(root) for _ in range(3)]
    assert api.record(root["url"])["locations"] == [x["url"] for x in locs]


def test_many_to_many_lists_follow_the_target_ordering(api):
    comp = api.component()
    issues = [api.issue(component_issues=[comp["url"]]) for _ in range(3)]
    rec = api.record(comp["url"])
    # issues: newest last_updated first
    assert rec["issues"] == [i["url"] for i in reversed(issues)]
    # touching the oldest issue moves it to the front
    r = api.send("PATCH", issues[0]["url"], json={"severity": 5})
    assert r.status_code == 200, r.text
    rec = api.record(comp["url"])
    assert rec["issues"][0] == issues[0]["url"]
    runs = [api.code_run(inputs=[comp["url"]]) for _ in range(2)]
    assert api.record(comp["url"])["inputs_of"] == [
        r["url"] for r in reversed(runs)]
    # a run's components: ascending id whatever the order given
    parts = [api.component() for _ in range(3)]
    run = api.code_run(outputs=[p["url"] for p in reversed(parts)])
    assert run["outputs"] == [p["url"] for p in parts]
    a = [api.author() for _ in range(3)]
    obj = api.object(authors=[x["url"] for x in reversed(a)])
    assert obj["authors"] == [x["url"] for x in a]


def test_issue_links_both_ways(api):
    comp = api.component()
    issue = api.issue(component_issues=[comp["url"]], severity=3)
    assert issue["component_issues"] == [comp["url"]]
    assert api.record(comp["url"])["issues"] == [issue["url"]]
    comp2 = api.create("object_component", {
        "object": api.object()["url"], "name": "table",
        "issues": [issue["url"]]})
    assert api.record(issue["url"])["component_issues"] == [
        comp["url"], comp2["url"]]


def test_code_run_inputs_outputs_read_back(api):
    script, config, repo = api.object(), api.object(), api.object()
    inp = api.whole(api.object())
    out1, out2 = api.component(), api.component()
    run = api.code_run(script, model_config=config["url"],
                       code_repo=repo["url"], inputs=[inp["url"]],
                       outputs=[out1["url"], out2["url"]],
                       run_date="2024-02-09 15:35:42.655339")
    assert run["run_date"] == "2024-02-09T15:35:42.655339Z"
    assert run["submission_script"] == script["url"]
    assert run["model_config"] == config["url"]
    assert run["code_repo"] == repo["url"]
    assert run["inputs"] == [inp["url"]]
    assert run["outputs"] == [out1["url"], out2["url"]]
    assert api.record(inp["url"])["inputs_of"] == [run["url"]]
    assert api.record(out2["url"])["outputs_of"] == [run["url"]]


def test_datetimes_are_utc_with_six_digits(api):
    run = api.code_run(run_date="2024-02-09T16:35:42.5+01:00")
    assert run["run_date"] == "2024-02-09T15:35:42.500000Z"
    run = api.code_run(run_date="2024-02-09T15:35:42Z")
    assert run["run_date"] == "2024-02-09T15:35:42Z"
    run = api.code_run(run_date="2024-02-09")
    assert run["run_date"] == "2024-02-09T00:00:00Z"
    run = api.code_run(run_date="2024-02-09T15:35:42.1234567")
    assert run["run_date"] == "2024-02-09T15:35:42.123456Z"


def test_user_author(api):
    rec = api.user_author()
    found = api.results("user_author", {"user": rid(rec["user"])})
    assert [r["url"] for r in found] == [rec["url"]]
    assert found[0]["author"] == rec["author"]


def test_users_and_groups_need_a_token(api):
    for where in ("users", "groups", api.url("users", api.user_id()),
                  f"{api.base}/api/username/"):
        r = api.get(where)
        assert r.status_code == 403
        assert r.json() == {
            "detail": "Authentication credentials were not provided."}
    r = api.get("users", params={"username": "admin"}, auth=True)
    assert r.status_code == 200
    admin = r.json()["results"][0]
    assert list(admin) == KEYS["users"]
    assert admin["username"] == "admin"
    assert admin["full_name"] == "User Not Found"
    assert admin["email"] == "admin@users.noreply.github.com"
    assert admin["orgs"] == []
    assert api.get(admin["url"], auth=True).json() == admin
    assert api.get("users", params={"username": "nobody"},
                   auth=True).json()["results"] == []
    r = api.get(f"{api.base}/api/username/", auth=True)
    assert r.json() == {"username": "admin"}
    r = api.get("groups", auth=True)
    assert r.status_code == 200 and "results" in r.json()


def test_users_and_groups_query_arguments(api):
    r = api.get("users", params={"page_size": 1}, auth=True)
    assert r.status_code == 400
    assert r.json() == {"detail": "Invalid query arguments, only query "
                        "arguments [username] are allowed"}
    r = api.get("groups", params={"name": "x"}, auth=True)
    assert r.status_code == 400
    assert r.json() == {"detail": "Invalid query arguments, no query "
                        "arguments are allowed"}
    assert api.get("groups", params={"format": "json"},
                   auth=True).status_code == 200


def test_unknown_id_is_404_with_model_name(api):
    for resource, model in [("code_run", "CodeRun"), ("object", "Object"),
                            ("storage_root", "StorageRoot"),
                            ("key_value", "KeyValue")]:
        r = api.get(api.url(resource, 987654321))
        assert r.status_code == 404
        assert r.json() == {"detail": f"No {model} matches the given query."}
    r = api.get(api.url("users", 987654321), auth=True)
    assert r.json() == {"detail": "No User matches the given query."}
    r = api.get(api.url("code_run", "abc"))
    assert r.status_code == 404 and r.json() == {"detail": "Not found."}
    r = api.get(api.url("code_run", "9" * 30))
    assert r.status_code == 404
    assert r.json() == {"detail": "No CodeRun matches the given query."}


def test_hyperlinks_follow_forwarded_headers(api):
    obj = api.object()
    r = api.get(obj["url"], headers={"X-Forwarded-Proto": "https",
                                     "X-Forwarded-Host": "reg.example.org"})
    rec = r.json()
    assert rec["url"] == f"https://reg.example.org/api/object/{rid(obj['url'])}/"
    assert rec["components"][0].startswith("https://reg.example.org/api/")
    r = api.get("object", params={"page_size": 1},
                headers={"X-Forwarded-Proto": "https",
                         "X-Forwarded-Host": "reg.example.org"})
    page = r.json()
    assert page["next"].startswith("https://reg.example.org/api/object/?")
    r = api.post("namespace", {"name": uniq("ns")},
                 headers={"X-Forwarded-Proto": "https",
                          "X-Forwarded-Host": "reg.example.org"})
    assert r.headers["Location"].startswith("https://reg.example.org/api/")
    root = api.get(f"{api.base}/api/",
                   headers={"X-Forwarded-Host": "reg.example.org"}).json()
    assert root["object"] == "http://reg.example.org/api/object/"


def test_links_accepted_from_any_host(api):
    obj = api.object()
    path = f"/api/object/{rid(obj['url'])}/"
    for link in (f"http://elsewhere.example:9999{path}", path,
                 f"https://x.org{path}?format=json",
                 f"/api/object/{rid(obj['url'])}.json"):
        kv = api.create("key_value", {"object": link, "key": uniq(),
                                      "value": "v"})
        assert kv["object"] == obj["url"]


def test_format_json_in_links(api):
    obj = api.object()
    r = api.get(obj["url"], params={"format": "json"})
    assert r.status_code == 200
    rec = r.json()
    assert rec["url"].endswith("/?format=json")
    assert rec["components"][0].endswith("/?format=json")
    r = api.get(obj["url"], params={"format": "xml"})
    assert r.status_code == 404 and r.json() == {"detail": "Not found."}
