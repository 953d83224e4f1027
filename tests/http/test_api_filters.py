"""List filters (API.md section 4): glob on name fields, exact text, link
ids, many-to-many ids, booleans, uuids, datetimes; the allowed query
arguments; ordering."""

import uuid

import pytest
import requests

from test_api_common import QUERY_ARGS, RESOURCES, api, rid, uniq  # noqa: F401


def urls(records):
    return sorted(r["url"] for r in records)


@pytest.fixture(scope="module")
def products(api):
    """Five data products in one namespace, named for glob tests."""
    ns = api.namespace()
    names = ["SEIRS_model/parameters", "SEIRS_model/results/a.csv",
             "SIR_model/parameters", "other/x1", "other/y2"]
    made = {n: api.data_product(ns=ns, name=n) for n in names}
    return rid(ns["url"]), made


def glob(api, products, pattern):
    ns, made = products
    found = api.results("data_product", {"namespace": ns, "name": pattern})
    back = {r["url"]: n for n, r in made.items()}
    return sorted(back[r["url"]] for r in found)


def test_glob_star_matches_across_slashes(api, products):
    assert glob(api, products, "SEIRS_model/*") == [
        "SEIRS_model/parameters", "SEIRS_model/results/a.csv"]
    assert glob(api, products, "*parameters") == [
        "SEIRS_model/parameters", "SIR_model/parameters"]
    assert glob(api, products, "*") == sorted(products[1])
    assert glob(api, products, "*model*param*") == [
        "SEIRS_model/parameters", "SIR_model/parameters"]


def test_glob_is_anchored_and_case_sensitive(api, products):
    assert glob(api, products, "SEIRS_model") == []
    assert glob(api, products, "seirs_model/*") == []
    assert glob(api, products, "SEIRS_model/parameters") == [
        "SEIRS_model/parameters"]


def test_glob_question_mark_and_classes(api, products):
    assert glob(api, products, "other/??") == ["other/x1", "other/y2"]
    assert glob(api, products, "other/?") == []
    assert glob(api, products, "other/[x]?") == ["other/x1"]
    assert glob(api, products, "other/[!x]?") == ["other/y2"]
    assert glob(api, products, "other/[a-x][0-9]") == ["other/x1"]
    assert glob(api, products, "S[!E]R_model/*") == ["SIR_model/parameters"]


def test_glob_treats_regex_characters_literally(api, products):
    assert glob(api, products, "SEIRS_model/results/a.csv") == [
        "SEIRS_model/results/a.csv"]
    assert glob(api, products, "SEIRS_model/results/a?csv") == [
        "SEIRS_model/results/a.csv"]
    assert glob(api, products, "SEIRS_model/results/a.cs.") == []
    assert glob(api, products, "other/[x1") == []
    assert glob(api, products, "(other)/x1") == []


def test_glob_unencoded_and_trimmed(api, products):
    ns, made = products
    r = requests.get(f"{api.base}/api/data_product/?namespace={ns}"
                     "&name=SEIRS_model/parameters")
    assert [x["url"] for x in r.json()["results"]] == [
        made["SEIRS_model/parameters"]["url"]]
    assert glob(api, products, " other/x1 ") == ["other/x1"]


def test_empty_value_is_no_filter(api, products):
    ns, made = products
    found = api.results("data_product", {"namespace": ns, "name": "",
                                         "version": ""})
    assert len(found) == len(made)
    run = api.code_run()
    r = api.get("code_run", {"uuid": run["uuid"], "inputs": ""})
    assert r.status_code == 200 and r.json()["count"] == 1


