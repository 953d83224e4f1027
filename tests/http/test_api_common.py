"""Shared helpers for the test_api_* files (this module holds no tests):
a small client for the registry under test and factories that create one
valid record of each resource with unique values, so that tests never
depend on what other tests (or earlier runs) left in the database."""

import os
import subprocess
import uuid

import pytest
import requests


def uniq(prefix="t"):
    """A value no other test uses."""
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def rid(url):
    """The id at the end of a record's URL."""
    return int(url.rstrip("/").split("/")[-1])


# Key order of every record, as the reference's serializers give it.
KEYS = {
    "users": ["url", "username", "full_name", "email", "orgs"],
    "groups": ["url", "name"],
    "file_type": ["url", "last_updated", "name", "extension", "updated_by"],
    "issue": ["url", "uuid", "last_updated", "severity", "description",
              "updated_by", "component_issues"],
    "author": ["url", "uuid", "last_updated", "name", "identifier",
               "updated_by"],
    "object": ["url", "uuid", "last_updated", "description", "updated_by",
               "storage_location", "file_type", "authors", "components",
               "data_products", "code_repo_release", "quality_control",
               "licences", "keywords"],
    "user_author": ["url", "last_updated", "updated_by", "user", "author"],
    "object_component": ["url", "last_updated", "name", "description",
                         "whole_object", "updated_by", "object", "issues",
                         "inputs_of", "outputs_of"],
    "code_run": ["url", "ro_crate", "uuid", "last_updated", "run_date",
                 "description", "updated_by", "code_repo", "model_config",
                 "submission_script", "inputs", "outputs"],
    "storage_root": ["url", "last_updated", "root", "local", "updated_by",
                     "locations"],
    "storage_location": ["url", "last_updated", "path", "hash", "public",
                         "updated_by", "storage_root"],
    "namespace": ["url", "last_updated", "name", "full_name", "website",
                  "updated_by"],
    "data_product": ["url", "internal_format", "prov_report", "ro_crate",
                     "last_updated", "name", "version", "updated_by",
                     "object", "namespace", "external_object"],
    "external_object": ["url", "last_updated", "identifier",
                        "alternate_identifier", "alternate_identifier_type",
                        "primary_not_supplement", "release_date", "title",
                        "description", "version", "updated_by",
                        "data_product", "original_store"],
    "quality_controlled": ["url", "last_updated", "updated_by", "object",
                           "document"],
    "keyword": ["url", "last_updated", "keyphrase", "identifier",
                "updated_by", "object"],
    "licence": ["url", "last_updated", "licence_info", "identifier",
                "updated_by", "object"],
    "code_repo_release": ["url", "last_updated", "name", "version", "website",
                          "updated_by", "object"],
    "key_value": ["url", "last_updated", "key", "value", "updated_by",
                  "object"],
}

# The allowed query arguments (and OPTIONS filter_fields) per resource.
QUERY_ARGS = {
    "file_type": "object, updated_by, last_updated, name, extension",
    "issue": "component_issues, updated_by, last_updated, severity, "
             "description, uuid",
    "author": "object, userauthor, updated_by, last_updated, name, "
              "identifier, uuid",
    "object": "components, code_repo_of, config_of, submission_script_of, "
              "data_products, quality_control, quality_control_document, "
              "keywords, licences, code_repo_release, metadata, updated_by, "
              "last_updated, storage_location, description, file_type, uuid, "
              "authors",
    "user_author": "updated_by, last_updated, user, author",
    "object_component": "inputs_of, outputs_of, updated_by, last_updated, "
                        "object, name, description, whole_object, issues",
    "code_run": "updated_by, last_updated, code_repo, model_config, "
                "submission_script, run_date, description, uuid, inputs, "
                "outputs",
    "storage_root": "locations, updated_by, last_updated, root, local",
    "storage_location": "location_for_object, original_store_of, updated_by, "
                        "last_updated, path, hash, public, storage_root",
    "namespace": "data_products, updated_by, last_updated, name, full_name, "
                 "website",
    "data_product": "external_object, updated_by, last_updated, object, "
                    "namespace, name, version",
    "external_object": "updated_by, last_updated, data_product, identifier, "
                       "alternate_identifier, alternate_identifier_type, "
                       "primary_not_supplement, release_date, title, "
                       "description, version, original_store",
    "quality_controlled": "updated_by, last_updated, object, document",
    "keyword": "updated_by, last_updated, object, keyphrase, identifier",
    "licence": "updated_by, last_updated, object, licence_info, identifier",
    "code_repo_release": "updated_by, last_updated, object, name, version, "
                         "website",
    "key_value": "updated_by, last_updated, object, key, value",
}

RESOURCES = list(QUERY_ARGS)


