"""measure.py - the measurements of `make bench`, on an instance that
bench.sh has brought up and loaded.

    measure.py VAR PORT STATIC_PORT LABEL [SCENARIO,...]

Runs each scenario with wrk (or pgbench for the database ceilings) for
BENCH_SECONDS at BENCH_CONNECTIONS connections, samples the CPU time of
the server processes around each run, prints the table and writes it to
VAR/bench/results-LABEL.json. Without a scenario list it runs them all.

Server CPU is read from /proc/<pid>/stat of the master processes (nginx,
the registry, the postmaster) and their children: utime + stime of each,
plus the master's cutime + cstime, which holds the time of children that
exited and were reaped during the run (pgbench's backends). The ceilings
reuse the registry's own SQL: a probe logs every statement the registry
runs for a few requests of S1, S2, S3, S6 and S7 (log_statement = all) and
turns those of S1, S3 and S6 into pgbench scripts, so L2, L2l and L3 always
measure what the registry currently sends. The same log gives the
statements per request.
"""

import glob
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = 2
POOL = 1000  # request paths per scenario
PROBES = 10  # requests per scenario when counting statements
HZ = os.sysconf("SC_CLK_TCK")

# name, what it does, its ceiling (for the ratio), kind
SCENARIOS = [
    ("S1", "GET an object's detail", "L2", "http"),
    ("L1", "nginx: the S1 bodies as static files", None, "static"),
    ("L2", "pgbench: S1's statement (single row)", None, "pg"),
    ("S2", "GET a code run's detail", "L2", "http"),
    ("S3", "GET data_product list, first page", "L2l", "http"),
    ("L2l", "pgbench: S3's statement (list page)", None, "pg"),
    ("S4", "GET data_product ?namespace=&name=glob", None, "http"),
    ("S5", "GET object_component ?object=", None, "http"),
    ("S7", "GET prov-report of a data product", None, "http"),
    ("S8", "OPTIONS code_run with a token", "S1", "http"),
    ("W1", "GET code_run list (100) as JSON", None, "http"),
    ("W2", "GET the same list as the browsable API", "W1", "http"),
    ("S6", "POST an object", "L3", "http"),
    ("L3", "pgbench: S6's writes, one transaction", None, "pg"),
]


def die(msg):
    raise SystemExit(f"measure.py: {msg}")


# ---- the instance --------------------------------------------------------

class Instance:
    def __init__(self, var, port, static_port):
        self.var = os.path.abspath(var)
        self.port, self.static_port = port, static_port
        self.host = f"127.0.0.1:{port}"
        self.base = f"http://{self.host}"
        self.token = open(f"{self.var}/token").read().strip()
        self.env = dict(os.environ)
        for line in open(f"{self.var}/env"):
            k, _, v = line.strip().partition("=")
            if k:
                self.env[k] = v
        self.out = f"{self.var}/bench"
        os.makedirs(self.out, exist_ok=True)
        self.pglog = f"{self.var}/log/postgresql.log"

    def psql(self, *sql):
        cmd = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        for s in sql:
            cmd += ["-c", s]
        r = subprocess.run(cmd, env=self.env, capture_output=True,
                           text=True)
        if r.returncode:
            die(f"psql {sql}: {r.stderr.strip()}")
        return r.stdout.strip()

    def pid_of(self, path):
        try:
            return int(open(path).readline().strip())
        except (OSError, ValueError):
            die(f"no pid in {path}: is the instance up?")

    def masters(self):
        """The server process trees of the registry's stack."""
        return {"nginx": self.pid_of(f"{self.var}/run/nginx.pid"),
                "registry": self.pid_of(f"{self.var}/run/registry.pid"),
                "postgres": self.pid_of(f"{self.var}/pg/postmaster.pid")}

    def static_master(self):
        return self.pid_of(f"{self.out}/static/nginx.pid")


def proc_stat(pid):
    """(ppid, utime+stime, cutime+cstime) in clock ticks, or None."""
    try:
        s = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None
    f = s[s.rindex(")") + 2:].split()
    return int(f[1]), int(f[11]) + int(f[12]), int(f[13]) + int(f[14])


def children(pid):
    out = []
    for p in glob.glob("/proc/[0-9]*/stat"):
        n = int(p.split("/")[2])
        st = proc_stat(n)
        if st and st[0] == pid:
            out.append(n)
    return out


