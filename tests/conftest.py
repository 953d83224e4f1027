"""Shared fixtures for the tests: where the running test instance is and how
to talk to it. `make test` starts the instance and sets the REGISTRY_*
variables; the HTTP tests skip when they are not set."""

import os
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("REGISTRY_ROOT") or Path(__file__).resolve().parent.parent)


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.skip(f"{name} is not set: run the tests with `make test`, "
                    "which starts a test registry and sets it")
    return value


@pytest.fixture(scope="session")
def base_url():
    """The instance's root, e.g. http://127.0.0.1:8100 (no trailing slash)."""
    return _env("REGISTRY_URL").rstrip("/")


@pytest.fixture(scope="session")
def token(base_url):
    """The admin user's API token."""
    return _env("REGISTRY_TOKEN").strip()


@pytest.fixture(scope="session")
def auth(token):
    """Headers that authenticate as admin."""
    return {"Authorization": f"token {token}"}


@pytest.fixture(scope="session")
def var_dir(base_url):
    """The instance's state directory (env, token, log/, run/, pg/)."""
    return Path(_env("REGISTRY_VAR"))


@pytest.fixture(scope="session")
def registry_bin(base_url):
    """The registry binary the instance runs (the sanitizer build)."""
    return Path(_env("REGISTRY_BIN"))


@pytest.fixture(scope="session")
def root_dir():
    """The repository's top directory."""
    return ROOT


@pytest.fixture(scope="session")
def spare_ports(base_url):
    """Ten loopback ports of the test run's own, for servers a test starts
    itself (Apache, PgBouncer, a second pool...): TEST_PORT+1 to +10, so
    runs with different TEST_PORTs (make test TEST_PORT=8200) never meet."""
    first = int(_env("REGISTRY_TEST_PORT")) + 1
    return list(range(first, first + 10))


# ---- the suite's GET answers, for tests/test_zz_openapi_answers.py ----

# (path, status, body text) of JSON answers to GETs of the test instance
# under /api/, at most ANSWERS_PER_SHAPE for each path shape and status, so
# that the last test can check them against the OpenAPI document.
GET_ANSWERS = []
ANSWERS_PER_SHAPE = 25
_shapes = {}


def _api_shape(path):
    import re
    if re.fullmatch(r"/api/[a-z_]+/\d+/", path):
        return re.sub(r"\d+/$", "{id}/", path)
    return path


def _record(response):
    from urllib.parse import urlsplit
    base = os.environ.get("REGISTRY_URL", "").rstrip("/")
    req = response.request
    if not base or req.method != "GET" or not req.url.startswith(base + "/"):
        return
    if not response.headers.get("Content-Type", "").startswith(
            "application/json"):
        return
    path = urlsplit(req.url).path
    if not path.startswith("/api/") or len(response.content) > (1 << 20):
        return
    key = (_api_shape(path), response.status_code)
    if _shapes.get(key, 0) >= ANSWERS_PER_SHAPE:
        return
    _shapes[key] = _shapes.get(key, 0) + 1
    GET_ANSWERS.append((path, response.status_code, response.text))


def pytest_configure(config):
    import requests
    send = requests.Session.send

    def recording_send(self, request, **kwargs):
        response = send(self, request, **kwargs)
        if not kwargs.get("stream"):
            _record(response)
        return response

    requests.Session.send = recording_send


@pytest.fixture(scope="session")
def suite_get_answers():
    """The JSON answers to the suite's GETs so far (see _record)."""
    return GET_ANSWERS
