"""Adding a resource is one table entry and one migration: a copy of the
sources gets the fixture in tests/extra_resource/ (a "widget" with a name,
a bounded number and a link) the way docs/design.md tells a newcomer to
add one, is built (plain -O0, into the copy's own build directory) and
started as a registry of its own, and the widget is served everywhere: the
API root, list, detail, POST, OPTIONS, filters, the website's pages, the
browsable API, the OpenAPI document and `registry export`."""

import os
import shutil
import subprocess

import jsonschema
import pytest
import requests

FIXTURE = "tests/extra_resource"
COPIED = ["Makefile", "src", "include", "migrations", "nginx", "docs",
          "cgi-bin"]


def sync(src, dst):
    """Copies src over dst, writing only files that differ, so that make
    rebuilds only what changed since the last run."""
    if src.is_dir():
        dst.mkdir(parents=True, exist_ok=True)
        for child in src.iterdir():
            if child.suffix in (".o", ".d") or child.name == "registry":
                continue
            sync(child, dst / child.name)
        return
    data = src.read_bytes()
    dst.parent.mkdir(parents=True, exist_ok=True)
    if not dst.exists() or dst.read_bytes() != data:
        dst.write_bytes(data)
        shutil.copymode(src, dst)


def put(path, text):
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def add_widget(root, copy):
    """The newcomer's steps (docs/design.md, "Adding a resource")."""
    fixture = root / FIXTURE
    # 1. the fields and the paragraph, in a file of src/schema/
    put(copy / "src/schema/widget.c",
        (fixture / "widget_fields.c").read_text())
    # ... declared beside the others
    parts = (copy / "include/schema_parts.h").read_text()
    decl = ("extern const struct field widget_fields[];\n"
            "extern const char widget_doc[];\n")
    at = parts.rindex("#endif")
    put(copy / "include/schema_parts.h", parts[:at] + decl + "\n" + parts[at:])
    # 2. the entry at the end of the resource table
    table = (copy / "src/schema.c").read_text()
    start = table.index("const struct resource resources[] = {")
    end = table.index("\n};", start)
    put(copy / "src/schema.c", table[:end + 1] +
        (fixture / "widget_entry.inc").read_text() + table[end + 1:])
    # 3. the migration
    put(copy / "migrations/9000_widget.sql",
        (fixture / "9000_widget.sql").read_text())


