"""Debian's apache2 started for a test: its own ServerRoot, pid file, logs
and locks under one directory, listening on loopback ports, with the modules
a test names loaded from /usr/lib/apache2/modules. Nothing system-wide is
read or written (no /etc/apache2)."""

import os
import pwd
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

MODULES = "/usr/lib/apache2/modules"
# always loaded: the prefork MPM runs mod_cgi, mod_fcgid and mod_proxy_fcgi
# alike
BASE_MODULES = ["mpm_prefork", "authz_core", "authz_host", "mime",
                "alias", "dir", "env", "headers", "setenvif"]


def _wait_port(port, proc, log, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        if proc.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"apache2 did not listen on {port}:\n"
                         + (log.read_text() if log.exists() else ""))


@contextmanager
def apache(home, ports, site, modules=()):
    """Runs apache2 with `site` (config text) after a server config that
    listens on every port of `ports`; yields home (logs in home/log). A
    missing apache2 is an error, not a skip."""
    apache2 = shutil.which("apache2") or "/usr/sbin/apache2"
    assert os.path.exists(apache2), \
        "apache2 is missing: install the apache2 package (make deps)"
    home = Path(home)
    for d in ("log", "run", "lock"):
        (home / d).mkdir(parents=True, exist_ok=True)
    lines = [f'ServerRoot "{home}"', "ServerName 127.0.0.1",
             f'PidFile "{home}/run/apache2.pid"',
             f'DefaultRuntimeDir "{home}/run"',
             f'Mutex file:{home}/lock default',
             f'ErrorLog "{home}/log/error.log"', "LogLevel warn",
             'LogFormat "%h %l %u %t \\"%r\\" %>s %b" common',
             f'CustomLog "{home}/log/access.log" common',
             "TypesConfig /etc/mime.types",
             "StartServers 2", "MinSpareServers 1", "MaxSpareServers 4",
             "Timeout 30", "KeepAlive On"]
    for m in BASE_MODULES + list(modules):
        so = f"{MODULES}/mod_{m}.so"
        assert os.path.exists(so), f"{so} is missing (Debian package " \
            "apache2, or libapache2-mod-fcgid for fcgid)"
        lines.append(f"LoadModule {m}_module {so}")
    if os.geteuid() == 0:
        # Apache will not run its children as root
        lines += ["User www-data", "Group www-data"]
        pw = pwd.getpwnam("www-data")
        for d in ("run", "lock"):
            os.chown(home / d, pw.pw_uid, pw.pw_gid)
    lines += [f"Listen 127.0.0.1:{p}" for p in ports]
    lines += ["<Directory />", "\tAllowOverride None",
              "\tRequire all denied", "</Directory>"]
    conf = home / "httpd.conf"
    conf.write_text("\n".join(lines) + "\n\n" + site)
    check = subprocess.run([apache2, "-f", str(conf), "-t"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    log = home / "log" / "error.log"
    # its own session: on the way down Apache signals its whole process
    # group, which would otherwise be pytest's
    proc = subprocess.Popen([apache2, "-f", str(conf), "-DFOREGROUND"],
                            start_new_session=True,
                            stdout=subprocess.DEVNULL,
                            stderr=open(home / "log" / "stderr.log", "ab"))
    try:
        for p in ports:
            _wait_port(p, proc, log)
        yield home
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
