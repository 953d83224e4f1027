"""Hostile bytes from clients (issue 14, items 1 and 2): bodies that are
not strict RFC 8259 JSON, invalid UTF-8 or NUL in the path, query
arguments, cursors and header values, malformed hyperlinks. Each is a 400
with a JSON body and writes nothing."""

import socket
from urllib.parse import urlsplit

import pytest
import requests

from test_api_common import api, uniq  # noqa: F401


def post_raw(api, body, where="namespace"):
    headers = dict(api.auth)
    headers["Content-Type"] = "application/json"
    return requests.post(api._to(where), data=body, headers=headers)


def parse_error(r):
    assert r.status_code == 400, (r.status_code, r.text)
    assert r.headers["Content-Type"] == "application/json"
    detail = r.json()["detail"]
    assert detail.startswith("JSON parse error - "), detail
    return detail


LENIENT = [
    b'{"name": "%s",}',
    b'{"name": "%s" /* comment */}',
    b'{"name": "%s"} // comment',
    b"{'name': '%s'}",
    b'{"name": "%s", "x": NaN}',
    b'{"name": "%s", "x": Infinity}',
    b'{"name": "%s", "x": -Infinity}',
    b'{"name": "%s", "x": 01}',
    b'{"name": "%s", "x": 1.}',
    b'{"name": "%s", "x": .5}',
    b'{"name": "%s", "x": 1e}',
    b'{"name": "%s", "x": +1}',
    b'{"name": "%s", "x": 0x10}',
    b'{"name": "%s\x01"}',
    b'{"name": "%s\t"}',
    b'{"name": "%s\n"}',
    b'{"name": "%s\xff"}',
    b'{"name": "%s\xc0\xaf"}',
    b'{"name": "%s\xe0\x80\xaf"}',
    b'{"name": "%s\xed\xa0\x80"}',
    b'{"name": "%s\xf4\x90\x80\x80"}',
    b'{"na\xc0\xafme": "%s"}',
    b'{"name": "%s\\ud800"}',
    b'{"name": "%s\\udc00\\ud800"}',
    b'{"name": "%s\\ud800\\u0041"}',
    b'{"name": "%s\\x41"}',
    b'{"name": "%s"} x',
    b'{"name": "%s"}{}',
    b'{"name": "%s", "x": [1,]}',
    b'{"name": "%s", "x": [,1]}',
    b'{"name": "%s", "x": tru}',
    b'{"name": "%s", "x": True}',
    b'{name: "%s"}',
    b'\xef\xbb\xbf{"name": "%s"}',
]


@pytest.mark.parametrize("template", LENIENT, ids=range(len(LENIENT)))
def test_lenient_json_refused_and_not_stored(api, template):
    name = uniq("strict")
    parse_error(post_raw(api, template.replace(b"%s", name.encode())))
    assert api.results("namespace", {"name": name}) == []


def test_strict_json_still_accepted(api):
    name = uniq("ok")
    body = ('{"name": "%s", "full_name": "caf\\u00e9 \\ud83d\\ude00 \xe9",'
            ' "x": [-0.5e+3, 0, 1E2, true, false, null, {}, []]}' % name)
    r = post_raw(api, body.encode())
    assert r.status_code == 201, r.text
    assert r.json()["full_name"] == "caf\u00e9 \U0001F600 \xe9"


def test_nesting_is_bounded(api):
    name = uniq("deep")
    ok = '{"name": "%s", "x": %s%s}' % (name, "[" * 63, "]" * 63)
    assert post_raw(api, ok.encode()).status_code == 201
    for depth in (64, 100000):
        deep = '{"name": "%s", "x": %s%s}' % (uniq(), "[" * depth,
                                            "]" * depth)
        assert "Nesting" in parse_error(post_raw(api, deep.encode()))


def test_nul_escape_in_text_field_is_field_error(api):
    r = post_raw(api, b'{"name": "%s\\u0000x"}' % uniq().encode())
    assert r.status_code == 400
    assert r.json() == {"name": ["Null characters are not allowed."]}


