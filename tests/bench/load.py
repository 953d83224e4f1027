"""load.py - loads the synthetic registry of shape.py through the API.

    load.py URL TOKEN RUNS [JOBS]

POSTs every record as a client would, on keep-alive connections. Chains of
runs are independent of each other, so JOBS processes (default 4) load
whole chains side by side; a chain's runs go in order, since each reads the
previous one's output. Stops at the first answer that is not 201.
"""

import http.client
import json
import multiprocessing
import sys
import time
import urllib.parse

import shape


class Client:
    def __init__(self, url, token):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port or 80
        self.headers = {"Authorization": f"token {token}",
                        "Content-Type": "application/json"}
        self.conn = None

    def post(self, resource, body):
        data = json.dumps(body)
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port)
            try:
                self.conn.request("POST", f"/api/{resource}/", data,
                                  self.headers)
                resp = self.conn.getresponse()
                text = resp.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError,
                    ConnectionResetError):
                # nginx closed an idle keep-alive connection before the
                # request went out: nothing was written, so send it again
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        if resp.will_close:
            self.conn.close()
            self.conn = None
        if resp.status != 201:
            raise SystemExit(f"load.py: POST {resource} {data}: "
                             f"{resp.status} {text[:300]!r}")
        return json.loads(text)["url"]


def resolve(fields, urls):
    def one(v):
        return urls[v.key] if isinstance(v, shape.Ref) else v
    return {k: [one(x) for x in v] if isinstance(v, list) else one(v)
            for k, v in fields.items()}


def create(client, records, urls):
    for key, resource, fields in records:
        urls[key] = client.post(resource, resolve(fields, urls))


def load_chains(args):
    url, token, shared_urls, chains, runs = args
    client = Client(url, token)
    n = 0
    for c in chains:
        urls = dict(shared_urls)  # a chain only refers to its own runs
        for i in range(c * shape.CHAIN, min((c + 1) * shape.CHAIN, runs)):
            records = shape.run(i)
            create(client, records, urls)
            n += len(records)
    return n


def main():
    if len(sys.argv) not in (4, 5):
        raise SystemExit(__doc__)
    url, token, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    jobs = int(sys.argv[4]) if len(sys.argv) == 5 else 4
    start = time.monotonic()
    shared_urls = {}
    create(Client(url, token), shape.shared(), shared_urls)
    nchains = (runs + shape.CHAIN - 1) // shape.CHAIN
    work = [(url, token, shared_urls, list(range(j, nchains, jobs)), runs)
            for j in range(jobs)]
    with multiprocessing.Pool(jobs) as pool:
        n = sum(pool.map(load_chains, work)) + len(shared_urls)
    secs = time.monotonic() - start
    print(f"loaded {runs} code runs: {n} records through the API in "
          f"{secs:.0f} s ({n / secs:.0f} POSTs/s)")


if __name__ == "__main__":
    main()
