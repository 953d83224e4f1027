"""A stand-in for the internet while the client scenarios run offline.

The fair CLI checks that an external object's `identifier` (the SEIRS
config's DOI, https://doi.org/...) answers an HTTP GET before it registers
the object, and these machines have no network. run_clients.sh starts this
as an HTTP(S) proxy and sets HTTPS_PROXY/HTTP_PROXY for the clients (with
NO_PROXY covering the registry), so the config keeps its real identifier:
requests to the hosts named on the command line get an empty 200, every
other host a 502, and each request is logged, so the report shows exactly
what the clients tried to reach.

    offline_web.py PORT_FILE LOG_FILE CERT KEY HOST...

HTTPS is answered behind CONNECT with a self-signed certificate (the CLI
does not verify certificates for these checks)."""

import socket
import socketserver
import ssl
import sys
import threading

PORT_FILE, LOG_FILE, CERT, KEY = sys.argv[1:5]
ALLOWED = set(sys.argv[5:])
LOG_LOCK = threading.Lock()


def log(line):
    with LOG_LOCK, open(LOG_FILE, "a", encoding="utf-8") as f:
        f.write(line + "\n")


def read_head(stream):
    """The request line and headers, or None at end of input."""
    lines = []
    while True:
        line = stream.readline(65536)
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            return lines
        lines.append(line.decode("latin-1").rstrip("\r\n"))


def answer(stream, host, request_line):
    allowed = host.split(":")[0] in ALLOWED
    status = "200 OK" if allowed else "502 Bad Gateway"
    log(f"{'answered' if allowed else 'refused'} {host} {request_line}")
    body = b"" if allowed else b"offline: no internet in the client scenarios\n"
    stream.write(f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n"
                 "Connection: close\r\n\r\n".encode() + body)
    stream.flush()


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        head = read_head(self.rfile)
        if not head:
            return
        method, target = head[0].split(" ")[:2]
        if method != "CONNECT":
            # A proxied plain-HTTP request carries the absolute URL.
            host = target.split("/")[2] if "://" in target else "?"
            answer(self.wfile, host, head[0])
            return
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(CERT, KEY)
        try:
            tls = context.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError) as e:
            log(f"tls failed {target}: {e}")
            return
        stream = tls.makefile("rwb")
        inner = read_head(stream)
        if inner:
            answer(stream, target, inner[0])
        stream.close()
        try:
            tls.unwrap()
        except (ssl.SSLError, OSError):
            pass


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    address_family = socket.AF_INET


def main():
    with Server(("127.0.0.1", 0), Handler) as server:
        with open(PORT_FILE, "w", encoding="utf-8") as f:
            f.write(str(server.server_address[1]))
        server.serve_forever()


if __name__ == "__main__":
    main()
