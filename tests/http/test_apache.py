"""The registry behind Debian's apache2, the three ways apache/ ships
(issue 12, item 4), each mounted under a path and tested end to end: one
Apache (tests/http/apache.py) with a virtual host per way, each made from
the shipped file with its installed paths replaced by the test's:

  proxy   apache/registry-proxy-fcgi.conf: mod_proxy_fcgi to a worker pool
  fcgid   apache/registry-fcgid.conf: mod_fcgid starts the binary itself
  cgi     apache/registry-cgi.conf: plain CGI (ScriptAlias)
  ~user   apache/registry-cgi.htaccess: plain CGI as .htaccess in a
          user's web space, /~user/registry.cgi/

Apache passes a CGI or mod_fcgid program none of its own environment: the
settings file (beside the program, or named by REGISTRY_CONFIG in the
Apache file) is all that tells it where the database is. Uploads are
written to the store, and stored files sent, by the registry itself
(send_files = registry), in an object store of the four's own that
Apache's user can write.

Also here: the CGI program run directly with a body longer or shorter than
its CONTENT_LENGTH."""

import hashlib
import os
import pwd
import shutil
import subprocess
import time

import pytest
import requests

from apache import apache
from test_api_common import uniq
from test_data import env_of, register
from test_prefix import exercise

MODES = ["proxy", "fcgid", "cgi", "user"]
MOUNT = {"proxy": "/fair", "fcgid": "/fair", "cgi": "/fair",
         "user": "/~user/registry.cgi"}
INSTALLED = {"bin": "/usr/local/bin",
             "static": "/usr/local/share/registry/static",
             "conf": "/usr/local/etc/registry.conf",
             "socket": "/run/registry/registry.sock"}


def settings_file(path, var_dir, root_dir, **more):
    env = env_of(var_dir)
    lines = {"database": f"host={env['PGHOST']} port={env['PGPORT']} "
                         f"dbname={env['PGDATABASE']} user={env['PGUSER']}",
             "data_dir": var_dir / "apache" / "data",
             "docs_dir": str(root_dir / "docs"),
             "send_files": "registry", **more}
    path.write_text("".join(f"{k} = {v}\n" for k, v in lines.items()))
    if os.geteuid() == 0:  # read by Apache's user only
        pw = pwd.getpwnam("www-data")
        os.chown(path, pw.pw_uid, pw.pw_gid)
    path.chmod(0o600)
    return path


def shipped(root_dir, name, paths):
    text = (root_dir / "apache" / name).read_text()
    for key, value in paths.items():
        text = text.replace(INSTALLED[key], str(value))
    return text


@pytest.fixture(scope="module")
def servers(var_dir, root_dir, registry_bin, spare_ports):
    """{mode: base URL} for the four ways, all up at once."""
    home = var_dir / "apache"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    ports = dict(zip(MODES, spare_ports[1:5]))
    # the object store of the four, written by Apache's user
    for d in ("data/objects", "data/incoming", "run/fcgid"):
        (home / d).mkdir(parents=True)
        if os.geteuid() == 0:
            pw = pwd.getpwnam("www-data")
            os.chown(home / d, pw.pw_uid, pw.pw_gid)
    static = root_dir / "src" / "web" / "static"

    # proxy: a worker pool of its own, sending files itself
    conf = settings_file(home / "pool.conf", var_dir, root_dir,
                         listen=home / "pool.sock", workers=2)
    pool = subprocess.Popen([str(registry_bin), "serve"],
                            env=dict(os.environ, REGISTRY_CONFIG=str(conf)),
                            stdout=subprocess.DEVNULL,
                            stderr=open(home / "pool.log", "ab"))
    for _ in range(100):
        if (home / "pool.sock").exists():
            break
        time.sleep(0.1)

    # fcgid and cgi: the binary, its settings named by the Apache file
    fcgi_conf = settings_file(home / "registry.conf", var_dir, root_dir)
    bindir = home / "lib"
    bindir.mkdir()
    try:
        os.link(registry_bin, bindir / "registry")
    except OSError:
        shutil.copy2(registry_bin, bindir / "registry")

    # ~user: registry.cgi beside registry.conf and .htaccess
    public = home / "public_html"
    public.mkdir()
    shutil.copy2(bindir / "registry", public / "registry.cgi")
    settings_file(public / "registry.conf", var_dir, root_dir)
    shutil.copy(root_dir / "apache" / "registry-cgi.htaccess",
                public / ".htaccess")

    paths = {"bin": bindir, "static": static, "conf": fcgi_conf,
             "socket": home / "pool.sock"}
    files = {"proxy": "registry-proxy-fcgi.conf",
             "fcgid": "registry-fcgid.conf", "cgi": "registry-cgi.conf"}
    site = [f'FcgidIPCDir "{home}/run/fcgid"',
            f'FcgidProcessTableFile "{home}/run/fcgid/shm"']
    for mode, name in files.items():
        site += [f"<VirtualHost 127.0.0.1:{ports[mode]}>",
                 shipped(root_dir, name, paths), "</VirtualHost>"]
    site += [f"<VirtualHost 127.0.0.1:{ports['user']}>",
             f"Alias /~user/ {public}/",
             f"<Directory {public}/>", "\tAllowOverride All",
             "\tOptions None", "\tRequire all granted", "</Directory>",
             "</VirtualHost>"]
    try:
        with apache(home, ports.values(), "\n".join(site),
                    ["proxy", "proxy_fcgi", "fcgid", "cgi", "rewrite"]):
            yield {m: f"http://127.0.0.1:{ports[m]}{MOUNT[m]}"
                   for m in MODES}
    finally:
        pool.terminate()
        pool.wait(timeout=30)
    log = (home / "log" / "error.log").read_text(errors="replace")
    log += (home / "pool.log").read_text(errors="replace")
    assert "Sanitizer" not in log and "runtime error" not in log, log


