"""GET /api/openapi.json: an OpenAPI 3.1 document written from the resource
table. A maintained validator from npm (installed here under var/npm, as
make test installs Debian packages) must accept it; the answers of every
resource's list and detail, OPTIONS and the error shapes must match the
document's schemas for them (python3-jsonschema); and it must say what
OPTIONS says about every field and filter."""

import json
import os
import subprocess

import jsonschema
import pytest
import requests

VALIDATOR = "@seriousme/openapi-schema-validator"
VALIDATOR_VERSION = "2.11.0"


@pytest.fixture(scope="module")
def doc(base_url):
    r = requests.get(f"{base_url}/api/openapi.json")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    return r.json()


@pytest.fixture(scope="module")
def validator_cli(root_dir):
    """The validator's command, installed once into var/npm; a failure to
    install is a failure of the test, not a skip."""
    prefix = root_dir / "var" / "npm"
    pkg = prefix / "node_modules" / VALIDATOR
    installed = pkg / "package.json"
    if not installed.exists() or json.loads(
            installed.read_text())["version"] != VALIDATOR_VERSION:
        r = subprocess.run(
            ["npm", "install", "--prefix", str(prefix), "--no-audit",
             "--no-fund", "--no-save", f"{VALIDATOR}@{VALIDATOR_VERSION}"],
            capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, f"npm install failed: {r.stderr}"
    cli = pkg / "bin" / "validate-api-cli.js"
    assert cli.exists(), cli
    return ["node", str(cli)]


def validate_with_npm(cli, document, tmp_path):
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document))
    r = subprocess.run([*cli, str(path)], capture_output=True, text=True,
                       timeout=120)
    return r.returncode, r.stdout + r.stderr


def test_valid_openapi_3_1(doc, validator_cli, tmp_path):
    assert doc["openapi"].startswith("3.1")
    rc, out = validate_with_npm(validator_cli, doc, tmp_path)
    assert rc == 0 and '"valid": true' in out, out


def test_validator_refuses_a_broken_document(doc, validator_cli, tmp_path):
    """The validator can fail: a document without info is refused."""
    broken = {k: v for k, v in doc.items() if k != "info"}
    rc, out = validate_with_npm(validator_cli, broken, tmp_path)
    assert rc != 0, out


def schema_of(doc, schema):
    """A schema of the document that resolves its #/components refs."""
    return {**schema, "components": doc["components"]}


