"""Runs last (by name): every JSON answer the suite's GETs of /api/ got
(up to a few dozen of each path shape and status, tests/conftest.py) must
match the schema the OpenAPI document gives for that path, method and
status. A path or status the document does not describe is a failure too,
except for the endpoints whose answers are not JSON records (PROV, RO-Crate
and the data endpoints), which the document lists without a schema."""

import json

import jsonschema
import requests

UNSHAPED = ("/api/prov-report/", "/api/ro-crate/", "/api/data_extraction/",
            "/api/data/")


def template(doc, path):
    if path in doc["paths"]:
        return path
    parts = path.rstrip("/").rsplit("/", 1)
    if parts[1].isdigit() and parts[0] + "/{id}/" in doc["paths"]:
        return parts[0] + "/{id}/"
    return None


def schema_for(doc, path, status):
    op = doc["paths"][path]["get"]
    resp = op["responses"].get(str(status))
    if resp is None:
        return None
    if "$ref" in resp:
        resp = doc["components"]["responses"][resp["$ref"].rsplit("/")[-1]]
    schema = resp["content"]["application/json"].get("schema")
    return schema and {**schema, "components": doc["components"]}


def test_suite_answers_match_the_openapi_document(base_url,
                                                  suite_get_answers):
    doc = requests.get(f"{base_url}/api/openapi.json").json()
    # a few of our own, so that the test checks something when it runs
    # alone
    for path in ("/api/", "/api/object/", "/api/code_run/999999999/",
                 "/api/object/?file_type=x"):
        requests.get(f"{base_url}{path}")
    validators, problems, checked = {}, [], 0
    for path, status, text in list(suite_get_answers):
        if path.startswith(UNSHAPED):
            continue
        t = template(doc, path)
        if t is None:
            if status != 404:  # unknown resources answer 404 Not found
                problems.append(f"{path}: not in the document")
            continue
        key = (t, status)
        if key not in validators:
            schema = schema_for(doc, t, status)
            validators[key] = schema and \
                jsonschema.Draft202012Validator(schema)
        if not validators[key]:
            problems.append(f"GET {t} {status}: not in the document")
            continue
        for err in validators[key].iter_errors(json.loads(text)):
            problems.append(f"GET {path} {status}: {err.message}")
            break
        checked += 1
    assert checked >= 4
    assert not problems, "\n".join(sorted(set(problems))[:30])
