"""Data access (API.md section 8): the aliases /data_product/<ns>:<name>@<version>
and /external_object/<alternate_identifier>:<title>@<version>, and the object
store that replaces the reference's S3 bucket: POST /api/data/<sha1> for a
signed upload URL, one PUT of the file there, GET /data/<sha1> to fetch it.
Files are sent and received by nginx; the tests check the bytes, the status
codes, the signature's expiry and tampering, bad paths, concurrent and
interrupted uploads, and that a worker's memory stays small for big files.
"""

import hashlib
import hmac
import os
import socket
import subprocess
import threading
import time
import urllib.parse
import uuid

import pytest
import requests


def sha1(data):
    return hashlib.sha1(data).hexdigest()


def unique():
    return uuid.uuid4().hex[:12]


def env_of(var_dir):
    env = {}
    for line in (var_dir / "env").read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


@pytest.fixture(scope="module")
def data_dir(var_dir):
    return env_of(var_dir)["REGISTRY_DATA_DIR"]


def stored_path(data_dir, checksum):
    return os.path.join(data_dir, "objects", checksum[:2], checksum)


def psql(var_dir, sql):
    env = dict(os.environ, **env_of(var_dir))
    out = subprocess.run(["psql", "-X", "-At", "-c", sql], env=env,
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def post(base_url, auth, resource, body):
    r = requests.post(f"{base_url}/api/{resource}/", json=body, headers=auth)
    assert r.status_code == 201, r.text
    return r.json()["url"]


def upload_url(base_url, auth, checksum):
    r = requests.post(f"{base_url}/api/data/{checksum}", headers=auth)
    assert r.status_code == 200, r.text
    return r.json()["url"]


def upload(base_url, auth, data):
    checksum = sha1(data)
    r = requests.put(upload_url(base_url, auth, checksum), data=data)
    assert r.status_code == 201, r.text
    return checksum


def data_root_url(base_url, var_dir):
    root_id = psql(var_dir, "SELECT data_root_id FROM object_store")
    assert root_id, "no storage root registered for the object store"
    return f"{base_url}/api/storage_root/{root_id}/"


def register(base_url, auth, var_dir, checksum, extension=None,
             private=False):
    """A storage location and object for an uploaded file, as the data
    upload guide describes."""
    location = post(base_url, auth, "storage_location",
                    {"path": checksum, "hash": checksum,
                     "storage_root": data_root_url(base_url, var_dir)})
    body = {"description": "uploaded", "storage_location": location}
    if extension:
        body["file_type"] = post(base_url, auth, "file_type",
                                 {"name": f"type {unique()}",
                                  "extension": extension})
    obj = post(base_url, auth, "object", body)
    if private:
        post(base_url, auth, "key_value",
             {"key": "accessibility", "value": "private", "object": obj})
    return obj


def leftovers(data_dir):
    return os.listdir(os.path.join(data_dir, "incoming"))


def wait_until(predicate, seconds=10):
    end = time.time() + seconds
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


# ---- upload URLs: POST /api/data ----

def test_upload_url_needs_a_token(base_url):
    checksum = sha1(os.urandom(16))
    r = requests.post(f"{base_url}/api/data/{checksum}")
    assert r.status_code == 403
    assert r.json() == {
        "detail": "Authentication credentials were not provided."}
    r = requests.post(f"{base_url}/api/data/{checksum}",
                      headers={"Authorization": "token nope"})
    assert r.status_code == 403


def test_upload_url_from_path_json_or_form(base_url, auth):
    checksum = sha1(os.urandom(16))
    for r in [requests.post(f"{base_url}/api/data/{checksum}", headers=auth),
              requests.post(f"{base_url}/api/data/{checksum.upper()}",
                            headers=auth),
              requests.post(f"{base_url}/api/data", headers=auth,
                            json={"checksum": checksum}),
              requests.post(f"{base_url}/api/data", headers=auth,
                            data={"checksum": checksum})]:
        assert r.status_code == 200, r.text
        assert list(r.json()) == ["url"]
        url = urllib.parse.urlsplit(r.json()["url"])
        assert f"{url.scheme}://{url.netloc}" == base_url
        assert url.path == f"/data/upload/{checksum}"
        query = urllib.parse.parse_qs(url.query)
        assert sorted(query) == ["expires", "signature"]
        assert 0 < int(query["expires"][0]) - time.time() <= 7 * 86400


def test_upload_url_bad_requests(base_url, auth):
    r = requests.post(f"{base_url}/api/data", headers=auth)
    assert r.status_code == 400
    assert r.json() == {"checksum": ["This field is required."]}
    r = requests.post(f"{base_url}/api/data", headers=auth, json={"x": 1})
    assert r.status_code == 400
    for bad in ["abc", "g" * 40, "a" * 41]:
        r = requests.post(f"{base_url}/api/data/{bad}", headers=auth)
        assert r.status_code == 400, bad
        assert "checksum" in r.json()
    # one path segment, as the reference's <str:checksum>
    assert requests.post(f"{base_url}/api/data/", headers=auth
                         ).status_code == 404
    assert requests.post(f"{base_url}/api/data/{'a' * 40}/x", headers=auth
                         ).status_code == 404
    r = requests.get(f"{base_url}/api/data/{'a' * 40}", headers=auth)
    assert r.status_code == 405
    assert r.json() == {"detail": 'Method "GET" not allowed.'}


def test_storage_root_for_the_store_is_registered(base_url, auth, var_dir):
    upload_url(base_url, auth, sha1(os.urandom(16)))
    r = requests.get(data_root_url(base_url, var_dir))
    assert r.status_code == 200
    assert r.json()["root"].endswith("/data/")
    assert r.json()["local"] is False


# ---- uploads and downloads ----

def test_upload_then_download_byte_identical(base_url, auth, var_dir,
                                             data_dir):
    data = os.urandom(1 << 20) + b"\x00\r\n end"
    checksum = sha1(data)
    url = upload_url(base_url, auth, checksum)
    r = requests.put(url, data=data)
    assert r.status_code == 201, r.text
    with open(stored_path(data_dir, checksum), "rb") as f:
        assert f.read() == data
    # the same file again: 409, as the reference's guide says
    r = requests.post(f"{base_url}/api/data/{checksum}", headers=auth)
    assert r.status_code == 409
    # downloadable once an object points at it, as in the reference
    assert requests.get(f"{base_url}/data/{checksum}").status_code == 404
    register(base_url, auth, var_dir, checksum, extension="bin")
    r = requests.get(f"{base_url}/data/{checksum}")
    assert r.status_code == 200
    assert r.content == data
    assert r.headers["Content-Disposition"] == \
        f'attachment; filename="{checksum}.bin"'
    r = requests.head(f"{base_url}/data/{checksum}")
    assert r.status_code == 200
    assert r.headers["Content-Length"] == str(len(data))
    # ranges come with nginx
    r = requests.get(f"{base_url}/data/{checksum}",
                     headers={"Range": "bytes=10-19"})
    assert r.status_code == 206
    assert r.content == data[10:20]


def test_the_fair_cli_protocol(base_url, token):
    """What FAIR-CLI's push sends: POST <api>/data/<sha1> with its token
    and an empty form body, then a PUT of the bytes (no content type)."""
    data = b"fair push " + os.urandom(64)
    checksum = sha1(data)
    headers = {"Authorization": f"token {token}"}
    r = requests.post(f"{base_url}/api/data/{checksum}", headers=headers,
                      data={})
    assert r.status_code == 200
    r2 = requests.Session().put(r.json()["url"], data=data)
    assert r2.status_code in (200, 201)
    r = requests.post(f"{base_url}/api/data/{checksum}", headers=headers,
                      data={})
    assert r.status_code == 409


def test_chunked_upload(base_url, auth, data_dir):
    data = os.urandom(300_000)
    url = upload_url(base_url, auth, sha1(data))
    r = requests.put(url, data=(data[i:i + 65536]
                                for i in range(0, len(data), 65536)))
    assert r.status_code == 201
    with open(stored_path(data_dir, sha1(data)), "rb") as f:
        assert f.read() == data


def test_empty_file(base_url, auth, data_dir):
    checksum = sha1(b"")
    r = requests.post(f"{base_url}/api/data/{checksum}", headers=auth)
    if r.status_code == 200:
        assert requests.put(r.json()["url"], data=b"").status_code == 201
    assert os.path.getsize(stored_path(data_dir, checksum)) == 0


def test_private_file_is_403_for_anonymous(base_url, auth, var_dir):
    data = os.urandom(1000)
    checksum = upload(base_url, auth, data)
    register(base_url, auth, var_dir, checksum, private=True)
    r = requests.get(f"{base_url}/data/{checksum}")
    assert r.status_code == 403
    r = requests.get(f"{base_url}/data/{checksum}",
                     headers={"Authorization": "token nope"})
    assert r.status_code == 403
    r = requests.get(f"{base_url}/data/{checksum}", headers=auth)
    assert r.status_code == 200
    assert r.content == data


def test_download_unknown_or_bad_names(base_url, auth):
    checksum = sha1(os.urandom(16))
    for path in [f"/data/{checksum}", "/data/abc", f"/data/{checksum}/x",
                 f"/data/{checksum.upper()}", "/data/"]:
        r = requests.get(base_url + path)
        assert r.status_code == 404, path
    r = requests.delete(f"{base_url}/data/{checksum}", headers=auth)
    assert r.status_code == 405


def test_wrong_checksum_is_400_and_nothing_is_stored(base_url, auth,
                                                     data_dir):
    checksum = sha1(os.urandom(32))
    url = upload_url(base_url, auth, checksum)
    r = requests.put(url, data=b"other bytes " + os.urandom(8))
    assert r.status_code == 400
    assert "SHA-1" in r.json()["detail"]
    assert not os.path.exists(stored_path(data_dir, checksum))
    assert wait_until(lambda: not leftovers(data_dir))
    # still nothing stored: asking again is no conflict
    r = requests.post(f"{base_url}/api/data/{checksum}", headers=auth)
    assert r.status_code == 200


def test_other_methods_on_an_upload_url(base_url, auth):
    url = upload_url(base_url, auth, sha1(os.urandom(16)))
    assert requests.get(url).status_code == 405
    assert requests.post(url, data=b"x").status_code == 405


# ---- the signature ----

def test_tampered_upload_urls_are_403(base_url, auth, data_dir):
    data = os.urandom(100)
    checksum = sha1(data)
    url = upload_url(base_url, auth, checksum)
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query)
    expires, signature = query["expires"][0], query["signature"][0]
    other = sha1(os.urandom(16))
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    bad = [
        f"{base_url}/data/upload/{checksum}?expires={expires}"
        f"&signature={flipped}",
        f"{base_url}/data/upload/{checksum}?expires={int(expires) + 1}"
        f"&signature={signature}",
        f"{base_url}/data/upload/{other}?expires={expires}"
        f"&signature={signature}",
        f"{base_url}/data/upload/{checksum}?expires={expires}",
        f"{base_url}/data/upload/{checksum}?signature={signature}",
        f"{base_url}/data/upload/{checksum}",
        f"{base_url}/data/upload/{checksum}?expires={expires}"
        f"&signature={signature.upper()}",
        f"{base_url}/data/upload/{checksum}?expires=-{expires}"
        f"&signature={signature}",
    ]
    for u in bad:
        r = requests.put(u, data=data)
        assert r.status_code == 403, u
        assert r.json() == {"detail": "Invalid or expired upload URL."}
    assert not os.path.exists(stored_path(data_dir, checksum))
    assert requests.put(url, data=data).status_code == 201


