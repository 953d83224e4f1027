"""Helpers of the scaling tests (test_pools.py, test_replica.py): extra
registry pools and an nginx in front of them, all on the run's spare
ports, from the repository's own nginx template."""

import os
import signal
import socket
import subprocess
import time


def env_of(var_dir, **extra):
    env = dict(os.environ)
    for line in (var_dir / "env").read_text().splitlines():
        k, _, v = line.partition("=")
        if k:
            env[k] = v
    env.update(extra)
    return env


def start_pool(registry_bin, var_dir, work, name, listen, *args, env=None):
    """`registry serve` with two workers on listen (HOST:PORT or a path),
    in its own process group, logging to work/NAME.log."""
    log = open(work / f"{name}.log", "ab")
    return subprocess.Popen(
        [str(registry_bin), "serve", "--listen", str(listen), "--workers",
         "2", *args],
        env=env or env_of(var_dir), stdin=subprocess.DEVNULL, stdout=log,
        stderr=log, start_new_session=True)


def wait_port(port, seconds=15):
    end = time.time() + seconds
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


def wait_path(path, seconds=15):
    end = time.time() + seconds
    while time.time() < end and not os.path.exists(path):
        time.sleep(0.1)
    assert os.path.exists(path), f"{path} did not appear"


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


def nginx_front(root_dir, work, port, data_dir, upstream, keep_conn):
    """Renders nginx/registry.conf.in into work/nginx and starts it;
    returns the command line that controls it (add -s quit)."""
    for d in ("log", "run", "nginx/tmp"):
        (work / d).mkdir(parents=True, exist_ok=True)
    conf = (root_dir / "nginx" / "registry.conf.in").read_text()
    for k, v in {"@VAR@": str(work), "@ROOT@": str(root_dir),
                 "@PORT@": str(port), "@ADDRESS@": "127.0.0.1",
                 "@PROCESSES@": "1", "@UPSTREAM@": upstream,
                 "@KEEP_CONN@": "on" if keep_conn else "off",
                 "@DATA@": data_dir, "@PREFIX@": ""}.items():
        conf = conf.replace(k, v)
    conf = "\n".join(line for line in conf.splitlines()
                     if not line.startswith("user "))
    (work / "nginx" / "nginx.conf").write_text(conf)
    nginx = ["/usr/sbin/nginx", "-p", str(work / "nginx"), "-c",
             str(work / "nginx" / "nginx.conf"), "-e",
             str(work / "log" / "nginx-error.log")]
    subprocess.run(nginx, check=True, timeout=30)
    wait_port(port)
    return nginx