def test_other_name_fields_glob(api):
    tag = uniq("")
    a = api.author(name=f"Ada {tag} Lovelace")
    assert [x["url"] for x in api.results("author", {"name": f"Ada {tag}*"})] \
        == [a["url"]]
    ns = api.namespace(name=f"glob_{tag}")
    assert [x["url"] for x in api.results("namespace",
                                          {"name": f"glob_{tag[:4]}*"})] \
        == [ns["url"]]
    obj = api.object()
    kw = api.create("keyword", {"object": obj["url"],
                                "keyphrase": f"disease {tag}"})
    assert [x["url"] for x in api.results("keyword",
                                          {"keyphrase": f"dis*{tag}"})] \
        == [kw["url"]]
    crr = api.create("code_repo_release", {
        "object": obj["url"], "name": f"SEIRS {tag}", "version": "0.0.1"})
    assert [x["url"] for x in api.results("code_repo_release",
                                          {"name": f"SEIRS ?{tag[1:]}"})] \
        == [crr["url"]]
    comp = api.component(obj, name=f"table/{tag}")
    assert [x["url"] for x in api.results("object_component", {
        "object": rid(obj["url"]), "name": "table/*"})] == [comp["url"]]


def test_non_name_text_is_exact(api):
    tag = uniq()
    ft = api.file_type(name=f"Comma {tag}", extension=tag)
    assert all(x["name"] == "Comma*"
               for x in api.results("file_type", {"name": "Comma*"}))
    found = api.results("file_type", {"name": f"Comma {tag}"})
    assert [x["url"] for x in found] == [ft["url"]]
    found = api.results("file_type", {"extension": tag})
    assert [x["url"] for x in found] == [ft["url"]]
    root = api.storage_root()
    assert api.results("storage_root", {"root": root["root"][:-3] + "*"}) == []
    eo = api.external_object(title=f"Title {tag}")
    assert api.results("external_object", {"title": "Title*"}) == []
    assert [x["url"] for x in api.results("external_object",
                                          {"title": f"Title {tag}"})] \
        == [eo["url"]]


def test_unencoded_root_and_bool(api):
    root = api.storage_root(local=True)
    r = requests.get(f"{api.base}/api/storage_root/?root={root['root']}"
                     "&local=True")
    assert r.status_code == 200
    assert [x["url"] for x in r.json()["results"]] == [root["url"]]
    r = requests.get(f"{api.base}/api/storage_root/?root={root['root']}"
                     "&local=False")
    assert r.json()["results"] == []


def test_link_filters(api):
    root = api.storage_root()
    loc = api.storage_location(root)
    obj = api.object(storage_location=loc["url"])
    found = api.results("object", {"storage_location": rid(loc["url"])})
    assert [x["url"] for x in found] == [obj["url"]]
    assert api.results("object", {"storage_location": 987654321}) == []
    # a number is read as a decimal
    found = api.results("object", {"storage_location": f" {rid(loc['url'])}.0 "})
    assert [x["url"] for x in found] == [obj["url"]]
    assert api.results("object", {"storage_location": "9" * 40}) == []
    assert api.results("object", {"storage_location": "-1"}) == []
    for bad in ("abc", "1x", "0x10", "1e", "--1", "nan"):
        r = api.get("object", {"storage_location": bad})
        assert r.status_code == 400, bad
        assert r.json() == {"storage_location": ["Enter a number."]}
    found = api.results("storage_location", {"storage_root": rid(root["url"])})
    assert [x["url"] for x in found] == [loc["url"]]
    assert api.get("storage_location", {"updated_by": "me"}).json() == {
        "updated_by": ["Enter a number."]}


def test_int_filter(api):
    sev = 1000 + uuid.uuid4().int % 20000
    issue = api.issue(severity=sev)
    found = api.results("issue", {"severity": sev})
    assert issue["url"] in [x["url"] for x in found]
    assert all(x["severity"] == sev for x in found)
    r = api.get("issue", {"severity": "high"})
    assert r.status_code == 400 and r.json() == {
        "severity": ["Enter a number."]}