def test_refused_before_the_body_is_read(base_url, auth):
    """nginx asks the registry before it reads the body: a bad URL is
    refused while the client has sent none of its 1 GiB."""
    checksum = sha1(os.urandom(16))
    host, port = urllib.parse.urlsplit(base_url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall((f"PUT /data/upload/{checksum}?expires=9999999999"
                   f"&signature={'0' * 64} HTTP/1.1\r\nHost: {host}\r\n"
                   f"Content-Length: 1073741824\r\n"
                   f"Expect: 100-continue\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n{" not in head:
            head += s.recv(4096)
    # (nginx may say "100 Continue" first: it then discards the body)
    assert b"HTTP/1.1 403 Forbidden" in head


def sign(var_dir, checksum, expires):
    key = bytes.fromhex(psql(var_dir, "SELECT encode(upload_key, 'hex') "
                                      "FROM object_store"))
    return hmac.new(key, f"{checksum}:{expires}".encode(),
                    hashlib.sha256).hexdigest()


def test_expired_upload_url_is_403(base_url, auth, var_dir, data_dir):
    data = os.urandom(200)
    checksum = sha1(data)
    # the test signs like the registry: a URL from the past is refused...
    past = int(time.time()) - 5
    r = requests.put(f"{base_url}/data/upload/{checksum}?expires={past}"
                     f"&signature={sign(var_dir, checksum, past)}", data=data)
    assert r.status_code == 403
    assert not os.path.exists(stored_path(data_dir, checksum))
    # ...and the same signing for the future is accepted
    future = int(time.time()) + 60
    r = requests.put(f"{base_url}/data/upload/{checksum}?expires={future}"
                     f"&signature={sign(var_dir, checksum, future)}",
                     data=data)
    assert r.status_code == 201


# ---- concurrency, interruption, size ----

def test_concurrent_uploads_of_the_same_file(base_url, auth, data_dir):
    data = os.urandom(3 << 20)
    checksum = sha1(data)
    urls = [upload_url(base_url, auth, checksum) for _ in range(8)]
    results = []

    def put(url):
        results.append(requests.put(url, data=data).status_code)

    threads = [threading.Thread(target=put, args=(u,)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [201] * 8
    with open(stored_path(data_dir, checksum), "rb") as f:
        assert f.read() == data
    assert wait_until(lambda: not leftovers(data_dir))


def test_interrupted_upload_leaves_no_file(base_url, auth, data_dir):
    checksum = sha1(os.urandom(16))
    parts = urllib.parse.urlsplit(upload_url(base_url, auth, checksum))
    host, port = parts.netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall((f"PUT {parts.path}?{parts.query} HTTP/1.1\r\n"
                   f"Host: {parts.netloc}\r\n"
                   f"Content-Length: {10 << 20}\r\n\r\n").encode())
        s.sendall(os.urandom(1 << 20))
        time.sleep(0.3)
    assert wait_until(lambda: not leftovers(data_dir))
    assert not os.path.exists(stored_path(data_dir, checksum))


def workers(var_dir):
    master = (var_dir / "run" / "registry.pid").read_text().strip()
    out = subprocess.run(["pgrep", "-P", master], capture_output=True,
                         text=True).stdout.split()
    return [int(p) for p in out]


def memory_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except FileNotFoundError:
        return None
    return None


def big_upload(base_url, auth, var_dir, tmp_path, size):
    path = tmp_path / "big.bin"
    digest = hashlib.sha1()
    block = os.urandom(1 << 20)
    with open(path, "wb") as f:
        for i in range(size >> 20):
            chunk = block[:-8] + i.to_bytes(8, "big")
            digest.update(chunk)
            f.write(chunk)
    checksum = digest.hexdigest()
    before = {p: memory_kib(p, "VmHWM") for p in workers(var_dir)}
    url = upload_url(base_url, auth, checksum)
    with open(path, "rb") as f:
        r = requests.put(url, data=f)
    assert r.status_code == 201, r.text
    # no worker's peak memory grew by anything like the file's size
    for pid, peak in before.items():
        after = memory_kib(pid, "VmHWM")
        if peak is not None and after is not None:
            assert after - peak < 16 * 1024, (pid, peak, after)
    register(base_url, auth, var_dir, checksum)
    got = hashlib.sha1()
    with requests.get(f"{base_url}/data/{checksum}", stream=True) as r:
        assert r.status_code == 200
        for chunk in r.iter_content(1 << 20):
            got.update(chunk)
    assert got.hexdigest() == checksum


def test_64_mib_upload_keeps_workers_small(base_url, auth, var_dir,
                                           tmp_path):
    big_upload(base_url, auth, var_dir, tmp_path, 64 << 20)


@pytest.mark.skipif(not os.environ.get("REGISTRY_SLOW_TESTS"),
                    reason="1 GiB upload: set REGISTRY_SLOW_TESTS=1")
def test_1_gib_upload(base_url, auth, var_dir, tmp_path):
    big_upload(base_url, auth, var_dir, tmp_path, 1 << 30)


# ---- aliases ----

@pytest.fixture
def namespace(base_url, auth):
    name = f"ns:{unique()}"  # a ':' in the namespace too
    return name, post(base_url, auth, "namespace", {"name": name})


def product(base_url, auth, namespace_url, name, root=None, path=None,
            local=False):
    body = {"description": "alias test"}
    if root is not None:
        r = requests.post(f"{base_url}/api/storage_root/", headers=auth,
                          json={"root": root, "local": local})
        root_url = r.json()["url"] if r.status_code == 201 else \
            requests.get(f"{base_url}/api/storage_root/",
                         params={"root": root}).json()["results"][0]["url"]
        body["storage_location"] = post(
            base_url, auth, "storage_location",
            {"path": path, "hash": unique(), "storage_root": root_url})
    obj = post(base_url, auth, "object", body)
    return post(base_url, auth, "data_product",
                {"name": name, "version": "1.0.0",
                 "namespace": namespace_url, "object": obj})


def alias(base_url, path, **kw):
    path, _, query = path.partition("?")
    url = base_url + urllib.parse.quote(path) + ("?" + query if query else "")
    return requests.get(url, **kw, allow_redirects=False)


def test_alias_redirects_to_root_and_path_joined(base_url, auth, namespace):
    ns, ns_url = namespace
    cases = [("https://example.org/files", "/a b.csv",
              "https://example.org/files/a%20b.csv"),
             ("https://example.org/x/", "\\y/z", "https://example.org/x/y/z"),
             ("https://example.org/x/", "//y", "https://example.org/x/y")]
    for i, (root, path, want) in enumerate(cases):
        name = f"model/out:{i}"  # '/' and ':' in the name
        product(base_url, auth, ns_url, name, root, path)
        r = alias(base_url, f"/data_product/{ns}:{name}@1.0.0")
        assert r.status_code == 302, (root, path)
        assert r.headers["Location"] == want
        r = alias(base_url, f"/data_product/{ns}:{name}@1.0.0",
                  params={"root": ""})
        assert r.status_code == 200
        assert r.text == root


def test_alias_serves_a_local_file(base_url, auth, namespace, tmp_path):
    ns, ns_url = namespace
    (tmp_path / "sub dir").mkdir()
    data = "a,b\n1,2 é\n".encode()
    (tmp_path / "sub dir" / "out put%41?.csv").write_bytes(data)
    root = f"file://{tmp_path}/"
    product(base_url, auth, ns_url, "local/file", root,
            "sub dir/out put%41?.csv", local=True)
    r = alias(base_url, f"/data_product/{ns}:local/file@1.0.0")
    assert r.status_code == 200
    assert r.content == data
    assert "X-Accel-Redirect" not in r.headers
    r = alias(base_url, f"/data_product/{ns}:local/file@1.0.0?root")
    assert r.text == root
    # a location that climbs out of its root, or a root not marked local
    product(base_url, auth, ns_url, "escape", root, "../../../../etc/passwd",
            local=True)
    assert alias(base_url, f"/data_product/{ns}:escape@1.0.0"
                 ).status_code == 404
    product(base_url, auth, ns_url, "absolute", root, "/etc/passwd",
            local=True)
    assert alias(base_url, f"/data_product/{ns}:absolute@1.0.0"
                 ).status_code == 404
    product(base_url, auth, ns_url, "notlocal", f"file://{tmp_path}/sub dir/",
            "out put%41?.csv")
    assert alias(base_url, f"/data_product/{ns}:notlocal@1.0.0"
                 ).status_code == 404


def test_alias_that_matches_nothing_is_404(base_url, auth, namespace):
    ns, ns_url = namespace
    product(base_url, auth, ns_url, "nofile")  # an object with no location
    for path in [f"/data_product/{ns}:nofile@1.0.0",
                 f"/data_product/{ns}:nothing@1.0.0",
                 f"/data_product/{ns}:nofile@2.0.0",
                 "/data_product/nonamespace:x@1.0.0",
                 "/data_product/x@1.0.0", "/data_product/ns:x",
                 "/data_product/ns:x@1.0/0", "/data_product/",
                 "/external_object/a:b@1.0.0", "/external_object/ab@1.0.0"]:
        assert alias(base_url, path).status_code == 404, path


def test_paths_never_escape(base_url):
    for path in ["/data/../../../../etc/passwd",
                 "/data/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/data/..%2f..%2f..%2fetc%2fpasswd",
                 "/data/%2Fetc%2Fpasswd", "//etc/passwd",
                 "/data/upload/..%2f..%2fetc%2fpasswd",
                 "/data/" + "a" * 40 + "%00.txt",
                 "/_store/../../etc/passwd", "/_files/etc/passwd",
                 "/data_product/x:..%2f..%2fetc%2fpasswd@1.0.0"]:
        r = requests.get(base_url + path, allow_redirects=False)
        assert r.status_code in (400, 404), path
        assert b"root:" not in r.content


def external(base_url, auth, ns_url, alternate, title, location=None,
             original=None):
    name = f"ext/{unique()}"
    dp = product(base_url, auth, ns_url, name, *(location or ()))
    body = {"alternate_identifier": alternate,
            "alternate_identifier_type": "doi", "title": title,
            "release_date": "2020-01-01T00:00:00Z", "data_product": dp}
    if original:
        root = post(base_url, auth, "storage_root",
                    {"root": original[0] + unique() + "/"})
        body["original_store"] = post(
            base_url, auth, "storage_location",
            {"path": original[1], "hash": unique(), "storage_root": root})
    post(base_url, auth, "external_object", body)


def test_external_object_alias(base_url, auth, namespace):
    _, ns_url = namespace
    alt = f"doi:10.{unique()}/x"  # ':' and '/' in the identifier
    external(base_url, auth, ns_url, alt, "both/title",
             location=("https://files.example.org/", "p.csv"),
             original=("https://origin.example.org/", "o.csv"))
    path = f"/external_object/{alt}:both/title@1.0.0"
    r = alias(base_url, path)
    assert r.status_code == 302
    assert r.headers["Location"] == "https://files.example.org/p.csv"
    assert alias(base_url, path + "?root").text == \
        "https://files.example.org/"
    r = alias(base_url, path + "?original")
    assert r.status_code == 302
    assert r.headers["Location"].startswith("https://origin.example.org/")
    assert r.headers["Location"].endswith("/o.csv")
    assert alias(base_url, path + "?original&root").text.startswith(
        "https://origin.example.org/")

    external(base_url, auth, ns_url, alt, "original only",
             original=("https://origin.example.org/", "only.csv"))
    r = alias(base_url, f"/external_object/{alt}:original only@1.0.0")
    assert r.status_code == 302
    assert r.headers["Location"].endswith("/only.csv")

    external(base_url, auth, ns_url, alt, "nothing")
    r = alias(base_url, f"/external_object/{alt}:nothing@1.0.0")
    assert r.status_code == 204
    assert r.content == b""
    assert alias(base_url, f"/external_object/{alt}:nothing@9.0.0"
                 ).status_code == 404
    assert alias(base_url, f"/external_object/{alt}x:nothing@1.0.0"
                 ).status_code == 404
