"""Lengths the database can hold (issue 14, item 3): every writable text
field has a maximum, shown in OPTIONS as the reference's models.py has it;
longer values, and values whose UTF-8 bytes would not fit the B-tree index
of their column, are 400 field errors, never 500s."""

import random

import pytest
import requests

from test_api_common import api, uniq  # noqa: F401

MIB = 1048576

# max_length of every writable text field, as the reference's models.py
# gives it (CHAR_FIELD_LENGTH 1024, TEXT_FIELD_LENGTH 1 MiB, PATH 8 KiB,
# URLField 200); licence_info has none there and 1 MiB here.
REFERENCE = {
    "file_type": {"name": 1024, "extension": 1024},
    "issue": {"description": MIB},
    "author": {"name": 1024, "identifier": MIB},
    "object": {"description": MIB},
    "object_component": {"name": 1024, "description": MIB},
    "code_run": {"description": 1024},
    "storage_root": {"root": 1024},
    "storage_location": {"path": 8192, "hash": 1024},
    "namespace": {"name": 1024, "full_name": 1024, "website": 200},
    "data_product": {"name": 1024, "version": 1024},
    "external_object": {"identifier": MIB, "alternate_identifier": 1024,
                        "alternate_identifier_type": 1024, "title": 1024,
                        "description": MIB},
    "keyword": {"keyphrase": 1024, "identifier": MIB},
    "licence": {"licence_info": MIB, "identifier": MIB},
    "code_repo_release": {"name": 1024, "version": 1024, "website": 200},
    "key_value": {"key": 1024, "value": 1024},
}


@pytest.mark.parametrize("resource", sorted(REFERENCE))
def test_options_max_length_as_reference(api, resource):
    r = api.options(resource)
    assert r.status_code == 200
    post = r.json()["actions"]["POST"]
    text = {k: v for k, v in post.items()
            if v["type"] in ("string", "url") and not v["read_only"]
            and k != "uuid"}
    got = {k: v.get("max_length") for k, v in text.items()}
    assert got == REFERENCE[resource]


def test_megabyte_author_identifier(api):
    ident = "https://example.org/" + uniq() + "/" + "a" * (MIB - 60)
    r = api.post("author", {"identifier": ident})
    assert r.status_code == 201, r.text[:300]
    # the same again is a clash, not an index failure
    r = api.post("author", {"identifier": ident})
    assert r.status_code == 409, r.text[:300]
    assert r.json() == {"detail": "Field identifier must be unique"}
    r = api.post("author", {"identifier": ident + "a" * 100})
    assert r.status_code == 400, r.text[:300]
    assert r.json() == {"identifier": [
        f"Ensure this field has no more than {MIB} characters."]}


def test_long_identifiers_are_unique_still(api):
    for resource, extra in (("keyword", {"keyphrase": "k"}),
                            ("licence", {"licence_info": "l"})):
        ident = "https://example.org/" + uniq() + "x" * 100000
        obj = api.object()["url"]
        body = {"object": obj, "identifier": ident, **extra}
        assert api.post(resource, body).status_code == 201
        body["object"] = api.object()["url"]
        r = api.post(resource, body)
        assert r.status_code == 409, r.text[:300]


def incompressible(n):
    """n characters of four UTF-8 bytes each, in no pattern."""
    rng = random.Random()
    return "".join(chr(rng.randrange(0x10000, 0x10FFFF))
                   for _ in range(n))


def test_name_that_fits_characters_but_not_the_index(api):
    name = incompressible(1000)
    r = api.post("namespace", {"name": name})
    assert r.status_code == 400, r.text[:300]
    assert r.json() == {"name": [
        "Ensure this field has no more than 2600 bytes in UTF-8."]}
    r = api.post("data_product", {"name": incompressible(400),
                                  "version": "0.1.0",
                                  "object": api.object()["url"],
                                  "namespace": api.namespace()["url"]})
    assert r.status_code == 400, r.text[:300]
    assert r.json() == {"name": [
        "Ensure this field has no more than 1300 bytes in UTF-8."]}
    # 600 such characters (2400 bytes) fit
    r = api.post("namespace", {"name": incompressible(600)})
    assert r.status_code == 201, r.text[:300]


def test_longest_ascii_values_fit(api):
    ns = api.namespace(name=uniq() + "n" * 1000)
    dp = api.data_product(name=uniq() + "d" * 1000,
                          version="1.0.0-" + "a" * 1000, ns=ns)
    r = api.post("external_object", {
        "data_product": dp["url"], "release_date": "2024-01-01T00:00:00Z",
        "title": "t" * 1024,
        "identifier": "https://example.org/" + "i" * 200000,
        "alternate_identifier": "a" * 1024,
        "alternate_identifier_type": "b" * 1024})
    assert r.status_code == 201, r.text[:300]
    r = api.post("file_type", {"name": uniq() + "f" * 1000,
                               "extension": "e" * 1024})
    assert r.status_code == 201, r.text[:300]


@pytest.mark.parametrize("resource,field", [
    (res, f) for res, fields in sorted(REFERENCE.items())
    for f, n in fields.items() if n == 1024])
def test_one_character_too_many(api, resource, field):
    r = requests.post(api._to(resource), json={field: "x" * 1025},
                      headers=api.auth)
    assert r.status_code == 400, r.text[:300]
    assert "Ensure this field has no more than 1024 characters." in \
        r.json().get(field, []), r.text[:300]