def test_many_to_many_filters(api):
    c1, c2, c3 = api.component(), api.component(), api.component()
    r1 = api.code_run(inputs=[c1["url"]], outputs=[c3["url"]])
    r2 = api.code_run(inputs=[c2["url"], c1["url"]])
    assert urls(api.results("code_run", {"inputs": rid(c1["url"])})) == \
        sorted([r1["url"], r2["url"]])
    assert urls(api.results("code_run", {"inputs": rid(c2["url"])})) == \
        [r2["url"]]
    assert urls(api.results("code_run", {"outputs": rid(c3["url"])})) == \
        [r1["url"]]
    # several values of one key: any of them, each record once
    r = requests.get(f"{api.base}/api/code_run/?inputs={rid(c1['url'])}"
                     f"&inputs={rid(c2['url'])}")
    assert r.json()["count"] == 2
    assert urls(r.json()["results"]) == sorted([r1["url"], r2["url"]])
    # an unused component: valid choice, nothing found
    assert api.results("code_run", {"outputs": rid(c2["url"])}) == []


def test_many_to_many_filter_errors(api):
    r = api.get("code_run", {"inputs": 987654321})
    assert r.status_code == 400
    assert r.json() == {"inputs": ["Select a valid choice. 987654321 is not "
                                   "one of the available choices."]}
    r = api.get("code_run", {"outputs": "abc"})
    assert r.status_code == 400
    assert r.json() == {"outputs": ["\u201cabc\u201d is not a valid value."]}
    r = requests.get(f"{api.base}/api/object/?authors=['3']")
    assert r.status_code == 400
    assert r.json() == {"authors": ["\u201c['3']\u201d is not a valid value."]}
    r = api.get("object_component", {"issues": 987654321})
    assert r.status_code == 400


def test_reverse_relations_are_accepted_but_do_not_filter(api):
    comp = api.component()
    api.code_run(inputs=[comp["url"]])
    everything = api.get("object_component", {"page_size": 1}).json()["count"]
    r = api.get("object_component", {"inputs_of": 987654321, "page_size": 1})
    assert r.status_code == 200 and r.json()["count"] == everything
    r = api.get("object", {"components": "nonsense", "page_size": 1})
    assert r.status_code == 200
    r = api.get("issue", {"component_issues": 987654321, "page_size": 1})
    assert r.status_code == 200


@pytest.mark.parametrize("spelling,expect", [
    ("True", True), ("true", True), ("1", True), ("TRUE", True),
    ("False", False), ("false", False), ("0", False)])
def test_boolean_spellings(api, spelling, expect):
    root = api.storage_root()
    pub = api.storage_location(root, public=True)
    priv = api.storage_location(root, public=False)
    found = api.results("storage_location", {"storage_root": rid(root["url"]),
                                             "public": spelling})
    assert [x["url"] for x in found] == [(pub if expect else priv)["url"]]


def test_other_boolean_values_do_not_filter(api):
    root = api.storage_root()
    api.storage_location(root, public=True)
    api.storage_location(root, public=False)
    for v in ("yes", "maybe", "2"):
        found = api.results("storage_location", {
            "storage_root": rid(root["url"]), "public": v})
        assert len(found) == 2


def test_uuid_filter(api):
    run = api.code_run()
    for spelling in (run["uuid"], run["uuid"].upper(),
                     run["uuid"].replace("-", "")):
        found = api.results("code_run", {"uuid": spelling})
        assert [x["url"] for x in found] == [run["url"]]
    assert api.results("code_run", {"uuid": str(uuid.uuid4())}) == []
    r = api.get("code_run", {"uuid": "not-a-uuid"})
    assert r.status_code == 400
    assert r.json() == {"uuid": ["Enter a valid UUID."]}


def test_datetime_filter(api):
    when = f"20{10 + uuid.uuid4().int % 80}-03-04T05:06:07.123456Z"
    run = api.code_run(run_date=when)
    for spelling in (when, when.replace("Z", "+00:00"),
                     when.replace("T05", "T06").replace("Z", "+01:00"),
                     when.replace("T", " ")):
        found = api.results("code_run", {"run_date": spelling})
        assert run["url"] in [x["url"] for x in found], spelling
    r = api.get("code_run", {"run_date": "yesterday"})
    assert r.status_code == 400
    assert r.json() == {"run_date": ["Enter a valid date/time."]}
    r = api.get("code_run", {"run_date": "2024-02-30T00:00:00"})
    assert r.status_code == 400


