"""shape.py - the synthetic registry `make bench` measures, as data.

Both loaders read it: load.py POSTs these records through the API (the 1x
registry) and copy_load.py writes the same records with SQL COPY (the 100x
registry of BENCH_SCALE). Everything is derived from the run number, so two
loads of the same size hold the same content (ids may differ when the API
loader runs chains in parallel).

A record is (key, resource, fields). A field's value may be a Ref (the record
with that key, created earlier) or a list of Refs; the loader turns a Ref into
a hyperlink or an id. Keys are unique across the whole registry.

One code run has the shape the issue asks for, roughly the reference's
benchmark registry per run (8 objects, 5 data products, 21 components):
  - a code repo (with a code repo release and a licence), a model config and
    a submission script: three objects with storage locations;
  - two input objects, each a data product with two named components;
  - three output objects, each a data product with three named components,
    a keyword and a key value;
  - one issue on an input and an output component;
  - the code run itself, reading the inputs' components and, except at the
    start of a chain, a component of the previous run's first output: runs
    form chains of CHAIN runs, so provenance goes up to CHAIN runs deep.
"""

import datetime
import hashlib
import uuid

CHAIN = 10
NAMESPACES = 10
AUTHORS = 5
FILE_TYPES = [("comma-separated values", "csv"), ("TOML", "toml"),
              ("shell script", "sh"), ("zip archive", "zip"),
              ("HDF5", "h5")]
UUID_NS = uuid.UUID("5a1b2c3d-0000-4000-8000-000000000001")
EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


class Ref:
    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key


def sha1(text):
    return hashlib.sha1(text.encode()).hexdigest()


def det_uuid(key):
    return str(uuid.uuid5(UUID_NS, key))


def shared():
    """Records every run refers to, created once before the runs."""
    out = [("root", "storage_root", {"root": "https://data.bench.example/"})]
    for name, ext in FILE_TYPES:
        out.append((f"ft/{ext}", "file_type",
                    {"name": name, "extension": ext}))
    for k in range(AUTHORS):
        out.append((f"author/{k}", "author", {
            "name": f"Bench Author {k}",
            "identifier": f"https://orcid.org/0000-0000-0000-{k:04d}"}))
    for k in range(NAMESPACES):
        out.append((f"ns/{k}", "namespace", {
            "name": f"bench-ns{k}", "full_name": f"Bench namespace {k}",
            "website": f"https://bench.example/ns{k}"}))
    return out


def run_date(i):
    """One run a minute."""
    t = EPOCH + datetime.timedelta(minutes=i)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def dp_name(i, role):
    return f"model/run-{i:06d}/{role}"


def run(i):
    """The records of code run i, in an order that creates every record
    before a record that refers to it."""
    out = []
    tag = f"run-{i:06d}"
    author = Ref(f"author/{i % AUTHORS}")
    ns = Ref(f"ns/{i % NAMESPACES}")

    def obj(role, path, ext, description):
        k = f"{i}/{role}"
        out.append((f"{k}/loc", "storage_location", {
            "path": path, "hash": sha1(f"{tag}/{role}"), "public": True,
            "storage_root": Ref("root")}))
        out.append((k, "object", {
            "uuid": det_uuid(k), "description": description,
            "storage_location": Ref(f"{k}/loc"),
            "file_type": Ref(f"ft/{ext}"), "authors": [author]}))
        return k

    def product(role, ncomp, ext):
        k = obj(role, f"data/{tag}/{role}.{ext}", ext,
                f"{role} of {tag}")
        out.append((f"{k}/dp", "data_product", {
            "object": Ref(k), "namespace": ns, "name": dp_name(i, role),
            "version": "1.0.0"}))
        comps = []
        for c in range(1, ncomp + 1):
            ck = f"{k}/c{c}"
            out.append((ck, "object_component", {
                "object": Ref(k), "name": f"part-{c}",
                "description": f"part {c} of {role}"}))
            comps.append(Ref(ck))
        return k, comps

    code = obj("code", f"code/{tag}.zip", "zip", f"code of {tag}")
    out.append((f"{code}/release", "code_repo_release", {
        "object": Ref(code), "name": f"model-{tag}", "version": "1.0.0",
        "website": "https://github.com/bench/model"}))
    out.append((f"{code}/licence", "licence", {
        "object": Ref(code), "licence_info": "MIT",
        "identifier": f"https://spdx.org/licenses/MIT.html#{tag}"}))
    config = obj("config", f"config/{tag}.toml", "toml",
                 f"config of {tag}")
    script = obj("script", f"script/{tag}.sh", "sh", f"script of {tag}")

    inputs = []
    for role in ("input-a", "input-b"):
        inputs += product(role, 2, "csv")[1]
    if i % CHAIN:
        inputs.append(Ref(f"{i - 1}/output-x/c1"))
    outputs = []
    for role in ("output-x", "output-y", "output-z"):
        k, comps = product(role, 3, "h5")
        outputs += comps
        out.append((f"{k}/kw", "keyword",
                    {"object": Ref(k), "keyphrase": "simulation"}))
        out.append((f"{k}/kv", "key_value", {
            "object": Ref(k), "key": "accessibility", "value": "public"}))
    out.append((f"{i}/issue", "issue", {
        "severity": i % 5, "description": f"check the inputs of {tag}",
        "component_issues": [inputs[0], outputs[0]]}))
    out.append((f"{i}/run", "code_run", {
        "uuid": det_uuid(f"{i}/run"), "run_date": run_date(i),
        "description": f"bench {tag}", "code_repo": Ref(code),
        "model_config": Ref(config), "submission_script": Ref(script),
        "inputs": inputs, "outputs": outputs}))
    return out
