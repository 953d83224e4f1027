"""scaleout.py - `make bench`'s scale-out scenario, on the instance that
bench.sh brought up, loaded and measured directly (results-1x.json).

    scaleout.py VAR PORT

Adds a streaming replica (pg_basebackup -R, in VAR/replica) and PgBouncer
in transaction pooling mode (src/stack.sh pgbouncer), restarts the
registry's pool with reads on the replica and writes through PgBouncer,
runs the read scenarios S1, S2 and S3 and the write scenario S6 again, and
compares the CPU per request of every server process (nginx, the
registry, the primary, the replica, PgBouncer) with the direct figures.
Target (issue 16): within 1.25 x of direct. The pool is put back as it
was at the end, the replica and PgBouncer stopped.
"""

import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import measure
from measure import Instance, plan, run_wrk, tree_ticks, HZ, die

PGBIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
ROOT = os.path.abspath(os.path.join(measure.HERE, "..", ".."))
SCENARIOS = [("S1", "GET an object's detail (replica)"),
             ("S2", "GET a code run's detail (replica)"),
             ("S3", "GET data_product list (replica)"),
             ("S6", "POST an object (PgBouncer)")]
TARGET = 1.25
POOL_SIZE = 4  # PgBouncer's server connections: fewer than the workers


def as_pg(*cmd):
    if os.geteuid() == 0:
        cmd = ("runuser", "-u", "postgres", "--") + cmd
    r = subprocess.run(cmd, cwd="/", capture_output=True, text=True)
    if r.returncode:
        die(f"{' '.join(cmd)}: {r.stdout}{r.stderr}")
    return r


def make_replica(inst, port):
    d = f"{inst.var}/replica"
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(f"{d}/pg", mode=0o700)
    os.makedirs(f"{d}/sock", mode=0o700)
    open(f"{d}/replica.log", "w").close()
    if os.geteuid() == 0:
        for p in (f"{d}/pg", f"{d}/sock", f"{d}/replica.log"):
            shutil.chown(p, "postgres")
        os.chmod(d, 0o755)
    as_pg(f"{PGBIN}/pg_basebackup", "-h", f"{inst.var}/run", "-p", "5432",
          "-U", "registry", "-D", f"{d}/pg", "-R", "-X", "stream", "-c",
          "fast")
    with open(f"{d}/pg/stack.conf", "w") as f:  # replaces the primary's
        f.write(f"listen_addresses = ''\nport = {port}\n"
                f"unix_socket_directories = '{d}/sock'\n")
    if os.geteuid() == 0:
        shutil.chown(f"{d}/pg/stack.conf", "postgres")
    as_pg(f"{PGBIN}/pg_ctl", "-D", f"{d}/pg", "-l", f"{d}/replica.log",
          "-w", "-t", "120", "start")
    return d, f"host={d}/sock port={port} dbname=registry user=registry"


def stop_replica(d):
    if os.path.exists(f"{d}/pg/postmaster.pid"):
        as_pg(f"{PGBIN}/pg_ctl", "-D", f"{d}/pg", "-m", "fast", "-w",
              "stop")


def restart_pool(inst, extra):
    """The registry's master again, with extra settings in its
    environment (as src/stack.sh starts it)."""
    pidfile, sock = f"{inst.var}/run/registry.pid", f"{inst.var}/run/registry.sock"
    pid = int(open(pidfile).read())
    os.kill(pid, signal.SIGTERM)
    for _ in range(300):
        if not os.path.exists(f"/proc/{pid}"):
            break
        time.sleep(0.1)
    env = dict(inst.env, **extra)
    log = open(f"{inst.var}/log/registry.log", "ab")
    subprocess.Popen([f"{ROOT}/cgi-bin/registry", "serve", "--socket", sock,
                      "--pidfile", pidfile], env=env,
                     stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                     start_new_session=True)
    for _ in range(300):
        if os.path.exists(sock) and os.path.exists(pidfile):
            break
        time.sleep(0.1)
    time.sleep(1)  # every worker up and connected


