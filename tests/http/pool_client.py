"""A registry worker pool of a test's own, on a unix socket, asked through
libfcgi's cgi-fcgi (the same FastCGI requests nginx would send, without an
nginx per pool). Used where a test runs the registry against a database or
an installation of its own."""

import os
import signal
import subprocess
import time
from pathlib import Path

HOST = "registry.test"


class Pool:
    def __init__(self, argv, env, socket_path, log_path):
        """argv: the binary and its leading arguments (serve is added)."""
        self.socket = str(socket_path)
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(
            [*map(str, argv), "serve", "--listen", self.socket,
             "--workers", "2"],
            env=env, stdin=subprocess.DEVNULL, stdout=self.log,
            stderr=self.log, start_new_session=True)
        for _ in range(300):
            if Path(self.socket).is_socket() or self.proc.poll() is not None:
                break
            time.sleep(0.05)
        assert self.proc.poll() is None and Path(self.socket).is_socket(), \
            Path(log_path).read_text(errors="replace")[-2000:]

    def request(self, method, uri, body=b"", headers=None):
        """(status, header lines, body bytes) of one request."""
        env = {"PATH": os.environ["PATH"], "REQUEST_METHOD": method,
               "REQUEST_URI": uri, "HTTP_HOST": HOST,
               "SERVER_PROTOCOL": "HTTP/1.1",
               "QUERY_STRING": uri.partition("?")[2]}
        if body:
            env["CONTENT_LENGTH"] = str(len(body))
            env["CONTENT_TYPE"] = "application/json"
        for k, v in (headers or {}).items():
            env["HTTP_" + k.upper().replace("-", "_")] = v
        out = subprocess.run(["cgi-fcgi", "-bind", "-connect", self.socket],
                             env=env, input=body, capture_output=True,
                             timeout=60).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        status = int(lines[0].split()[1]) if lines[0].startswith(
            "Status:") else 0
        return status, lines, payload

    def get(self, uri, **kw):
        return self.request("GET", uri, **kw)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)
        self.log.close()
        return self.proc.returncode


def path_of(url):
    """The path and query of one of the pool's own hyperlinks."""
    prefix = f"http://{HOST}"
    assert url.startswith(prefix), url
    return url[len(prefix):]
