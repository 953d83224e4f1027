"""Files served as what they are (issue 14, item 5): a file sent from a
file:// alias or /data/<sha1> carries the Content-Type its name implies, as
the reference's FileResponse (Python's mimetypes) gives it, else the type it
was uploaded with, else application/octet-stream; browsers are told not to
sniff or run it. An RO-Crate zip of a large local file is streamed: the
worker's peak memory does not grow with the file."""

import hashlib
import io
import os
import zipfile

import pytest
import requests

from test_data import (alias, memory_kib, post, product, register,  # noqa
                       unique, upload_url, workers, namespace)

TYPES = {"a.txt": "text/plain", "b.csv": "text/csv", "c.png": "image/png",
         "d.json": "application/json", "e.h5": "application/x-hdf5",
         "f.CSV": "text/csv", "g.tar.gz": "application/gzip",
         "h.unknownext": "application/octet-stream",
         "noext": "application/octet-stream",
         "i.html": "text/html", "j.svg": "image/svg+xml"}


def served_safely(r):
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert r.headers.get("Content-Security-Policy") == "sandbox"


def test_alias_files_by_extension(base_url, auth, namespace, tmp_path):
    ns, ns_url = namespace
    os.chmod(tmp_path, 0o755)
    root = f"file://{tmp_path}/"
    for i, (name, want) in enumerate(TYPES.items()):
        (tmp_path / name).write_bytes(b"<script>alert(1)</script>\n")
        product(base_url, auth, ns_url, f"typed/{i}", root, name,
                local=True)
        r = alias(base_url, f"/data_product/{ns}:typed/{i}@1.0.0")
        assert r.status_code == 200, (name, r.text)
        assert r.headers["Content-Type"] == want, name
        served_safely(r)


def put(base_url, auth, data, ctype=None):
    checksum = hashlib.sha1(data).hexdigest()
    headers = {"Content-Type": ctype} if ctype else {}
    r = requests.put(upload_url(base_url, auth, checksum), data=data,
                     headers=headers)
    assert r.status_code == 201, r.text
    return checksum


def test_store_by_extension_then_upload_type(base_url, auth, var_dir):
    cases = [
        # (uploaded as, file type extension, served as)
        ("image/png", None, "image/png"),
        ("Text/CSV; charset=utf-8", None, "text/csv"),
        ("image/png", "csv", "text/csv"),   # the name's type first
        (None, "txt", "text/plain"),
        (None, None, "application/octet-stream"),
        ("not a type", None, "application/octet-stream"),
    ]
    for sent, ext, want in cases:
        checksum = put(base_url, auth, os.urandom(64), sent)
        register(base_url, auth, var_dir, checksum, extension=ext)
        r = requests.get(f"{base_url}/data/{checksum}")
        assert r.status_code == 200
        assert r.headers["Content-Type"] == want, (sent, ext)
        served_safely(r)


def test_crate_zip_of_a_large_file_is_streamed(base_url, auth, namespace,
                                               tmp_path):
    ns, ns_url = namespace
    os.chmod(tmp_path, 0o755)
    size = 96 << 20
    block = os.urandom(1 << 20)
    digest = hashlib.sha1()
    with open(tmp_path / "big.bin", "wb") as f:
        for i in range(size >> 20):
            chunk = block[:-8] + i.to_bytes(8, "big")
            digest.update(chunk)
            f.write(chunk)
    dp = product(base_url, auth, ns_url, "big/file", f"file://{tmp_path}/",
                 "big.bin", local=True)
    before = {p: memory_kib(p, "VmHWM") for p in workers(var_dir_of())}
    dp_id = int(dp.rstrip("/").split("/")[-1])
    got = io.BytesIO()
    with requests.get(f"{base_url}/api/ro-crate/data-product/{dp_id}/",
                      params={"format": "zip"}, stream=True) as r:
        assert r.status_code == 200, r.text[:300]
        assert r.headers["Content-Type"] == "application/zip"
        for chunk in r.iter_content(1 << 20):
            got.write(chunk)
    for pid, peak in before.items():
        after = memory_kib(pid, "VmHWM")
        if peak is not None and after is not None:
            assert after - peak < 24 * 1024, (pid, peak, after)
    z = zipfile.ZipFile(got)
    member = [n for n in z.namelist() if n.endswith("big.bin")]
    assert member, z.namelist()
    h = hashlib.sha1()
    with z.open(member[0]) as f:
        for piece in iter(lambda: f.read(1 << 20), b""):
            h.update(piece)
    assert h.hexdigest() == digest.hexdigest()


def var_dir_of():
    from pathlib import Path
    return Path(os.environ["REGISTRY_VAR"])