def raw_request(base, request_line_target, headers=b""):
    u = urlsplit(base)
    with socket.create_connection((u.hostname, u.port), timeout=30) as s:
        s.sendall(b"GET " + request_line_target + b" HTTP/1.1\r\nHost: " +
                  u.netloc.encode() + b"\r\n" + headers +
                  b"Accept: application/json\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    return status, head, body


BAD_TARGETS = [
    b"/api/namespace/?name=%ff",
    b"/api/namespace/?name=%00",
    b"/api/namespace/?name=a\xffb",
    b"/api/namespace/?name=%c0%af",
    b"/api/namespace/?name=%ed%a0%80",
    b"/api/namespace/?format=%ff",
    b"/api/namespace/?format=json%00",
    b"/api/namespace/?cursor=%ff",
    b"/api/namespace/?cursor=abc%00def",
    b"/api/namespace/?na%00me=x",
    b"/api/namespace%ff/",
    b"/api/name%00space/",
    b"/api/namespace/%c0%af/",
    b"/api/namespace\xff/",
    b"/data_product/%ff:x@v1",
]


@pytest.mark.parametrize("target", BAD_TARGETS, ids=range(len(BAD_TARGETS)))
def test_bad_bytes_in_path_and_query(base_url, target):
    status, head, body = raw_request(base_url, target)
    assert status == 400, (status, body)
    assert b"Content-Type: application/json" in head
    assert b'"detail"' in body


@pytest.mark.parametrize("header", [
    b"Accept-Language: \xff\xfe\r\n",
    b"X-Anything: caf\xc3\r\n",
    b"Authorization: token \xc0\xaf\r\n",
    b"X-Forwarded-Host: ex\xffample.org\r\n",
    b"X-Nul: a\x00b\r\n",
], ids=range(5))
def test_bad_bytes_in_header_values(base_url, header):
    status, head, body = raw_request(base_url, b"/api/namespace/", header)
    assert status == 400, (status, body)
    assert b"Content-Type: application/json" in head
    assert b'"detail"' in body


def test_good_utf8_in_query_still_works(api):
    name = uniq("caf\u00e9")
    api.namespace(name=name)
    assert len(api.results("namespace", {"name": name})) == 1


@pytest.mark.parametrize("url", [
    "http://[::1/api/namespace/%d/",
    "http://[::1]x/api/namespace/%d/",
    "http://localhost:99999/api/namespace/%d/",
    "http://localhost:8x/api/namespace/%d/",
    "http://local host/api/namespace/%d/",
    "http://exa\tmple.org/api/namespace/%d/",
])
def test_malformed_hyperlinks_are_field_errors(api, url):
    ns = api.namespace()
    body = {"name": uniq(), "version": "0.1.0", "object": api.object()["url"],
            "namespace": url % int(ns["url"].rstrip("/").split("/")[-1])}
    r = api.post("data_product", body)
    assert r.status_code == 400, r.text
    assert r.json() == {"namespace": ["Invalid hyperlink - No URL match."]}


@pytest.mark.parametrize("website", [
    "http://[::1/x", "http://example.org:99999/", "http://exa mple.org/"])
def test_malformed_urls_are_field_errors(api, website):
    r = api.post("namespace", {"name": uniq(), "website": website})
    assert r.status_code == 400, r.text
    assert r.json() == {"website": ["Enter a valid URL."]}


def test_well_formed_hyperlink_with_port_and_ipv6(api):
    ns = api.namespace()
    nid = int(ns["url"].rstrip("/").split("/")[-1])
    for url in (f"http://[::1]:8000/api/namespace/{nid}/",
                f"http://localhost:65535/api/namespace/{nid}/"):
        body = {"name": uniq(), "version": "0.1.0",
                "object": api.object()["url"], "namespace": url}
        r = api.post("data_product", body)
        assert r.status_code == 201, r.text