@pytest.fixture(scope="module")
def product(base_url, auth, var_dir):
    """A data product whose file is on the registry's own disk (file://
    root marked local): its alias /data_product/... sends the file."""
    folder = var_dir / "apache-files"
    folder.mkdir(exist_ok=True)
    (folder / "table.csv").write_text("a,b\n1,2\n")

    def post(resource, body):
        r = requests.post(f"{base_url}/api/{resource}/", json=body,
                          headers=auth)
        assert r.status_code == 201, r.text
        return r.json()["url"]

    root = post("storage_root", {"root": f"file://{folder}/",
                                 "local": True})
    loc = post("storage_location", {"path": "table.csv", "hash": uniq(),
                                    "storage_root": root})
    obj = post("object", {"storage_location": loc})
    ns = uniq("ns")
    post("data_product", {"namespace": post("namespace", {"name": ns}),
                          "name": "table", "version": "0.1.0",
                          "object": obj})
    return f"/data_product/{ns}:table@0.1.0", b"a,b\n1,2\n"


@pytest.mark.parametrize("mode", MODES)
def test_api_browsable_api_and_website(servers, mode, auth):
    exercise(servers[mode], MOUNT[mode], auth)


@pytest.mark.parametrize("mode", MODES)
def test_upload_download_and_file_alias(servers, mode, auth, var_dir,
                                       product):
    """An upload of 3 pieces of 64 KiB and a bit, the registry writing it
    (no nginx in front), the stored file sent back by the registry."""
    base = servers[mode]
    data = os.urandom(3 * 65536 + 123)
    checksum = hashlib.sha1(data).hexdigest()
    r = requests.post(f"{base}/api/data/{checksum}", headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["url"].startswith(f"{base}/data/upload/")
    r = requests.put(r.json()["url"], data=data)
    assert r.status_code == 201, r.text
    register(base, auth, var_dir, checksum, extension="bin")
    r = requests.get(f"{base}/data/{checksum}")
    assert r.status_code == 200, r.text[:300]
    assert r.content == data
    assert r.headers["Content-Disposition"] == \
        f'attachment; filename="{checksum}.bin"'
    r = requests.head(f"{base}/data/{checksum}")
    assert r.status_code == 200 and not r.content
    path, content = product
    r = requests.get(base + path)
    assert r.status_code == 200 and r.content == content


def test_settings_file_is_not_served(servers):
    base = servers["user"].rsplit("/", 1)[0]
    assert requests.get(f"{base}/registry.conf").status_code == 403


def cgi(registry_bin, var_dir, body, length, **more):
    env = dict(env_of(var_dir), GATEWAY_INTERFACE="CGI/1.1",
               REQUEST_METHOD="POST", REQUEST_URI="/api/author/",
               CONTENT_TYPE="application/json", CONTENT_LENGTH=str(length),
               HTTP_AUTHORIZATION=f"token {(var_dir / 'token').read_text().strip()}",
               PATH=os.environ["PATH"], **more)
    out = subprocess.run([str(registry_bin)], input=body, env=env,
                         capture_output=True, timeout=60)
    head, _, answer = out.stdout.partition(b"\r\n\r\n")
    return head.decode().split("\r\n")[0], answer


def test_cgi_body_longer_or_shorter_than_its_length(registry_bin, var_dir):
    body = b'{"name": "cgi body"}'
    status, answer = cgi(registry_bin, var_dir, body + b"xx", len(body))
    assert status == "Status: 400 Bad Request", answer
    assert answer == (b'{"detail":"The request body is longer than its '
                      b'Content-Length."}')
    status, answer = cgi(registry_bin, var_dir, body, len(body) + 5)
    assert status == "Status: 400 Bad Request", answer
    assert b"shorter than its Content-Length" in answer
    status, answer = cgi(registry_bin, var_dir, body, "12x")
    assert status == "Status: 400 Bad Request", answer
    status, answer = cgi(registry_bin, var_dir, body, len(body))
    assert status == "Status: 201 Created", answer


@pytest.mark.parametrize("mode", MODES)
def test_the_mount_point_itself_redirects(servers, mode):
    r = requests.get(servers[mode], allow_redirects=False)
    assert r.status_code == 301 and r.headers["Location"] in (
        servers[mode] + "/", MOUNT[mode] + "/"), r.headers
