"""Provenance reports and RO-Crates (API.md section 7): every format of
/api/prov-report/, the RO-Crates of a data product and of a code run,
/api/data_extraction/. The records are made through the API in the shape
the SEIRS example leaves: a code run with a code repo release, a model
config, a submission script and an input product extracted from an
external object, writing two output products; plus a chain of three runs
and a cycle for depth. PROV-JSON and PROV-XML are read back with the W3C
`prov` library, JSON-LD with rdflib, PROV-N statement by statement."""

import datetime
import io
import json
import os
import re
import subprocess
import time
import uuid
import xml.etree.ElementTree as ET
import zipfile

import prov.model
import prov.serializers
import pytest
import requests
from prov.identifier import QualifiedName
from rdflib import Graph
from rdflib.compare import isomorphic

FAIR = "https://data.fairdatapipeline.org/vocab/#"
CENTRAL = "https://data.fairdatapipeline.org/"


def uniq(prefix="p"):
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def rid(url):
    return int(url.rstrip("/").split("/")[-1])


def pytime(rest_time):
    """A REST time ("...Z") as the reference's PROV writes it."""
    return datetime.datetime.fromisoformat(
        rest_time.replace("Z", "+00:00")).isoformat()


class Registry:
    def __init__(self, base, token, registry_bin, var_dir):
        self.base = base
        self.auth = {"Authorization": f"token {token}"}
        self.registry_bin = registry_bin
        self.var_dir = var_dir

    def create(self, resource, body, auth=None):
        r = requests.post(f"{self.base}/api/{resource}/", json=body,
                          headers=auth or self.auth)
        assert r.status_code == 201, (resource, body, r.text)
        return r.json()

    def get(self, path, **params):
        return requests.get(f"{self.base}{path}", params=params)

    def record(self, url):
        r = requests.get(url, headers=self.auth)
        assert r.status_code == 200, r.text
        return r.json()

    def location(self, root, path):
        return self.create("storage_location", {
            "path": path, "hash": uuid.uuid4().hex,
            "storage_root": root["url"]})["url"]

    def new_user(self):
        """(user URL, token header) of a fresh user."""
        env = dict(os.environ)
        for line in (self.var_dir / "env").read_text().splitlines():
            key, _, value = line.partition("=")
            env[key] = value
        name = uniq("prov")
        for cmd in (["user", name], ["token", name]):
            run = subprocess.run([str(self.registry_bin), *cmd], env=env,
                                 capture_output=True, text=True, timeout=60)
            assert run.returncode == 0, run.stderr
        key = run.stdout.strip()
        who = requests.get(f"{self.base}/api/users/",
                           params={"username": name}, headers=self.auth)
        return who.json()["results"][0]["url"], {"Authorization": f"token {key}"}


@pytest.fixture(scope="module")
def reg(base_url, token, registry_bin, var_dir):
    """Writes as a user of its own: other tests may give admin an author,
    and the agent of a run depends on that."""
    r = Registry(base_url, token, registry_bin, var_dir)
    r.user, r.auth = r.new_user()
    return r


FILES = {"config.yaml": b"seed: 42\n", "script.sh": b"julia run.jl\n",
         "SEIRS/params.csv": b"param,value\nbeta,0.2\n",
         "SEIRS/out1.csv": b"t,S\n0,1\n", "SEIRS/out2.csv": b"t,I\n0,0\n"}