def check(doc, path, method, status, answer):
    op = doc["paths"][path][method]
    resp = op["responses"][str(status)]
    if "$ref" in resp:
        resp = doc["components"]["responses"][resp["$ref"].rsplit("/")[-1]]
    schema = resp["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator(schema_of(doc, schema)).validate(answer)


def load_example_data(var_dir, registry_bin):
    env = dict(os.environ)
    env.pop("REGISTRY_DATABASE_URL", None)
    for line in (var_dir / "env").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            env[key.strip()] = value.strip()
    r = subprocess.run([str(registry_bin), "example-data"], env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def ensure_user_author(base_url, auth):
    """The example has none; the admin user becomes an author."""
    if requests.get(f"{base_url}/api/user_author/").json()["count"]:
        return
    me = requests.get(f"{base_url}/api/users/", headers=auth,
                      params={"username": "admin"}).json()["results"][0]
    author = requests.post(f"{base_url}/api/author/", headers=auth,
                           json={"name": "OpenAPI test author"})
    assert author.status_code == 201, author.text
    r = requests.post(f"{base_url}/api/user_author/", headers=auth,
                      json={"user": me["url"], "author": author.json()["url"]})
    assert r.status_code == 201, r.text


def test_answers_match_the_schemas(doc, base_url, auth, var_dir,
                                   registry_bin):
    load_example_data(var_dir, registry_bin)
    ensure_user_author(base_url, auth)
    root = requests.get(f"{base_url}/api/").json()
    check(doc, "/api/", "get", 200, root)
    check(doc, "/api/username/", "get", 200,
          requests.get(f"{base_url}/api/username/", headers=auth).json())
    for name in root:
        path = f"/api/{name}/"
        assert path in doc["paths"], name
        # page_size where the document offers it (users and groups
        # take no more than cursor and format)
        offered = [p.get("$ref", "").rsplit("/")[-1]
                   for p in doc["paths"][path]["get"]["parameters"]]
        params = {"page_size": 3} if "page_size" in offered else {}
        page = requests.get(f"{base_url}{path}", headers=auth, params=params)
        assert page.status_code == 200, page.text
        check(doc, path, "get", 200, page.json())
        if not page.json()["results"]:
            # groups: the API cannot make one, and the example has none
            assert name == "groups", f"{name}: no example record"
            continue
        one = requests.get(page.json()["results"][0]["url"], headers=auth)
        check(doc, f"/api/{name}/{{id}}/", "get", 200, one.json())
        opts = requests.options(f"{base_url}{path}", headers=auth)
        check(doc, path, "options", 200, opts.json())
        if page.json()["next"]:
            nxt = requests.get(page.json()["next"], headers=auth)
            check(doc, path, "get", 200, nxt.json())
    # the error shapes
    check(doc, "/api/code_run/{id}/", "get", 404,
          requests.get(f"{base_url}/api/code_run/999999999/").json())
    check(doc, "/api/object/", "get", 400,
          requests.get(f"{base_url}/api/object/?file_type=x").json())
    check(doc, "/api/object/", "get", 400,
          requests.get(f"{base_url}/api/object/?nonsense=1").json())
    check(doc, "/api/author/", "post", 400,
          requests.post(f"{base_url}/api/author/", headers=auth,
                        json={}).json())
    check(doc, "/api/users/", "get", 403,
          requests.get(f"{base_url}/api/users/").json())
    bad = requests.get(f"{base_url}/api/object/",
                       params={"cursor": "nonsense"}).json()
    check(doc, "/api/object/", "get", 404, bad)


def test_a_wrong_answer_fails_the_check(doc, base_url):
    page = requests.get(f"{base_url}/api/object/").json()
    page["count"] = "many"
    with pytest.raises(jsonschema.ValidationError):
        check(doc, "/api/object/", "get", 200, page)


def test_says_what_options_says(doc, base_url, auth):
    """Every writable field with its bounds, every filter, every verb."""
    root = requests.get(f"{base_url}/api/").json()
    for name in root:
        path = f"/api/{name}/"
        opts = requests.options(f"{base_url}{path}", headers=auth).json()
        params = {p["name"] for p in doc["paths"][path]["get"]["parameters"]
                  if "name" in p}
        assert set(opts.get("filter_fields", [])) <= params, name
        allow = requests.head(f"{base_url}{path}").headers["Allow"]
        methods = {m.strip().lower() for m in allow.split(",")}
        assert methods == set(doc["paths"][path]), (name, allow)
        post = opts.get("actions", {}).get("POST")
        if not post:
            continue
        model = doc["paths"][path]["post"]["responses"]["201"]["content"][
            "application/json"]["schema"]["$ref"].rsplit("/")[-1]
        record = doc["components"]["schemas"][model]["properties"]
        write = doc["components"]["schemas"][model + "Write"]["properties"]
        required = set(doc["paths"][path]["post"]["requestBody"]["content"][
            "application/json"]["schema"]["required"])
        for field, meta in post.items():
            assert field in record, (name, field)
            if meta["read_only"]:
                assert field not in write, (name, field)
                assert record[field].get("readOnly"), (name, field)
                continue
            assert field in write, (name, field)
            assert write[field].get("maxLength") == meta.get("max_length"), \
                (name, field)
            if meta["required"] and "default" not in write[field]:
                assert field in required, (name, field)
            assert write[field].get("description"), (name, field)


def test_linked_from_the_website(base_url):
    home = requests.get(f"{base_url}/")
    assert home.status_code == 200
    assert 'href="/api/openapi.json"' in home.text
