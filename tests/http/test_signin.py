"""Sign-in through the front server (docs/accounts.md), with Apache's basic
authentication standing in for an institution's single sign-on: a person
in the allow-list gets a token from /get-token, writes with it (the record's
updated_by is that person), and after /revoke-token the token is refused.
The same behind nginx's auth_basic. The registry trusts REMOTE_USER only
there and never a client header; the
page's session lets the browsable API's forms write, each post with the
session's CSRF token (tests/http/test_forms.py)."""

import os
import pwd
import re
import shutil
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from test_admin import instance_env, run_bin

MODULES = "/usr/lib/apache2/modules"
APACHE_MODULES = ["mpm_prefork", "authz_core", "authz_user", "authn_core",
                  "authn_file", "auth_basic", "proxy", "proxy_fcgi", "alias",
                  "mime"]


def wait_for(what, check, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not come up")


def can_connect(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@contextmanager
def registry_pool(registry_bin, var_dir, home, allowed):
    """A second pool of the test registry's binary on the same database,
    with sign-in through the front server turned on."""
    sock = home / "registry.sock"
    # like Apache below, the pool signals its whole process group as it
    # stops: a session of its own keeps pytest out of it
    env = instance_env(var_dir)
    proc = subprocess.Popen(
        [str(registry_bin), "serve", "--listen", str(sock), "--workers", "2",
         "--remote_user_auth", "true",
         "--authorised_users_file", str(allowed),
         "--auth_provider", "Apache"],
        env=env, stdout=subprocess.DEVNULL, start_new_session=True,
        # where the sanitizer check (test_zz_sanitizer_log.py) looks
        stderr=open(var_dir / "log" / "registry.log", "ab"))
    try:
        wait_for("the registry pool", lambda: sock.exists())
        yield sock
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextmanager
def apache(home, port, open_port, sock, htpasswd, static):
    """apache2 with its own ServerRoot under home: /get-token and
    /revoke-token behind basic authentication, the stylesheet from static,
    everything else proxied to the registry's socket (mod_proxy_fcgi).
    open_port serves the same registry with no authentication at all."""
    apache2 = shutil.which("apache2") or "/usr/sbin/apache2"
    assert os.path.exists(apache2), "apache2 is missing (make deps)"
    for d in ("log", "run", "lock"):
        (home / d).mkdir(parents=True, exist_ok=True)
    lines = [f'ServerRoot "{home}"', "ServerName 127.0.0.1",
             f'PidFile "{home}/run/apache2.pid"',
             f'DefaultRuntimeDir "{home}/run"', f"Mutex file:{home}/lock",
             f'ErrorLog "{home}/log/error.log"', "LogLevel warn",
             'LogFormat "%h %l %u %t \\"%r\\" %>s %b" common',
             f'CustomLog "{home}/log/access.log" common',
             "StartServers 1", "MinSpareServers 1", "MaxSpareServers 2",
             "TypesConfig /etc/mime.types"]
    for m in APACHE_MODULES:
        so = f"{MODULES}/mod_{m}.so"
        assert os.path.exists(so), f"{so} is missing (package apache2)"
        lines.append(f"LoadModule {m}_module {so}")
    if os.geteuid() == 0:
        lines += ["User www-data", "Group www-data"]
        pw = pwd.getpwnam("www-data")
        for d in ("run", "lock"):
            os.chown(home / d, pw.pw_uid, pw.pw_gid)
    backend = f"unix:{sock}|fcgi://localhost/"
    lines += [
        f"Listen 127.0.0.1:{port}", f"Listen 127.0.0.1:{open_port}",
        f"<VirtualHost 127.0.0.1:{port}>",
        # the token reaches the registry as HTTP_AUTHORIZATION
        "  <Location />", "    CGIPassAuth On", "  </Location>",
        '  <LocationMatch "^/(get|revoke)-token$">',
        "    AuthType Basic", '    AuthName "registry"',
        f'    AuthUserFile "{htpasswd}"', "    Require valid-user",
        "  </LocationMatch>",
        '  ProxyPass "/static/" "!"',
        f'  ProxyPass "/" "{backend}"',
        f'  Alias "/static/" "{static}/"',
        f'  <Directory "{static}">', "    Require all granted",
        "  </Directory>",
        "</VirtualHost>",
        f"<VirtualHost 127.0.0.1:{open_port}>",
        "  <Location />", "    CGIPassAuth On", "  </Location>",
        f'  ProxyPass "/" "{backend}"',
        "</VirtualHost>"]
    conf = home / "httpd.conf"
    conf.write_text("\n".join(lines) + "\n")
    check = subprocess.run([apache2, "-f", str(conf), "-t"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    # its own process group: prefork's parent ends by signalling its
    # whole group, which would otherwise include pytest
    proc = subprocess.Popen([apache2, "-f", str(conf), "-DFOREGROUND"],
                            stdout=subprocess.DEVNULL, start_new_session=True,
                            stderr=open(home / "log" / "stderr.log", "ab"))
    try:
        wait_for("apache2", lambda: can_connect(port) and
                 can_connect(open_port))
        yield f"http://127.0.0.1:{port}", f"http://127.0.0.1:{open_port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextmanager
def nginx(home, port, sock, htpasswd):
    """nginx in front of the same pool, with auth_basic on the sign-in
    pages and $remote_user passed as REMOTE_USER there only."""
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    assert os.path.exists(exe), "nginx is missing (make deps)"
    tmp = home / "nginx-tmp"
    tmp.mkdir(exist_ok=True)
    params = "\n".join(
        f"fastcgi_param {k} {v};" for k, v in [
            ("REQUEST_METHOD", "$request_method"),
            ("REQUEST_URI", "$request_uri"),
            ("QUERY_STRING", "$query_string"),
            ("CONTENT_TYPE", "$content_type"),
            ("CONTENT_LENGTH", "$content_length"),
            ("REQUEST_SCHEME", "$scheme"), ("SERVER_NAME", "$server_name")])
    conf = home / "nginx.conf"
    conf.write_text(f"""
user {pwd.getpwuid(os.geteuid()).pw_name};
daemon off;
pid {home}/run/nginx.pid;
error_log {home}/log/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {home}/log/nginx-access.log combined;
    client_body_temp_path {tmp}/body;
    fastcgi_temp_path {tmp}/fastcgi;
    proxy_temp_path {tmp}/proxy;
    scgi_temp_path {tmp}/scgi;
    uwsgi_temp_path {tmp}/uwsgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            {params}
            fastcgi_pass unix:{sock};
        }}
        location ~ ^/(get|revoke)-token$ {{
            auth_basic "registry";
            auth_basic_user_file {htpasswd};
            {params}
            fastcgi_param REMOTE_USER $remote_user;
            fastcgi_pass unix:{sock};
        }}
    }}
}}
""")
    (home / "run").mkdir(exist_ok=True)
    (home / "log").mkdir(exist_ok=True)
    check = subprocess.run([exe, "-t", "-c", str(conf)], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([exe, "-c", str(conf)], start_new_session=True,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_for("nginx", lambda: can_connect(port))
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def front(registry_bin, var_dir, spare_ports, root_dir):
    """(Apache's URL with sign-in, its URL without, the allowed user's
    name, the user missing from the allow-list, nginx's URL with sign-in)"""
    htpasswd_bin = shutil.which("htpasswd")
    assert htpasswd_bin, "htpasswd is missing (package apache2-utils)"
    home = var_dir / "signin"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    os.chmod(home, 0o755)
    tag = uuid.uuid4().hex[:6]
    allowed_user, stranger = f"carol-{tag}", f"mallory-{tag}"
    htpasswd = home / "htpasswd"
    for user in (allowed_user, stranger):
        subprocess.run([htpasswd_bin, "-b", *(["-c"] if user == allowed_user
                                              else []),
                        str(htpasswd), user, "secret-" + user], check=True,
                       capture_output=True)
    os.chmod(htpasswd, 0o644)
    allowed = home / "allowed-users"
    allowed.write_text(f"# who may sign in\n{allowed_user}\n")
    with registry_pool(registry_bin, var_dir, home, allowed) as sock, \
            apache(home, spare_ports[0], spare_ports[1], sock, htpasswd,
                   root_dir / "src" / "web" / "static") as (url, open_url), \
            nginx(home, spare_ports[2], sock, htpasswd) as nginx_url:
        yield url, open_url, allowed_user, stranger, nginx_url


def sign_in(url, user, path="/get-token"):
    s = requests.Session()
    r = s.get(url + path, auth=(user, "secret-" + user))
    return s, r


def page_token(r):
    m = re.search(r'<input id="accesstoken"[^>]* value="([0-9a-f]{40})"',
                  r.text)
    assert m, r.text
    return m.group(1)


def test_new_user_gets_a_token_writes_and_revokes(front, base_url, var_dir):
    url, _, user, _, _ = front
    assert requests.get(url + "/get-token").status_code == 401
    s, r = sign_in(url, user)
    assert r.status_code == 200, r.text
    assert r.headers["Cache-Control"] == "no-store"
    token = page_token(r)
    head = {"Authorization": f"token {token}", "Accept": "application/json"}
    assert requests.get(url + "/api/username/", headers=head).json() == \
        {"username": user}
    name = "signin-" + uuid.uuid4().hex[:8]
    w = requests.post(url + "/api/namespace/", json={"name": name},
                      headers=head)
    assert w.status_code == 201, w.text
    updated_by = requests.get(w.json()["updated_by"], headers=head).json()
    assert updated_by["username"] == user
    # the same registry straight through nginx agrees
    assert requests.get(f"{base_url}/api/username/",
                        headers=head).status_code == 200

    # a second visit replaces the token
    _, again = sign_in(url, user)
    second = page_token(again)
    assert second != token
    assert requests.get(url + "/api/username/",
                        headers=head).status_code == 403

    time.sleep(1.5)  # nginx writes its access log once a second
    for log in [*(var_dir / "signin" / "log").iterdir(),
                *(var_dir / "log").iterdir()]:
        assert token.encode() not in log.read_bytes(), log

    _, gone = sign_in(url, user, "/revoke-token")
    assert gone.status_code == 200
    assert "Your token has been deleted" in gone.text
    r = requests.get(url + "/api/username/",
                     headers={"Authorization": f"token {second}"})
    assert (r.status_code, r.json()) == (403, {"detail": "Invalid token."})


def test_user_not_in_the_allow_list_is_refused(front, registry_bin, var_dir):
    url, _, _, stranger, _ = front
    _, r = sign_in(url, stranger)
    assert r.status_code == 403
    assert "not among the people allowed" in r.text
    assert "accesstoken" not in r.text and "Set-Cookie" not in r.headers
    users = run_bin(registry_bin, var_dir, "user", "list").stdout
    assert stranger not in users


def test_disabled_user_cannot_sign_in(front, registry_bin, var_dir):
    url, _, user, _, _ = front
    s, r = sign_in(url, user)
    assert r.status_code == 200
    assert run_bin(registry_bin, var_dir, "user", "disable",
                   user).returncode == 0
    try:
        _, r = sign_in(url, user)
        assert r.status_code == 403 and "disabled" in r.text
        # the session of the earlier sign-in is over too
        me = s.get(url + "/api/username/",
                   headers={"Accept": "application/json"})
        assert me.status_code == 403
    finally:
        run_bin(registry_bin, var_dir, "user", "enable", user)


@pytest.mark.parametrize("header", ["Remote-User", "X-Remote-User",
                                    "X-Forwarded-User", "REMOTE_USER"])
def test_client_headers_are_never_a_sign_in(front, header):
    _, open_url, user, _, _ = front
    r = requests.get(open_url + "/get-token", headers={header: user})
    assert r.status_code == 403 and "Not signed in" in r.text
    assert "accesstoken" not in r.text


def test_sign_in_behind_nginx_auth_basic(front):
    _, _, user, stranger, url = front
    assert requests.get(url + "/get-token").status_code == 401
    assert requests.get(url + "/get-token",
                        auth=(user, "wrong")).status_code == 401
    s, r = sign_in(url, user)
    assert r.status_code == 200, r.text
    token = page_token(r)
    r = requests.get(url + "/api/username/",
                     headers={"Authorization": f"token {token}"})
    assert r.json() == {"username": user}
    # the session works through nginx as well
    assert s.get(url + "/api/username/?format=json").json() == \
        {"username": user}
    assert sign_in(url, stranger)[1].status_code == 403


def test_session_cookie_attributes(front):
    url, _, user, _, _ = front
    _, r = sign_in(url, user)
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("registry_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    _, r = sign_in(url, user)
    r = requests.get(url + "/get-token", auth=(user, "secret-" + user),
                     headers={"X-Forwarded-Proto": "https"})
    assert "; Secure" in r.headers["Set-Cookie"]


def test_cross_site_page_cannot_replace_a_token(front):
    url, _, user, _, _ = front
    r = requests.head(url + "/get-token", auth=(user, "secret-" + user))
    assert r.status_code == 405 and "Set-Cookie" not in r.headers
    r = requests.get(url + "/get-token", auth=(user, "secret-" + user),
                     headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403 and "accesstoken" not in r.text


def test_auth_provider(front, base_url):
    url, _, _, _, _ = front
    r = requests.get(url + "/api/auth-provider/",
                     headers={"Accept": "application/json"})
    assert (r.status_code, r.text) == (200, '{"auth_provider": "Apache"}')
    # what the fair CLI asks: urljoin(api, "auth-provider"), no slash
    r = requests.get(url + "/api/auth-provider",
                     headers={"Accept": "application/json"})
    assert r.json() == {"auth_provider": "Apache"}
    # sign-in is off on the plain test instance: no provider, no page
    r = requests.get(f"{base_url}/api/auth-provider/?format=json")
    assert r.json() == {"auth_provider": ""}
    assert requests.get(f"{base_url}/get-token").status_code == 404