@pytest.fixture(scope="module")
def seirs(reg, tmp_path_factory):
    """The records of a SEIRS-like run, its files on local storage."""
    store = tmp_path_factory.mktemp("store")
    for name, content in FILES.items():
        (store / name).parent.mkdir(parents=True, exist_ok=True)
        (store / name).write_bytes(content)
    os.chmod(store, 0o755)
    u = uniq("")
    local = reg.create("storage_root", {"root": f"file://{store}/",
                                        "local": True})
    remote = reg.create("storage_root", {"root": f"https://github.com/{u}/"})
    csv = reg.create("file_type", {"name": f"csv {u}", "extension": "csv"})
    yaml = reg.create("file_type", {"name": f"yaml {u}", "extension": "yaml"})
    ivana = reg.create("author", {"name": "Ivana Valenti",
                                  "identifier": f"https://orcid.org/{u}"})
    maria = reg.create("author", {"name": "Maria Cipriani"})
    ns = reg.create("namespace", {"name": f"PSU{u}"})
    repo = reg.create("object", {
        "storage_location": reg.location(remote, "SEIRS.git"),
        "authors": [ivana["url"]]})
    release = reg.create("code_repo_release", {
        "object": repo["url"], "name": f"SEIRS{u}", "version": "0.1.0",
        "website": "https://github.com/FAIRDataPipeline/SEIRS"})
    config = reg.create("object", {
        "storage_location": reg.location(local, "config.yaml"),
        "file_type": yaml["url"], "description": "Working config file"})
    script = reg.create("object", {
        "storage_location": reg.location(local, "script.sh"),
        "description": "Submission script"})
    params = reg.create("object", {
        "storage_location": reg.location(local, "SEIRS/params.csv"),
        "file_type": csv["url"], "authors": [maria["url"]]})
    licence = reg.create("licence", {
        "object": params["url"], "licence_info": "Creative Commons é",
        "identifier": f"https://creativecommons.org/licenses/by/4.0/{u}"})
    params_dp = reg.create("data_product", {
        "object": params["url"], "namespace": ns["url"],
        "name": "SEIRS_model/parameters", "version": "1.0.0"})
    external = reg.create("external_object", {
        "data_product": params_dp["url"], "identifier":
        f"https://doi.org/10.1000/{u}", "release_date": "2020-07-10T18:38:00Z",
        "title": "SEIRS parameters", "description": "from the paper",
        "primary_not_supplement": False})
    outs = []
    for i in (1, 2):
        obj = reg.create("object", {
            "storage_location": reg.location(local, f"SEIRS/out{i}.csv"),
            "file_type": csv["url"], "authors": [ivana["url"]]})
        dp = reg.create("data_product", {
            "object": obj["url"], "namespace": ns["url"],
            "name": f"SEIRS_model/results/out{i}", "version": "0.0.1"})
        outs.append((obj, dp))
    issue = reg.create("issue", {
        "description": "values <too> high & \"odd\"", "severity": 5,
        "component_issues": [outs[0][0]["components"][0]]})
    run = reg.create("code_run", {
        "run_date": "2021-07-17T18:21:11Z", "description": "SEIRS run",
        "code_repo": repo["url"], "model_config": config["url"],
        "submission_script": script["url"],
        "inputs": [params["components"][0]],
        "outputs": [o["components"][0] for o, _ in outs]})
    return dict(store=store, repo=reg.record(repo["url"]), release=release,
                config=reg.record(config["url"]),
                script=reg.record(script["url"]),
                params=reg.record(params["url"]), params_dp=params_dp,
                external=external, licence=licence, ivana=ivana, maria=maria,
                out1=reg.record(outs[0][0]["url"]), out1_dp=outs[0][1],
                out2=reg.record(outs[1][0]["url"]), out2_dp=outs[1][1],
                issue=issue, run=run, ns=ns, csv=csv, yaml=yaml,
                remote=remote)


def report(reg, dp, fmt=None, **params):
    if fmt:
        params["format"] = fmt
    r = reg.get(f"/api/prov-report/{rid(dp['url'])}/", **params)
    assert r.status_code == 200, r.text
    return r


def parsed(text, fmt):
    return prov.model.ProvDocument.deserialize(content=text, format=fmt)


def relations(doc_json, kind):
    """A PROV-JSON relation group as a set of its records (blank names
    dropped, values made hashable)."""
    out = set()
    for rec in doc_json.get(kind, {}).values():
        assert isinstance(rec, dict), "a relation is stated twice"
        out.add(tuple(sorted((k, v["$"] if isinstance(v, dict) else v)
                             for k, v in rec.items())))
    return out


def rel(**kw):
    return tuple(sorted((k.replace("_", ":", 1), v) for k, v in kw.items()))


# ---- PROV-JSON ----------------------------------------------------------