def pid_of(path):
    try:
        return int(open(path).read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def replica_reads(inst):
    _, body = measure.http_req(inst, "GET", "/metrics")
    m = re.search(rb"^registry_replica_reads_total (\d+)$", body, re.M)
    return int(m.group(1)) if m else 0


def measure_one(inst, sc, pl, trees):
    run_wrk(inst, sc, pl, inst.port, 1)  # warm-up
    before = {k: tree_ticks(p) for k, p in trees.items()}
    res = run_wrk(inst, sc, pl, inst.port, measure.SECONDS)
    time.sleep(0.3)
    n = max(1, res["requests"])
    res["cpu"] = {k: (tree_ticks(p) - before[k]) * 1000 / HZ / n
                  for k, p in trees.items()}
    res["cpu_ms"] = sum(res["cpu"].values())
    return res


def main():
    if len(sys.argv) != 3:
        die(__doc__)
    inst = Instance(sys.argv[1], int(sys.argv[2]), 0)
    try:
        direct = json.load(open(f"{inst.out}/results-1x.json"))["results"]
    except OSError:
        die("no results-1x.json: run the direct scenarios first")
    pl = plan(inst)
    rep_dir, rep_conn = make_replica(inst, inst.port + 2)
    subprocess.run([f"{ROOT}/src/stack.sh", "pgbouncer", inst.var,
                    str(POOL_SIZE)], check=True, capture_output=True)
    pgb = (f"host={inst.var}/pgbouncer port=6432 dbname=registry "
           "user=registry")
    results = {}
    try:
        restart_pool(inst, {"REGISTRY_REPLICA": rep_conn,
                            "REGISTRY_DATABASE_URL": pgb,
                            "REGISTRY_PREPARED_STATEMENTS": "unnamed"})
        trees = dict(inst.masters())
        trees["replica"] = pid_of(f"{rep_dir}/pg/postmaster.pid")
        trees["pgbouncer"] = pid_of(f"{inst.var}/pgbouncer/pgbouncer.pid")
        if None in trees.values():
            die(f"a server is not running: {trees}")
        reads0 = replica_reads(inst)
        for sc, _ in SCENARIOS:
            print(f"  {sc} (scale-out) ...", file=sys.stderr, flush=True)
            results[sc] = measure_one(inst, sc, pl, trees)
        reads = replica_reads(inst) - reads0
    finally:
        restart_pool(inst, {})
        subprocess.run([f"{ROOT}/src/stack.sh", "pgbouncer-stop", inst.var],
                       capture_output=True)
        stop_replica(rep_dir)

    print(f"\nmake bench (scale-out): reads on a streaming replica, writes "
          f"through PgBouncer (transaction pooling, {POOL_SIZE} server "
          f"connections); {measure.CONNS} connections, {measure.SECONDS} s "
          "each")
    head = (f"{'':4} {'scenario':36} {'req/s':>8} {'p99 ms':>7} "
            f"{'non2xx':>6} {'CPU ms':>7} {'direct':>7} {'x':>5}  "
            "CPU: nginx/registry/primary/replica/pgbouncer")
    print(head)
    print("-" * len(head))
    ok = []
    for sc, what in SCENARIOS:
        r, d = results[sc], direct.get(sc)
        dc = d["cpu_ms"] if d else float("nan")
        x = r["cpu_ms"] / dc if d else float("nan")
        ok.append((f"{sc} CPU {r['cpu_ms']:.3f} ms <= {TARGET} x direct "
                   f"{dc:.3f} ms", x <= TARGET))
        print(f"{sc:4} {what:36} {r['rps']:8.0f} {r['p99']:7.2f} "
              f"{r['non2xx']:6d} {r['cpu_ms']:7.3f} {dc:7.3f} {x:5.2f}  "
              + "/".join(f"{r['cpu'][k]:.3f}" for k in
                         ("nginx", "registry", "postgres", "replica",
                          "pgbouncer")))
    print(f"reads answered by the replica during the run: {reads}")
    ok.append((f"reads answered by the replica ({reads})", reads > 0))
    print("targets:")
    for text, good in ok:
        print(f"  [{'ok' if good else 'MISS'}] {text}")
    with open(f"{inst.out}/results-scaleout.json", "w") as f:
        json.dump({"results": results, "replica_reads": reads,
                   "targets": ok}, f, indent=1)


if __name__ == "__main__":
    main()