@pytest.fixture(scope="module")
def widget_registry(root_dir, spare_ports):
    copy = root_dir / "var" / "extra-resource"
    for part in COPIED:
        if (root_dir / part).exists():
            sync(root_dir / part, copy / part)
    add_widget(root_dir, copy)
    build = subprocess.run(
        ["make", "-C", str(copy), "-j2", "cgi-bin/registry",
         "CFLAGS=-O0 -g -std=c11 -Wall -Wextra -Werror"],
        capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    state = copy / "var" / "instance"
    port = spare_ports[5]
    stack = str(copy / "src" / "stack.sh")
    subprocess.run(["bash", stack, "down", str(state)], capture_output=True)
    shutil.rmtree(state, ignore_errors=True)
    try:
        up = subprocess.run(["bash", stack, "up", str(state), str(port),
                             str(copy / "cgi-bin" / "registry")],
                            env={**os.environ, "STACK_FAST": "1"},
                            capture_output=True, text=True, timeout=300)
        assert up.returncode == 0, up.stdout + up.stderr
        token = (state / "token").read_text().strip()
        yield (f"http://127.0.0.1:{port}",
               {"Authorization": f"token {token}"}, state,
               copy / "cgi-bin" / "registry")
    finally:
        subprocess.run(["bash", stack, "down", str(state)],
                       capture_output=True, timeout=120)


def test_widget_is_served_everywhere(widget_registry, tmp_path):
    base, auth, state, binary = widget_registry
    api = f"{base}/api"

    # the API root
    root = requests.get(f"{api}/").json()
    assert root["widget"] == f"{api}/widget/"

    # POST, with a link to a shipped resource
    ft = requests.post(f"{api}/file_type/", headers=auth,
                       json={"name": "Widget file", "extension": "wdg"})
    assert ft.status_code == 201, ft.text
    made = []
    for name, size in (("sprocket", 3), ("gear_big", 700)):
        r = requests.post(f"{api}/widget/", headers=auth,
                          json={"name": name, "size": size,
                                "file_type": ft.json()["url"]})
        assert r.status_code == 201, r.text
        made.append(r.json())
    plain = requests.post(f"{api}/widget/", headers=auth,
                          json={"name": "plain"})
    assert plain.status_code == 201, plain.text
    w = made[0]
    assert list(w) == ["url", "last_updated", "name", "size", "updated_by",
                       "file_type"]
    assert w["file_type"] == ft.json()["url"]
    assert plain.json()["size"] == 0 and plain.json()["file_type"] is None

    # the table's rules: required, bounds, uniqueness, names
    bad = requests.post(f"{api}/widget/", headers=auth, json={"size": 2000})
    assert bad.status_code == 400
    assert bad.json()["name"] == ["This field is required."]
    assert "size" in bad.json()
    again = requests.post(f"{api}/widget/", headers=auth,
                          json={"name": "sprocket"})
    assert again.status_code == 409
    assert again.json() == {"detail": "Field name must be unique"}
    glob = requests.post(f"{api}/widget/", headers=auth,
                         json={"name": "a*b"})
    assert glob.status_code == 400 and "name" in glob.json()
    assert requests.post(f"{api}/widget/", json={"name": "x"}) \
        .status_code == 403

    # list and detail
    page = requests.get(f"{api}/widget/").json()
    assert page["count"] == 3 and page["next"] is None
    assert [r["name"] for r in page["results"]] == \
        ["plain", "gear_big", "sprocket"]
    assert requests.get(w["url"]).json() == w
    assert requests.get(f"{api}/widget/999/").json() == \
        {"detail": "No Widget matches the given query."}

    # filters: glob on the name, an id on the link, exact on the number
    def names(**params):
        r = requests.get(f"{api}/widget/", params=params)
        assert r.status_code == 200, r.text
        return sorted(x["name"] for x in r.json()["results"])
    assert names(name="s*") == ["sprocket"]
    assert names(name="*_*") == ["gear_big"]
    ft_id = ft.json()["url"].rstrip("/").rsplit("/", 1)[1]
    assert names(file_type=ft_id) == ["gear_big", "sprocket"]
    assert names(size="700") == ["gear_big"]
    by_size = requests.get(f"{api}/widget/", params={"ordering": "size"})
    assert [x["name"] for x in by_size.json()["results"]] == \
        ["plain", "sprocket", "gear_big"]
    r = requests.get(f"{api}/widget/", params={"colour": "red"})
    assert r.status_code == 400 and "size, file_type" in r.json()["detail"]

    # OPTIONS: the fields, their bounds and help, the filters
    meta = requests.options(f"{api}/widget/", headers=auth).json()
    assert meta["name"] == "Widget List"
    assert meta["filter_fields"] == ["updated_by", "last_updated", "name",
                                     "size", "file_type"]
    post = meta["actions"]["POST"]
    assert post["name"]["required"] and post["name"]["max_length"] == 200
    assert post["size"]["max_value"] == 1000
    assert post["file_type"]["type"] == "field"
    assert meta["description"].startswith(
        "A test gadget that exists only in a test.")
    assert "- `size` (a whole number from 0 to 1000; optional, default 0): " \
        "How big the widget is." in meta["description"]

    # the browsable API
    html = requests.get(f"{api}/widget/?format=api").text
    assert "<h1>Widget List</h1>" in html
    assert "How big the widget is." in html
    assert "sprocket" in html

    # the website: the home page's list of kinds, a list, a record page
    home = requests.get(f"{base}/").text
    assert 'href="/widgets/"' in home
    listing = requests.get(f"{base}/widgets/")
    assert listing.status_code == 200
    assert "sprocket" in listing.text and "How big the widget is." in \
        listing.text
    assert "<th>Size</th>" in listing.text
    wid = w["url"].rstrip("/").rsplit("/", 1)[1]
    record = requests.get(f"{base}/widget/{wid}")
    assert record.status_code == 200 and "sprocket" in record.text
    assert "/file_type/" in record.text

    # OpenAPI: the paths, the schema, the filters; the answers match it
    doc = requests.get(f"{api}/openapi.json").json()
    assert set(doc["paths"]["/api/widget/"]) == {"get", "head", "post",
                                                 "options"}
    schema = doc["components"]["schemas"]["Widget"]
    assert schema["properties"]["name"]["maxLength"] == 200
    assert schema["properties"]["size"]["maximum"] == 1000
    assert schema["properties"]["file_type"]["type"] == ["string", "null"]
    params = {p.get("name") for p in
              doc["paths"]["/api/widget/"]["get"]["parameters"]}
    assert {"name", "size", "file_type"} <= params
    for path, answer in (("/api/widget/", page),
                         ("/api/widget/{id}/", w)):
        s = doc["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]
        jsonschema.Draft202012Validator(
            {**s, "components": doc["components"]}).validate(answer)

    # registry export writes it with the others
    env = dict(os.environ)
    env.pop("REGISTRY_DATABASE_URL", None)
    for line in (state / "env").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            env[key.strip()] = value.strip()
    out = tmp_path / "export"
    r = subprocess.run([str(binary), "export", str(out)], env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert (out / "widget.jsonl").read_text().count("\n") == 3