def tree_ticks(pid):
    """CPU ticks of a master, its live children and its reaped ones."""
    st = proc_stat(pid)
    if not st:
        die(f"process {pid} is gone")
    total = st[1] + st[2]
    for c in children(pid):
        cs = proc_stat(c)
        if cs:
            total += cs[1]
    return total


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def shares_kib(pid):
    """(PSS, private) in KiB: the process's share of every page it maps,
    shared pages divided among their users, and the pages only it uses.
    A worker is started with exec (a reload may bring a new binary), so
    its RSS counts every page of the libraries it touched, which it
    shares with the master and the other workers; PSS is what one more
    worker costs, private what it costs at least."""
    pss = private = 0
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            k, _, v = line.partition(":")
            if k == "Pss":
                pss = int(v.split()[0])
            elif k in ("Private_Clean", "Private_Dirty"):
                private += int(v.split()[0])
    except OSError:
        pass
    return pss, private


# ---- HTTP ----------------------------------------------------------------

def http_req(inst, method, path, token=False, body=None):
    c = http.client.HTTPConnection("127.0.0.1", inst.port, timeout=30)
    h = {"Host": inst.host}
    if token:
        h["Authorization"] = f"token {inst.token}"
    if body is not None:
        h["Content-Type"] = "application/json"
    c.request(method, path, body, h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


# ---- what to request -----------------------------------------------------

def existing_ids(inst, table):
    ids = [int(x) for x in inst.psql(f"SELECT id FROM {table} ORDER BY id")
           .split()]
    if not ids:
        die(f"{table} is empty: was the registry loaded?")
    return ids


def plan(inst):
    """Request paths, bodies and id ranges of every scenario (a fixed seed:
    the same registry gives the same requests). Ids are drawn from the
    records that exist: a failed write leaves a gap in a sequence."""
    rnd = random.Random(1)
    obj = existing_ids(inst, "object")
    run = existing_ids(inst, "code_run")
    dp = existing_ids(inst, "data_product")
    ns = [int(x) for x in inst.psql(
        "SELECT id FROM namespace WHERE name LIKE 'bench-ns%' "
        "ORDER BY id").split()]
    runs = len(run)
    ft = inst.psql("SELECT id FROM file_type WHERE extension = 'csv'")
    loc = inst.psql("SELECT min(id) FROM storage_location")

    def ids(pool):
        return [rnd.choice(pool) for _ in range(POOL)]

    groups = max(1, runs // 100)  # name prefixes of 100 runs each
    p = {
        "S1": [f"/api/object/{i}/" for i in ids(obj)],
        "S2": [f"/api/code_run/{i}/" for i in ids(run)],
        "S3": ["/api/data_product/"],
        "S4": [f"/api/data_product/?namespace={rnd.choice(ns)}&name="
               f"model/run-{rnd.randrange(groups):04d}*/output-*"
               for _ in range(POOL)],
        "S5": [f"/api/object_component/?object={i}" for i in ids(obj)],
        "S6": ["/api/object/"],
        "S7": [f"/api/prov-report/{i}/" for i in ids(dp)],
        "S8": ["/api/code_run/"],
        "W1": ["/api/code_run/"],
        "W2": ["/api/code_run/?format=api"],
    }
    body = json.dumps({
        "description": "an object posted by make bench",
        "file_type": f"{inst.base}/api/file_type/{ft}/",
        "storage_location": f"{inst.base}/api/storage_location/{loc}/"})
    return {"paths": p, "body": body,
            "ranges": {"S1": (obj[0], obj[-1])}}


HTTP = {  # method, token
    "S1": ("GET", False), "S2": ("GET", False), "S3": ("GET", False),
    "S4": ("GET", False), "S5": ("GET", False), "S6": ("POST", True),
    "S7": ("GET", False), "S8": ("OPTIONS", True),
    "W1": ("GET", False), "W2": ("GET", False),
}


# ---- statement log: counts and the SQL for pgbench ------------------------

LOG_LINE = re.compile(r"^\S+ \S+ \S+ \[\d+\] (\S*): ([A-Z]+):  (.*)$")


def read_statements(inst, start, end):
    """The registry's statements in the server log between two offsets:
    [[sql, {param number: value}], ...]. A statement that spans lines
    continues on lines without the prefix."""
    with open(inst.pglog, "rb") as f:
        f.seek(start)
        lines = f.read(end - start).decode(errors="replace").splitlines()
    stmts, ours = [], False
    for line in lines:
        m = LOG_LINE.match(line)
        if not m:
            if ours and stmts and line.startswith("\t"):
                stmts[-1][0] += "\n" + line[1:]
            continue
        ours = False
        if m.group(1) != "registry":
            continue
        if m.group(2) == "LOG":
            mm = re.match(r"(?:execute [^:]+|statement): (.*)", m.group(3))
            if mm:
                stmts.append([mm.group(1), {}])
                ours = True
        elif m.group(2) == "DETAIL" and stmts and \
                m.group(3).startswith("parameters: "):
            stmts[-1][1] = parse_params(m.group(3)[12:])
    return stmts


class StatementLog:
    """With this, PostgreSQL logs every statement (log_statement = all) and
    names the application on each line, so the registry's are told apart.
    Statements are logged as they start, so once a request's answer has
    arrived, all of its statements are in the log."""

    def __init__(self, inst):
        self.inst = inst

    def __enter__(self):
        self.inst.psql("ALTER SYSTEM SET log_statement = 'all'",
                       "ALTER SYSTEM SET log_line_prefix = '%m [%p] %a: '",
                       "SELECT pg_reload_conf()")
        time.sleep(0.5)
        # idle workers pick up the new settings with their next statement
        for _ in range(20):
            http_req(self.inst, "GET", "/api/")
        time.sleep(0.2)
        return self

    def request(self, method, path, token=False, body=None):
        """(status, body, statements) of one request."""
        start = os.path.getsize(self.inst.pglog)
        st, data = http_req(self.inst, method, path, token, body)
        time.sleep(0.01)
        end = os.path.getsize(self.inst.pglog)
        return st, data, read_statements(self.inst, start, end)

    def __exit__(self, *exc):
        self.inst.psql("ALTER SYSTEM RESET log_statement",
                       "ALTER SYSTEM RESET log_line_prefix",
                       "SELECT pg_reload_conf()")


def probe(inst, pl):
    """Runs PROBES requests of S1, S2, S3, S6 and S7 with every statement
    logged. Returns {scenario: (statements per request, [(sql, params)] of
    the first request, status of the first request, created id)}."""
    res = {}
    with StatementLog(inst) as log:
        for sc in ("S1", "S2", "S3", "S6", "S7"):
            method, token = HTTP[sc]
            body = pl["body"] if method == "POST" else None
            paths = pl["paths"][sc]
            total, first = 0, None
            for k in range(PROBES):
                st, data, stmts = log.request(
                    method, paths[k % len(paths)], token, body)
                total += len(stmts)
                if first is None:
                    created = None
                    if st == 201:
                        created = json.loads(data)["url"].rstrip(
                            "/").rsplit("/", 1)[1]
                    first = (stmts, st, created)
            res[sc] = (total / PROBES,) + first
    return res


def parse_params(text):
    """"$1 = '5', $2 = NULL" -> {1: '5', 2: None}"""
    out = {}
    for m in re.finditer(r"\$(\d+) = (NULL|'((?:[^']|'')*)')", text):
        out[int(m.group(1))] = None if m.group(2) == "NULL" else \
            m.group(3).replace("''", "'")
    return out


def literal(v):
    return "NULL" if v is None else "'" + v.replace("'", "''") + "'"


UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                  r"[0-9a-f]{12}$")


def to_pgbench(sql, params, var_for):
    """$N becomes :var when var_for(value) names one, a fresh uuid when it
    is a uuid (the registry makes one per new record), else a literal."""
    def sub(m):
        v = params.get(int(m.group(1)))
        var = var_for(v)
        if var:
            return f":{var}"
        if v and UUID.match(v):
            return "gen_random_uuid()"
        return literal(v)
    return re.sub(r"\$(\d+)\b", sub, sql)


def pg_scripts(inst, pl, pr):
    """pgbench scripts for L2, L2l and L3 from the probed SQL."""
    scripts = {}

    def read_script(sc, key, rng):
        per, stmts, status, _ = pr[sc]
        reads = [(s, p) for s, p in stmts if s.startswith("SELECT")
                 and "FROM tokens" not in s]
        if status != 200 or not reads:
            die(f"{sc} did not answer 200 with a SELECT ({status})")
        sql, params = reads[0]
        first_id = pl["paths"][sc][0].rstrip("/").rsplit("/", 1)[1]
        text = to_pgbench(sql, params,
                          lambda v: "id" if rng and v == first_id else None)
        head = f"\\set id random({rng[0]}, {rng[1]})\n" if rng else ""
        scripts[key] = head + text + ";\n"

    read_script("S1", "L2", pl["ranges"]["S1"])
    read_script("S3", "L2l", None)

    # L3: the statements between BEGIN and COMMIT of one POST; the first
    # returns the new id, which the later ones receive as a parameter.
    per, stmts, status, created = pr["S6"]
    # the registry's BEGIN also asks for the transaction's id, in the same
    # round trip (src/db.c)
    texts = ["BEGIN" if s.startswith("BEGIN;") else s for s, _ in stmts]
    if status != 201 or "BEGIN" not in texts or "COMMIT" not in texts:
        die(f"S6 did not answer 201 in one transaction ({status})")
    body = stmts[texts.index("BEGIN") + 1:texts.index("COMMIT")]
    lines = ["BEGIN;"]
    for n, (sql, params) in enumerate(body):
        text = to_pgbench(sql, params,
                          lambda v: "id" if n and v == created else None)
        lines.append(text + (" \\gset" if n == 0 else ";"))
    lines.append("END;")
    if "RETURNING id" not in body[0][0]:
        die(f"S6's first write does not return the id: {body[0][0]}")
    scripts["L3"] = "\n".join(lines) + "\n"
    for k, s in scripts.items():
        with open(f"{inst.out}/{k}.sql", "w") as f:
            f.write(s)
    return scripts


# ---- the static ceiling ----------------------------------------------------

STATIC_CONF = """# nginx serving the S1 bodies as files: the L1 ceiling of make bench,
# with the registry nginx's settings (logging included).
{user}worker_processes {procs};
daemon on;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
	default_type application/json;
	access_log {d}/access.log combined buffer=64k flush=1s;
	client_body_temp_path {d}/tmp/body;
	fastcgi_temp_path {d}/tmp/fastcgi;
	proxy_temp_path {d}/tmp/proxy;
	scgi_temp_path {d}/tmp/scgi;
	uwsgi_temp_path {d}/tmp/uwsgi;
	sendfile on;
	tcp_nopush on;
	keepalive_timeout 65;
	keepalive_requests 1000;
	server_tokens off;
	server {{
		listen 127.0.0.1:{port};
		root {d}/www;
		index body.json;
	}}
}}
"""


def static_up(inst, pl):
    d = f"{inst.out}/static"
    static_down(inst)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(f"{d}/tmp")
    for path in set(pl["paths"]["S1"]):
        st, data = http_req(inst, "GET", path)
        if st != 200:
            die(f"GET {path}: {st}")
        os.makedirs(f"{d}/www{path}", exist_ok=True)
        with open(f"{d}/www{path}body.json", "wb") as f:
            f.write(data)
    user = "user root;\n" if os.getuid() == 0 else ""
    # as many worker processes as the registry's nginx runs
    conf = open(f"{inst.var}/nginx/nginx.conf").read()
    procs = re.search(r"^worker_processes (\w+);", conf, re.M).group(1)
    with open(f"{d}/nginx.conf", "w") as f:
        f.write(STATIC_CONF.format(d=d, port=inst.static_port, user=user,
                                   procs=procs))
    subprocess.run(["/usr/sbin/nginx", "-p", d, "-c", f"{d}/nginx.conf",
                    "-e", f"{d}/error.log"], check=True)


def static_down(inst):
    pidfile = f"{inst.out}/static/nginx.pid"
    if os.path.exists(pidfile):
        subprocess.run(["/usr/sbin/nginx", "-p", f"{inst.out}/static",
                        "-c", f"{inst.out}/static/nginx.conf", "-s",
                        "stop"], capture_output=True)
        for _ in range(50):
            if not os.path.exists(pidfile):
                break
            time.sleep(0.1)


# ---- running one scenario -------------------------------------------------

def run_wrk(inst, sc, pl, port, seconds):
    method, token = HTTP.get(sc, ("GET", False))
    paths = pl["paths"]["S1" if sc == "L1" else sc]
    pfile = f"{inst.out}/{sc}.paths"
    with open(pfile, "w") as f:
        f.write("\n".join(paths) + "\n")
    args = [pfile, method, inst.host, inst.token if token else ""]
    if method == "POST":
        bfile = f"{inst.out}/{sc}.body"
        with open(bfile, "w") as f:
            f.write(pl["body"])
        args.append(bfile)
    cmd = ["wrk", f"-t{THREADS}", f"-c{CONNS}", "--timeout", "10s",
           "-s", f"{HERE}/bench.lua", f"http://127.0.0.1:{port}", "--"]
    r = subprocess.run(cmd[:3] + [f"-d{seconds}s"] + cmd[3:] + args,
                       capture_output=True, text=True)
    js = [l for l in r.stdout.splitlines() if l.startswith("{")]
    if r.returncode or not js:
        die(f"wrk {sc} failed: {r.stdout}{r.stderr}")
    w = json.loads(js[-1])
    secs = w["duration_us"] / 1e6
    return {"requests": w["requests"], "rps": w["requests"] / secs,
            "p50": w["p50_us"] / 1000, "p99": w["p99_us"] / 1000,
            "non2xx": w["non2xx"] + w["socket_errors"]}


def run_pgbench(inst, sc):
    d = f"{inst.out}/pgbench-{sc}"
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    cmd = ["pgbench", "-n", "-M", "prepared", f"-c{CONNS}", f"-j{THREADS}",
           f"-T{SECONDS}", "-l", f"--log-prefix={d}/log",
           "-f", f"{inst.out}/{sc}.sql"]
    r = subprocess.run(cmd, env=inst.env, capture_output=True, text=True)
    m = re.search(r"transactions actually processed: (\d+)", r.stdout)
    tps = re.search(r"tps = ([\d.]+) \(without initial", r.stdout)
    if r.returncode or not m or not tps:
        die(f"pgbench {sc} failed: {r.stdout}{r.stderr}")
    lat = []
    for name in glob.glob(f"{d}/log*"):
        with open(name) as f:
            lat += [int(line.split()[2]) for line in f]
    shutil.rmtree(d)
    lat.sort()
    failed = re.search(r"failed transactions: (\d+)", r.stdout)

    def pct(p):
        return lat[min(len(lat) - 1, int(len(lat) * p / 100))] / 1000
    return {"requests": int(m.group(1)), "rps": float(tps.group(1)),
            "p50": pct(50), "p99": pct(99),
            "non2xx": int(failed.group(1)) if failed else 0}


def measure(inst, sc, kind, pl, warmup):
    if kind == "static":
        trees = {"nginx": inst.static_master()}
    elif kind == "pg":
        trees = {"postgres": inst.masters()["postgres"]}
    else:
        trees = inst.masters()
    port = inst.static_port if kind == "static" else inst.port
    if warmup and kind == "http":
        run_wrk(inst, sc, pl, port, 1)
    before = {k: tree_ticks(p) for k, p in trees.items()}
    if kind == "pg":
        res = run_pgbench(inst, sc)
    else:
        res = run_wrk(inst, sc, pl, port, SECONDS)
    time.sleep(0.3)  # let the postmaster reap pgbench's backends
    n = max(1, res["requests"])
    res["cpu"] = {k: (tree_ticks(p) - before[k]) * 1000 / HZ / n
                  for k, p in trees.items()}
    res["cpu_ms"] = sum(res["cpu"].values())
    return res


# ---- the report -------------------------------------------------------------

def memory(inst):
    master = inst.masters()["registry"]
    workers = sorted(children(master))
    shares = [shares_kib(p) for p in workers]
    return {"master": rss_kib(master),
            "workers": [rss_kib(p) for p in workers],
            "workers_pss": [x[0] for x in shares],
            "workers_private": [x[1] for x in shares]}


def report(label, results, stmts, mem, notes):
    print(f"\nmake bench ({label}): {CONNS} connections, {SECONDS} s each")
    head = (f"{'':4} {'scenario':40} {'req/s':>8} {'p50 ms':>7} "
            f"{'p99 ms':>7} {'non2xx':>6} {'CPU ms':>7} {'SQL':>4} "
            f"{'ratio':>13}  CPU: nginx/registry/postgres")
    print(head)
    print("-" * len(head))
    for sc, what, ceil, _ in SCENARIOS:
        r = results.get(sc)
        if not r:
            continue
        ratio = ""
        if ceil and ceil in results:
            ratio = f"{100 * r['rps'] / results[ceil]['rps']:5.1f}% of {ceil}"
        s = stmts.get(sc)
        print(f"{sc:4} {what:40} {r['rps']:8.0f} {r['p50']:7.2f} "
              f"{r['p99']:7.2f} {r['non2xx']:6d} {r['cpu_ms']:7.3f} "
              f"{'' if s is None else format(s, 'g'):>4} {ratio:>13}  "
              + "/".join(f"{r['cpu'][k]:.3f}" if k in r["cpu"] else "-"
                         for k in ("nginx", "registry", "postgres")))
    for n in notes:
        print(f"note: {n}")
    if mem:
        w = mem["workers"]
        print(f"resident memory after the run: master {mem['master']} KiB, "
              f"{len(w)} workers " + ", ".join(f"{k} KiB" for k in w))
        print("  workers' proportional share (PSS): "
              + ", ".join(f"{k} KiB" for k in mem["workers_pss"])
              + "; private: "
              + ", ".join(f"{k} KiB" for k in mem["workers_private"]))


def targets(results, mem):
    """The issue's targets that this run can check: (text, ok or None)."""
    r = results
    out = []

    def ratio(a, b, want, text):
        if a in r and b in r:
            v = r[a]["rps"] / r[b]["rps"]
            out.append((f"{text}: {100 * v:.0f}% (want >= {100 * want:.0f}%)",
                        v >= want))
    ratio("S1", "L2", 0.33, "S1 / L2 single-row")
    ratio("S2", "L2", 0.33, "S2 / L2 single-row")
    ratio("S3", "L2l", 0.50, "S3 / L2 list")
    ratio("S6", "L3", 0.50, "S6 / L3 writes")
    ratio("S8", "S1", 1.0, "S8 / S1")
    if all(k in r for k in ("S1", "L1", "L2")):
        lim = 4 * (r["L1"]["cpu_ms"] + r["L2"]["cpu_ms"])
        out.append((f"S1 CPU {r['S1']['cpu_ms']:.3f} ms <= 4 x (L1 + L2) = "
                    f"{lim:.3f} ms", r["S1"]["cpu_ms"] <= lim))
    if "W1" in r and "W2" in r:  # issue 7: HTML within 1.5x of its JSON
        lim = 1.5 * r["W1"]["cpu_ms"]
        out.append((f"W2 (HTML) CPU {r['W2']['cpu_ms']:.3f} ms <= 1.5 x W1 "
                    f"(JSON) = {lim:.3f} ms", r["W2"]["cpu_ms"] <= lim))
    for sc in ("S1", "S2", "S3", "S4", "S5"):
        if sc in r:
            out.append((f"{sc} p99 {r[sc]['p99']:.1f} ms < 20 ms",
                        r[sc]["p99"] < 20))
    bad = {sc: v["non2xx"] for sc, v in r.items() if v["non2xx"]}
    out.append((f"non-2xx: {bad or 'none'}", not bad))
    if mem:  # what one more worker costs: its PSS (see shares_kib)
        big = max(mem["workers_pss"] or [0])
        rss = max(mem["workers"] or [0])
        out.append((f"largest worker {big} KiB PSS (RSS {rss} KiB) < 8192 "
                    "KiB", big < 8192))
    return out


def main():
    if len(sys.argv) not in (5, 6):
        die(__doc__)
    inst = Instance(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
    label = sys.argv[4]
    only = sys.argv[5].split(",") if len(sys.argv) == 6 else None
    warmup = os.environ.get("BENCH_WARMUP", "1") != "0"

    pl = plan(inst)
    notes = []
    st, _ = http_req(inst, "GET", pl["paths"]["S7"][0])
    prov = st == 200
    if not prov:
        notes.append(f"S7 skipped: GET /api/prov-report/<id>/ answers {st} "
                     "(not served yet)")
    pr = probe(inst, pl)
    stmts = {sc: v[0] for sc, v in pr.items() if sc != "S7" or prov}
    pg_scripts(inst, pl, pr)
    if not only or "L1" in only:
        static_up(inst, pl)
    results = {}
    try:
        for sc, _, _, kind in SCENARIOS:
            if (only and sc not in only) or (sc == "S7" and not prov):
                continue
            print(f"  {sc} ...", file=sys.stderr, flush=True)
            results[sc] = measure(inst, sc, kind, pl, warmup)
    finally:
        static_down(inst)
    mem = memory(inst)
    report(label, results, stmts, mem, notes)
    ok = targets(results, mem)
    print("targets:")
    for text, good in ok:
        print(f"  [{'ok' if good else 'MISS'}] {text}")
    with open(f"{inst.out}/results-{label}.json", "w") as f:
        json.dump({"label": label, "seconds": SECONDS, "connections": CONNS,
                   "results": results, "statements": stmts, "memory": mem,
                   "notes": notes, "targets": ok}, f, indent=1)


if __name__ == "__main__":
    main()