def test_prov_json_states_the_run(reg, seirs):
    r = report(reg, seirs["out1_dp"])
    assert r.headers["Content-Type"] == "application/json"
    doc = r.json()
    L = "lreg:api/"
    assert doc["prefix"] == {
        "lreg": f"{reg.base}/", "fair": FAIR,
        "dcat": "http://www.w3.org/ns/dcat#",
        "dcmitype": "http://purl.org/dc/dcmitype/",
        "dcterms": "http://purl.org/dc/terms/",
        "foaf": "http://xmlns.com/foaf/spec/#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    assert list(doc)[:2] == ["prefix", "entity"]
    qn = lambda v: {"$": v, "type": "prov:QUALIFIED_NAME"}
    dt = lambda v: {"$": pytime(v), "type": "xsd:dateTime"}
    out1, s = seirs["out1"], seirs
    dp = f"{L}data_product/{rid(s['out1_dp']['url'])}"
    params_dp = f"{L}data_product/{rid(s['params_dp']['url'])}"
    run = f"{L}code_run/{rid(s['run']['url'])}"
    crr = f"{L}code_repo_release/{rid(s['release']['url'])}"
    config = f"{L}object/{rid(s['config']['url'])}"
    script = f"{L}object/{rid(s['script']['url'])}"
    ext = f"{L}external_object/{rid(s['external']['url'])}"
    ivana = f"{L}author/{rid(s['ivana']['url'])}"
    maria = f"{L}author/{rid(s['maria']['url'])}"
    user = f"{L}users/{rid(reg.user)}"
    store = f"file://{s['store']}/"
    ent = doc["entity"]
    assert ent[dp] == {
        "rdf:type": qn("dcat:Dataset"),
        "dcterms:modified": dt(out1["last_updated"]),
        "prov:atLocation": store + "SEIRS/out1.csv",
        "fair:namespace": s["ns"]["name"],
        "dcterms:title": "SEIRS_model/results/out1",
        "dcat:hasVersion": "0.0.1",
        "fair:issue": f"values <too> high & \"odd\" severity: 5 ID: "
                      f"{rid(s['issue']['url'])}",
        "dcterms:format": s["csv"]["name"]}
    assert ent[crr] == {
        "rdf:type": qn("dcmitype:Software"),
        "dcterms:modified": dt(s["repo"]["last_updated"]),
        "prov:atLocation": f"{s['remote']['root']}SEIRS.git",
        "dcterms:title": s["release"]["name"], "dcat:hasVersion": "0.1.0",
        "fair:website": "https://github.com/FAIRDataPipeline/SEIRS"}
    assert ent[config] == {
        "dcterms:modified": dt(s["config"]["last_updated"]),
        "prov:atLocation": store + "config.yaml",
        "dcterms:description": "Working config file",
        "dcterms:format": s["yaml"]["name"]}
    assert ent[script]["rdf:type"] == qn("dcmitype:Software")
    assert ent[params_dp]["dcterms:title"] == "SEIRS_model/parameters"
    assert ent[ext] == {
        "rdf:type": qn("dcat:Dataset"), "dcterms:title": "SEIRS parameters",
        "dcterms:issued": {"$": "2020-07-10T18:38:00+00:00",
                           "type": "xsd:dateTime"},
        "dcat:hasVersion": "1.0.0",
        "dcterms:identifier": s["external"]["identifier"],
        "dcterms:description": "from the paper"}
    assert doc["activity"] == {run: {
        "prov:startTime": "2021-07-17T18:21:11+00:00",
        "rdf:type": qn("fair:Run"), "dcterms:description": "SEIRS run"}}
    assert doc["agent"] == {
        ivana: {"rdf:type": qn("prov:Person"), "foaf:name": "Ivana Valenti",
                "dcterms:identifier": s["ivana"]["identifier"]},
        user: {"rdf:type": qn("prov:Person"), "foaf:name": "User Not Found"},
        maria: {"rdf:type": qn("prov:Person"), "foaf:name": "Maria Cipriani"}}
    assert relations(doc, "wasGeneratedBy") == {
        rel(prov_entity=dp, prov_activity=run)}
    assert relations(doc, "wasStartedBy") == {
        rel(prov_activity=run, prov_trigger=user,
            prov_time="2021-07-17T18:21:11+00:00",
            prov_role="fair:code_runner")}
    assert relations(doc, "used") == {
        rel(prov_activity=run, prov_entity=e, prov_role=role)
        for e, role in [(crr, "fair:software"),
                        (config, "fair:model_configuration"),
                        (script, "fair:submission_script"),
                        (params_dp, "fair:input_data")]}
    assert relations(doc, "wasDerivedFrom") == {
        rel(prov_generatedEntity=dp, prov_usedEntity=params_dp)}
    assert relations(doc, "specializationOf") == {
        rel(prov_specificEntity=ext, prov_generalEntity=params_dp)}
    assert relations(doc, "wasAttributedTo") == {
        rel(prov_entity=e, prov_agent=a, prov_role="dcterms:creator")
        for e, a in [(dp, ivana), (crr, ivana), (params_dp, maria)]}
    # blank names are _:id1, _:id2 ... in the order the records are stated
    names = [k for kind in doc if kind not in ("prefix", "entity",
                                               "activity", "agent")
             for k in doc[kind]]
    assert sorted(names, key=lambda n: int(n[4:])) == \
        [f"_:id{i}" for i in range(1, len(names) + 1)]
    # the library reads it back
    assert len(parsed(r.text, "json").get_records()) == sum(
        len(v) for k, v in doc.items() if k != "prefix")


def test_prov_json_is_the_default_and_format_json(reg, seirs):
    a = report(reg, seirs["out1_dp"]).json()
    b = report(reg, seirs["out1_dp"], "json").json()
    c = requests.get(f"{reg.base}/api/prov-report/{rid(seirs['out1_dp']['url'])}/",
                     headers={"Accept": "application/json; version=1.0.0"}).json()
    assert a == b == c


# ---- PROV-XML, PROV-N, JSON-LD: the same document -----------------------

def test_prov_xml_reads_as_the_json(reg, seirs):
    r = report(reg, seirs["out1_dp"], "xml")
    assert r.headers["Content-Type"] == "text/xml; charset=utf8"
    assert r.text.startswith("<?xml version='1.0' encoding='ASCII'?>\n"
                             "<prov:document xmlns:lreg=")
    ET.fromstring(r.content)
    from_xml = parsed(r.text, "xml")
    from_json = parsed(report(reg, seirs["out1_dp"]).text, "json")
    assert from_xml == from_json
    assert len(from_xml.get_records()) == len(from_json.get_records())


def split_top(s):
    """s split at the ", " outside quotes and brackets."""
    parts, cur, i, quote, depth = [], "", 0, None, 0
    while i < len(s):
        if quote:
            if s[i] == "\\":
                cur += s[i:i + 2]
                i += 2
            elif s.startswith(quote, i):
                cur += quote
                i += len(quote)
                quote = None
            else:
                cur += s[i]
                i += 1
            continue
        for q in ('"""', '"', "'"):
            if s.startswith(q, i):
                quote = q
                break
        if quote:
            cur += quote
            i += len(quote)
            continue
        depth += {"[": 1, "]": -1}.get(s[i], 0)
        if depth == 0 and s.startswith(", ", i):
            parts.append(cur)
            cur = ""
            i += 2
            continue
        cur += s[i]
        i += 1
    parts.append(cur)
    return parts


def provn_statements(text):
    """PROV-N statements as comparable values: kind, positional arguments
    and the set of attribute=value pairs."""
    out = []
    for line in text.splitlines()[1:-1]:
        line = line.strip()
        if not line or line.startswith("prefix "):
            continue
        kind, body = line.split("(", 1)
        assert body.endswith(")")
        items = split_top(body[:-1])
        attrs = frozenset()
        if items[-1].startswith("["):
            attrs = frozenset(split_top(items.pop()[1:-1]))
        out.append((kind, tuple(items), attrs))
    return out


def test_provn_states_what_the_json_states(reg, seirs):
    r = report(reg, seirs["out1_dp"], "provn")
    assert r.headers["Content-Type"] == "text/provenance-notation; charset=utf8"
    text = r.text
    assert text.startswith("document\n  prefix lreg <")
    assert "\n  \n" in text and text.endswith("\nendDocument")
    # the library cannot read PROV-N: compare with what it writes for the
    # document read from our PROV-JSON
    lib = parsed(report(reg, seirs["out1_dp"]).text, "json").get_provn()
    ours = provn_statements(text)
    theirs = provn_statements(lib)
    assert len(ours) == len(theirs) == len(set(ours))
    assert sorted(ours, key=repr) == sorted(theirs, key=repr)
    prefixes = [l for l in text.splitlines() if l.startswith("  prefix ")]
    assert prefixes == [l for l in lib.splitlines()
                        if l.startswith("  prefix ")]
    assert 'fair:issue="values <too> high & \\"odd\\" severity: 5' in text


def test_jsonld_is_the_rdf_of_the_document(reg, seirs):
    r = report(reg, seirs["out1_dp"], "json-ld")
    assert r.headers["Content-Type"] == "application/ld+json; charset=utf8"
    ours = Graph().parse(data=r.text, format="json-ld")
    doc = parsed(report(reg, seirs["out1_dp"]).text, "json")
    # the reference: the library's RDF (TriG), then rdflib's JSON-LD of it
    trig = io.StringIO()
    prov.serializers.get("rdf")(doc).serialize(trig)
    g = Graph().parse(data=trig.getvalue(), format="trig")
    context = {p: str(u) for p, u in g.namespaces()}
    theirs = Graph().parse(
        data=g.serialize(format="json-ld", context=context), format="json-ld")
    assert len(ours) == len(theirs) > 50
    assert isomorphic(ours, theirs)
    body = r.json()
    assert body["@context"]["fair"] == FAIR
    assert body["@context"]["foaf1"] == "http://xmlns.com/foaf/spec/#"


# ---- pictures -------------------------------------------------------------

def svg_size(text):
    root = ET.fromstring(text.encode())
    num = lambda v: float(re.sub("[a-z]+$", "", v))
    return num(root.get("width")), num(root.get("height"))


def test_svg_is_well_formed_and_marks_issues(reg, seirs):
    r = report(reg, seirs["out1_dp"], "svg")
    assert r.headers["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(r.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = r.text
    assert "lreg:api/code_run/" in text and "wasGeneratedBy" in text
    # the issue's attribute name is painted red
    red = '<polygon fill="red"'
    assert text.count(red) == 1
    assert "dcterms:modified" in text
    bare = report(reg, seirs["out1_dp"], "svg", attributes="False").text
    ET.fromstring(bare.encode())
    assert "dcterms:modified" not in bare
    assert red not in bare
    assert "fair:code_runner" in bare  # relations keep their notes
    for ratio in (0.5, 2.0):
        w, h = svg_size(report(reg, seirs["out1_dp"], "svg",
                               aspect_ratio=ratio).text)
        assert abs(h / w - ratio) < 0.1 * ratio


def jpeg_size(data):
    i = 2
    while i < len(data):
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            return (int.from_bytes(data[i + 7:i + 9], "big"),
                    int.from_bytes(data[i + 5:i + 7], "big"))
        i += 2 + length
    raise AssertionError("no frame header")


def test_jpg_follows_dpi(reg, seirs):
    r = report(reg, seirs["out1_dp"], "jpg")
    assert r.headers["Content-Type"] == "image/jpeg"
    assert r.content[:3] == b"\xff\xd8\xff"
    small = jpeg_size(report(reg, seirs["out1_dp"], "jpg", dpi=36).content)
    big = jpeg_size(report(reg, seirs["out1_dp"], "jpg", dpi=72).content)
    assert 1.8 < big[0] / small[0] < 2.2


def test_pictures_leave_no_graphics_libraries_in_the_workers(reg, seirs,
                                                             var_dir):
    """Pictures are drawn in a child process: graphviz's plugins (cairo and
    the rest, some 15 MiB) would otherwise stay in a worker for good."""
    for fmt in ("svg", "jpg"):
        for _ in range(8):  # reach every worker of the pool
            assert report(reg, seirs["out1_dp"], fmt).status_code == 200
    master = (var_dir / "run" / "registry.pid").read_text().strip()
    pids = subprocess.run(["pgrep", "-P", master], capture_output=True,
                          text=True).stdout.split()
    assert pids
    for pid in pids:
        try:
            maps = open(f"/proc/{pid}/maps").read()
        except FileNotFoundError:
            continue  # a worker replaced meanwhile
        assert "libcairo" not in maps and "libgvplugin" not in maps, pid


# ---- RO-Crate ---------------------------------------------------------------

def crate(reg, kind, record, fmt=None, **params):
    if fmt:
        params["format"] = fmt
    r = reg.get(f"/api/ro-crate/{kind}/{rid(record['url'])}/", **params)
    assert r.status_code == 200, r.text
    return r


def by_id(meta):
    return {e["@id"]: e for e in meta["@graph"]}


def test_crate_of_a_data_product(reg, seirs):
    r = crate(reg, "data-product", seirs["out1_dp"])
    assert r.headers["Content-Type"] == "application/json"
    meta = r.json()
    assert meta["@context"] == [
        "https://w3id.org/ro/crate/1.1/context",
        {"sha1": "https://w3id.org/ro/terms/workflow-run#sha1"}]
    e = by_id(meta)
    base = f"{reg.base}/"
    root = e["./"]
    assert root["@type"] == "Dataset"
    assert root["publisher"] == "FAIR Data Pipeline"
    assert root["name"] == "RO Crate for SEIRS_model/results/out1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?",
                        root["datePublished"])
    cc0 = "https://creativecommons.org/publicdomain/zero/1.0/"
    assert e["ro-crate-metadata.json"]["license"] == {"@id": cc0}
    assert e[cc0]["name"] == "CC0 Public Domain Dedication"
    assert e["ro-crate-metadata.json"]["conformsTo"] == {
        "@id": "https://w3id.org/ro/crate/1.1"}
    run = e[f"{base}api/code_run/{rid(seirs['run']['url'])}"]
    assert run["@type"] == "CreateAction"
    assert run["startTime"] == "2021-07-17T18:21:11+00:00"
    assert run["result"] == {"@id": "outputs/out1.csv"}
    repo = f"{seirs['remote']['root']}SEIRS.git"
    assert run["instrument"] == {"@id": repo}
    assert e[repo]["@type"] == "SoftwareApplication"
    assert e[repo]["version"] == "0.1.0"
    assert run["object"] == [{"@id": "inputs/model_config/config.yaml"},
                             {"@id": "inputs/submission_script/script.sh"},
                             {"@id": "inputs/data/params.csv"}]
    assert e[run["agent"]["@id"]] == {
        "@id": run["agent"]["@id"], "@type": "Person",
        "name": "User Not Found"}
    out = e["outputs/out1.csv"]
    assert out["@type"] == "File" and out["encodingFormat"] == "text/csv"
    assert out["author"] == [{"@id": seirs["ivana"]["identifier"]}]
    assert e["inputs/model_config/config.yaml"]["@type"] == [
        "File", "SoftwareSourceCode"]
    params = e["inputs/data/params.csv"]
    assert params["license"] == {"@id": seirs["licence"]["identifier"]}
    assert e[seirs["licence"]["identifier"]]["description"] == \
        "Creative Commons é"
    extraction = e[f"{base}api/data_extraction/"
                   f"{rid(seirs['params_dp']['url'])}"]
    assert extraction["result"] == {"@id": "inputs/data/params.csv"}
    assert extraction["object"] == {"@id": seirs["external"]["identifier"]}
    parts = {p["@id"] for p in root["hasPart"]}
    assert {"outputs/out1.csv", "inputs/data/params.csv",
            seirs["external"]["identifier"]} <= parts
    # JSON-LD: the same metadata
    ld = crate(reg, "data-product", seirs["out1_dp"], "json-ld")
    assert ld.headers["Content-Type"] == "application/ld+json; charset=utf8"
    same = ld.json()
    for m in (same, meta):
        by_id(m)["./"].pop("datePublished")
    assert same == meta
    assert "\\u00e9" in ld.text  # json.dumps escapes as Python's does


def test_crate_zip_carries_the_local_files(reg, seirs):
    r = crate(reg, "data-product", seirs["out1_dp"], "zip")
    assert r.headers["Content-Type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    assert z.testzip() is None
    files = {n for n in z.namelist() if not n.endswith("/")}
    assert files == {"ro-crate-metadata.json", "outputs/out1.csv",
                     "inputs/model_config/config.yaml",
                     "inputs/submission_script/script.sh",
                     "inputs/data/params.csv"}
    assert z.read("outputs/out1.csv") == FILES["SEIRS/out1.csv"]
    assert z.read("inputs/data/params.csv") == FILES["SEIRS/params.csv"]
    assert z.read("inputs/model_config/config.yaml") == FILES["config.yaml"]
    meta = z.read("ro-crate-metadata.json").decode()
    assert meta.startswith('{\n    "@context": [')  # indented, keys sorted
    listed = crate(reg, "data-product", seirs["out1_dp"]).json()
    inside = json.loads(meta)
    for m in (inside, listed):
        by_id(m)["./"].pop("datePublished")
    assert inside == listed


def test_crate_of_a_code_run(reg, seirs):
    meta = crate(reg, "code-run", seirs["run"]).json()
    e = by_id(meta)
    assert e["./"]["name"] == f"RO Crate for code run {rid(seirs['run']['url'])}"
    run = e[f"{reg.base}/api/code_run/{rid(seirs['run']['url'])}"]
    assert run["result"] == [{"@id": "outputs/out1.csv"},
                             {"@id": "outputs/out2.csv"}]
    z = zipfile.ZipFile(io.BytesIO(crate(reg, "code-run", seirs["run"],
                                         "zip").content))
    assert z.read("outputs/out2.csv") == FILES["SEIRS/out2.csv"]


# ---- data extraction ------------------------------------------------------

def test_data_extraction(reg, seirs):
    dp = rid(seirs["params_dp"]["url"])
    r = reg.get(f"/api/data_extraction/{dp}/")
    assert r.status_code == 200
    assert r.json() == {
        "id": f"{reg.base}/api/data_extraction/{dp}",
        "name": f"data extraction {dp}",
        "startTime": pytime(seirs["params_dp"]["last_updated"]),
        "description": "import/extract data from an external source",
        "data_product": f"{reg.base}/api/data_product/{dp}",
        "external_product": f"{reg.base}/api/external_object/"
                            f"{rid(seirs['external']['url'])}"}
    r = reg.get(f"/api/data_extraction/{rid(seirs['out1_dp']['url'])}/")
    assert r.status_code == 404
    assert r.json() == {
        "detail": "DataProduct was not derived from an external object"}


# ---- bad input --------------------------------------------------------------

@pytest.mark.parametrize("path,detail", [
    ("/api/prov-report/987654321/", "No DataProduct matches the given query."),
    ("/api/ro-crate/data-product/987654321/",
     "No DataProduct matches the given query."),
    ("/api/ro-crate/code-run/987654321/", "No CodeRun matches the given query."),
    ("/api/data_extraction/987654321/",
     "No DataProduct matches the given query."),
])
def test_unknown_ids_are_404_json(reg, path, detail):
    for fmt in (None, "json", "svg" if "prov" in path else "json"):
        r = reg.get(path, **({"format": fmt} if fmt else {}))
        assert r.status_code == 404
        assert r.headers["Content-Type"] == "application/json"
        assert r.json() == {"detail": detail}


def test_unknown_format_is_404(reg, seirs):
    dp, run = rid(seirs["out1_dp"]["url"]), rid(seirs["run"]["url"])
    for path, fmt in [(f"/api/prov-report/{dp}/", "png"),
                      (f"/api/prov-report/{dp}/", "zip"),
                      (f"/api/ro-crate/data-product/{dp}/", "xml"),
                      (f"/api/ro-crate/code-run/{run}/", "svg"),
                      (f"/api/data_extraction/{dp}/", "xml")]:
        r = reg.get(path, format=fmt)
        assert r.status_code == 404 and r.json() == {"detail": "Not found."}


def test_accept_and_version(reg, seirs):
    url = f"{reg.base}/api/prov-report/{rid(seirs['out1_dp']['url'])}/"
    r = requests.get(url, headers={"Accept": "text/xml"})
    assert r.headers["Content-Type"] == "text/xml; charset=utf8"
    r = requests.get(url, headers={"Accept": "application/json; version=2.0"})
    assert r.status_code == 406
    r = requests.get(url, headers={"Accept": "image/png"})
    assert r.status_code == 406
    # the view ignores tokens, even bad ones
    assert requests.get(url, headers={"Authorization": "token bad"}
                        ).status_code == 200
    r = requests.get(url[:-1], allow_redirects=False)
    assert r.status_code == 301 and r.headers["Location"] == url


def test_depth_below_one_is_one(reg, seirs):
    one = report(reg, seirs["out1_dp"], depth=1).json()
    for depth in ("0", "-3", "abc", ""):
        assert report(reg, seirs["out1_dp"], depth=depth).json() == one


# ---- depth and cycles -------------------------------------------------------

@pytest.fixture(scope="module")
def chain(reg):
    """p0 -> run 1 -> p1 -> run 2 -> p2 -> run 3 -> p3; run 3 is written by
    a user who is an author."""
    u = uniq("")
    root = reg.create("storage_root", {"root": f"https://example.org/{u}/"})
    ns = reg.create("namespace", {"name": f"chain{u}"})
    script = reg.create("object", {
        "storage_location": reg.location(root, "run.sh")})
    objs, dps = [], []
    for i in range(4):
        obj = reg.create("object", {
            "storage_location": reg.location(root, f"p{i}.csv")})
        objs.append(obj)
        dps.append(reg.create("data_product", {
            "object": obj["url"], "namespace": ns["url"],
            "name": f"chain/p{i}", "version": "1.0.0"}))
    user, auth = reg.new_user()
    author = reg.create("author", {"name": "Runner",
                                   "identifier": f"https://orcid.org/r{u}"})
    reg.create("user_author", {"user": user, "author": author["url"]})
    runs = []
    for i in range(1, 4):
        runs.append(reg.create("code_run", {
            "run_date": f"2022-01-0{i}T00:00:00Z", "description": f"step {i}",
            "submission_script": script["url"],
            "inputs": [objs[i - 1]["components"][0]],
            "outputs": [objs[i]["components"][0]]},
            auth=auth if i == 3 else None))
    return dict(dps=dps, runs=runs, author=author)


def runs_in(doc):
    return {rid(k.replace("lreg:", "http://x/")) for k in doc.get("activity", {})}


def test_depth_follows_runs_back(reg, chain):
    dps, runs = chain["dps"], chain["runs"]
    want = [rid(r["url"]) for r in reversed(runs)]
    for depth in (1, 2, 3):
        doc = report(reg, dps[3], depth=depth).json()
        assert runs_in(doc) == set(want[:depth])
    doc = report(reg, dps[3], depth=1).json()
    assert f"lreg:api/data_product/{rid(dps[2]['url'])}" in doc["entity"]
    assert f"lreg:api/data_product/{rid(dps[1]['url'])}" not in doc["entity"]
    # the run's user has an author: that author started it
    started = list(doc["wasStartedBy"].values())
    author = f"lreg:api/author/{rid(chain['author']['url'])}"
    assert started[0]["prov:trigger"] == author
    assert doc["agent"][author] == {
        "rdf:type": {"$": "prov:Person", "type": "prov:QUALIFIED_NAME"},
        "foaf:name": "Runner", "fair:identifier": chain["author"]["identifier"]}


def test_deep_depth_answers_quickly(reg, chain):
    three = report(reg, chain["dps"][3], depth=3).json()
    t = time.monotonic()
    deep = report(reg, chain["dps"][3], depth=1000).json()
    assert time.monotonic() - t < 10
    assert deep == three
    for fmt in ("xml", "provn", "json-ld", "svg"):
        report(reg, chain["dps"][3], fmt, depth=1000)
    crate_run = crate(reg, "code-run", chain["runs"][2], depth=1000).json()
    ids = set(by_id(crate_run))
    for r in chain["runs"]:
        assert f"{reg.base}/api/code_run/{rid(r['url'])}" in ids


def test_a_cycle_does_not_loop(reg):
    u = uniq("")
    ns = reg.create("namespace", {"name": f"cycle{u}"})
    script = reg.create("object", {})
    a, b = reg.create("object", {}), reg.create("object", {})
    dpa = reg.create("data_product", {"object": a["url"], "namespace": ns["url"],
                                      "name": "cycle/a", "version": "1.0.0"})
    reg.create("data_product", {"object": b["url"], "namespace": ns["url"],
                                "name": "cycle/b", "version": "1.0.0"})
    for src, dst in ((a, b), (b, a)):
        reg.create("code_run", {
            "run_date": "2022-02-02T00:00:00Z", "description": "loop",
            "submission_script": script["url"],
            "inputs": [src["components"][0]],
            "outputs": [dst["components"][0]]})
    t = time.monotonic()
    doc = report(reg, dpa, depth=1000).json()
    assert time.monotonic() - t < 10
    assert len(doc["activity"]) == 2
    assert all(isinstance(v, dict) for v in doc["activity"].values())
    assert len(doc["wasDerivedFrom"]) == 2
    for fmt in ("xml", "provn", "json-ld", "svg"):
        report(reg, dpa, fmt, depth=1000)
    meta = crate(reg, "data-product", dpa, depth=1000).json()
    assert sum(e["@type"] == "CreateAction" for e in meta["@graph"]) == 2
