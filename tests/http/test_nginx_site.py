"""nginx/registry-site.conf, the site file for a real server's
/etc/nginx/sites-available/ (issue 12, item 5): included by a wrapper
nginx.conf as Debian's own includes sites-enabled/, with its installed
paths replaced by the test instance's and its port 80 by a spare one, it
passes `nginx -t` and answers through the test instance's worker pool."""

import os
import signal
import subprocess
import time

import requests

from test_data import env_of

INSTALLED = "/usr/local/share/registry/static/"


def test_site_file_checks_and_answers(var_dir, root_dir, spare_ports):
    port = spare_ports[5]
    home = var_dir / "nginx-site"
    (home / "log").mkdir(parents=True, exist_ok=True)
    site = (root_dir / "nginx" / "registry-site.conf").read_text()
    for installed, ours in {
            "listen 80;": f"listen 127.0.0.1:{port};",
            "listen [::]:80;": "",
            "/run/registry/registry.sock":
                str(var_dir / "run" / "registry.sock"),
            INSTALLED: f"{root_dir}/src/web/static/",
            "/var/lib/registry": env_of(var_dir)[
                "REGISTRY_DATA_DIR"],
            "/var/log/nginx/": f"{home}/log/"}.items():
        assert installed in site, installed
        site = site.replace(installed, ours)
    (home / "registry").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (home / "nginx.conf").write_text(
        f"{user}pid {home}/nginx.pid;\nerror_log {home}/log/error.log;\n"
        "events {}\nhttp {\n"
        + "".join(f"\t{t}_temp_path {home}/{t};\n"
                  for t in ("client_body", "fastcgi", "proxy", "scgi",
                            "uwsgi"))
        + f"\tinclude {home}/registry;\n}}\n")
    nginx = ["/usr/sbin/nginx", "-p", str(home), "-c",
             str(home / "nginx.conf"), "-e", str(home / "log/error.log")]
    check = subprocess.run(nginx + ["-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    subprocess.run(nginx, check=True)
    try:
        for _ in range(100):
            if (home / "nginx.pid").exists():
                break
            time.sleep(0.1)
        r = requests.get(f"http://127.0.0.1:{port}/api/",
                         headers={"Host": "registry.example.org"})
        assert r.status_code == 200, r.text
        assert r.json()["author"] == "http://registry.example.org/api/author/"
        r = requests.get(f"http://127.0.0.1:{port}/static/registry.css")
        assert r.status_code == 200
        assert r.headers["Content-Type"].startswith("text/css")
    finally:
        os.kill(int((home / "nginx.pid").read_text()), signal.SIGQUIT)