class Api:
    """The registry under test, spoken to as its clients do."""

    def __init__(self, base, token, registry_bin=None, var_dir=None):
        self.base = base
        self.token = token
        self.auth = {"Authorization": f"token {token}"}
        self.registry_bin = registry_bin
        self.var_dir = var_dir

    def url(self, resource, id=None):
        if id is None:
            return f"{self.base}/api/{resource}/"
        return f"{self.base}/api/{resource}/{id}/"

    def _to(self, where):
        return where if where.startswith("http") else self.url(where)

    def get(self, where, params=None, auth=False, **kw):
        headers = dict(self.auth) if auth else {}
        headers.update(kw.pop("headers", {}))
        return requests.get(self._to(where), params=params, headers=headers,
                            **kw)

    def post(self, where, body, auth=True, **kw):
        headers = dict(self.auth) if auth else {}
        headers.update(kw.pop("headers", {}))
        return requests.post(self._to(where), json=body, headers=headers,
                             **kw)

    def send(self, method, where, auth=True, **kw):
        headers = dict(self.auth) if auth else {}
        headers.update(kw.pop("headers", {}))
        return requests.request(method, self._to(where), headers=headers,
                                **kw)

    def options(self, where, auth=True):
        return self.send("OPTIONS", where, auth=auth)

    def create(self, resource, body):
        r = self.post(resource, body)
        assert r.status_code == 201, (resource, body, r.status_code, r.text)
        return r.json()

    def results(self, resource, params=None, auth=False):
        r = self.get(resource, params=params, auth=auth)
        assert r.status_code == 200, r.text
        return r.json()["results"]

    def record(self, url):
        r = requests.get(url)
        assert r.status_code == 200, r.text
        return r.json()

    # ---- factories: one valid record each, unique values -------------

    def storage_root(self, **kw):
        return self.create("storage_root",
                           {"root": f"file:///tmp/{uniq()}/", **kw})

    def storage_location(self, root=None, **kw):
        root = root or self.storage_root()
        return self.create("storage_location", {
            "path": f"data/{uniq()}.csv", "hash": uuid.uuid4().hex,
            "storage_root": root["url"], **kw})

    def file_type(self, **kw):
        return self.create("file_type",
                           {"name": uniq("type "), "extension": "csv", **kw})

    def author(self, **kw):
        body = {"name": uniq("Author ")}
        body.update(kw)
        return self.create("author", body)

    def object(self, **kw):
        return self.create("object", {"description": uniq("object "), **kw})

    def component(self, obj=None, **kw):
        obj = obj or self.object()
        return self.create("object_component",
                           {"object": obj["url"], "name": uniq("part"), **kw})

    def whole(self, obj):
        """The whole_object component of an object."""
        return self.record(obj["components"][0])

    def namespace(self, **kw):
        return self.create("namespace", {"name": uniq("ns"), **kw})

    def data_product(self, obj=None, ns=None, **kw):
        obj = obj or self.object()
        ns = ns or self.namespace()
        return self.create("data_product", {
            "object": obj["url"], "namespace": ns["url"],
            "name": uniq("model/"), "version": "1.0.0", **kw})

    def code_run(self, script=None, **kw):
        script = script or self.object()
        return self.create("code_run", {
            "run_date": "2024-02-09T15:35:42.655339Z",
            "description": uniq("run "),
            "submission_script": script["url"], **kw})

    def issue(self, **kw):
        return self.create("issue", {"description": uniq("issue "), **kw})

    def external_object(self, dp=None, **kw):
        dp = dp or self.data_product()
        return self.create("external_object", {
            "data_product": dp["url"],
            "identifier": f"https://doi.org/10.1000/{uniq()}",
            "release_date": "2020-01-01T00:00:00Z", "title": uniq("t "),
            **kw})

    def user_id(self):
        r = self.get("users", params={"username": "admin"}, auth=True)
        assert r.status_code == 200, r.text
        return rid(r.json()["results"][0]["url"])

    def new_user(self):
        """A fresh user made with the registry's own command, and its
        token: (user URL, token)."""
        env = dict(os.environ)
        for line in (self.var_dir / "env").read_text().splitlines():
            key, _, value = line.partition("=")
            env[key] = value
        name = uniq("user")
        for cmd in (["user", name], ["token", name]):
            run = subprocess.run([str(self.registry_bin), *cmd], env=env,
                                 capture_output=True, text=True, timeout=60)
            assert run.returncode == 0, run.stderr
        key = run.stdout.strip()
        who = self.get("users", params={"username": name}, auth=True)
        return who.json()["results"][0]["url"], key

    def user_author(self):
        user, _ = self.new_user()
        return self.create("user_author", {"user": user,
                                           "author": self.author()["url"]})

    def make(self, resource):
        """One new record of any resource."""
        if resource in ("storage_root", "storage_location", "file_type",
                        "author", "object", "namespace", "data_product",
                        "code_run", "issue", "external_object",
                        "user_author"):
            return getattr(self, resource)()
        if resource == "object_component":
            return self.component()
        obj = self.object()
        bodies = {
            "quality_controlled": {"object": obj["url"],
                                   "document": self.object()["url"]},
            "keyword": {"object": obj["url"], "keyphrase": uniq("kw ")},
            "licence": {"object": obj["url"], "licence_info": "CC-BY 4.0"},
            "code_repo_release": {"object": obj["url"], "name": uniq("code"),
                                  "version": "0.1.0"},
            "key_value": {"object": obj["url"], "key": uniq("k"),
                          "value": "v"},
        }
        return self.create(resource, bodies[resource])


@pytest.fixture(scope="session")
def api(base_url, token, registry_bin, var_dir):
    return Api(base_url, token, registry_bin, var_dir)