def test_filters_combine(api):
    ns = api.namespace()
    a = api.data_product(ns=ns, name="combo/a", version="1.0.0")
    api.data_product(ns=ns, name="combo/a", version="2.0.0")
    api.data_product(ns=ns, name="combo/b", version="1.0.0")
    found = api.results("data_product", {"namespace": rid(ns["url"]),
                                         "name": "combo/a",
                                         "version": "1.0.0"})
    assert [x["url"] for x in found] == [a["url"]]
    # the last value of a repeated scalar key counts
    r = requests.get(f"{api.base}/api/data_product/?namespace={rid(ns['url'])}"
                     "&version=2.0.0&version=1.0.0&name=combo/a")
    assert [x["url"] for x in r.json()["results"]] == [a["url"]]


@pytest.mark.parametrize("resource", RESOURCES)
def test_unknown_query_argument(api, resource):
    r = api.get(resource, {"bogus": "1"})
    assert r.status_code == 400
    assert r.headers["Content-Type"] == "application/json"
    assert r.json() == {"detail": "Invalid query arguments, only query "
                        f"arguments [{QUERY_ARGS[resource]}, cursor, format, "
                        "ordering, page_size] are allowed"}
    # every named argument is accepted (values may not filter)
    for name in QUERY_ARGS[resource].split(", "):
        r = api.get(resource, {name: "", "page_size": 1})
        assert r.status_code == 200, (name, r.text)


def test_detail_ignores_query_arguments(api):
    obj = api.object()
    assert api.get(obj["url"], {"bogus": 1}).status_code == 200


def test_ordering(api):
    ns = api.namespace()
    made = [api.data_product(ns=ns, name=n, version=v) for n, v in
            [("b", "1.0.0"), ("a", "3.0.0"), ("c", "2.0.0"), ("a", "1.0.0")]]
    base = {"namespace": rid(ns["url"])}

    def order(o):
        return [(x["name"], x["version"]) for x in
                api.results("data_product", {**base, "ordering": o})]

    assert order("") == [("a", "1.0.0"), ("c", "2.0.0"), ("a", "3.0.0"),
                         ("b", "1.0.0")]
    assert order("name") == [("a", "1.0.0"), ("a", "3.0.0"), ("b", "1.0.0"),
                             ("c", "2.0.0")]
    assert order("-name")[0] == ("c", "2.0.0")
    assert order("name,-version") == [("a", "3.0.0"), ("a", "1.0.0"),
                                      ("b", "1.0.0"), ("c", "2.0.0")]
    assert order(" name , version ") == order("name,version")
    # unknown, computed and to-many fields are ignored, and so is id
    assert order("nonsense") == order("")
    assert order("id") == order("")
    assert order("prov_report,-nothing") == order("")
    assert [x["url"] for x in api.results("data_product", base)] == [
        m["url"] for m in reversed(made)]


def test_ordering_by_dates_and_links(api):
    script = api.object()
    runs = [api.code_run(script, run_date=f"2001-01-0{d}T00:00:00Z")
            for d in (3, 1, 2)]
    base = {"submission_script": rid(script["url"])}
    got = [x["url"] for x in api.results("code_run",
                                         {**base, "ordering": "run_date"})]
    assert got == [runs[1]["url"], runs[2]["url"], runs[0]["url"]]
    got = [x["url"] for x in api.results("code_run",
                                         {**base, "ordering": "-run_date"})]
    assert got == [runs[0]["url"], runs[2]["url"], runs[1]["url"]]
    got = [x["url"] for x in api.results("code_run", {
        **base, "ordering": "submission_script,last_updated"})]
    assert got == [r["url"] for r in runs]
