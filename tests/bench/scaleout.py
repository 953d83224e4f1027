"""scaleout.py - `make bench`'s scale-out scenario, on the instance that
bench.sh brought up and loaded.

    scaleout.py VAR PORT

Adds a streaming replica (pg_basebackup -R, in VAR/replica) and PgBouncer
in transaction pooling mode (src/stack.sh pgbouncer), and measures the
read scenarios S1, S2 and S3 and the write scenario S6 in turns: the pool
direct to the primary, then restarted with reads on the replica and
writes through PgBouncer, ROUNDS times per scenario. Side by side, the
CPU per request of every server process (nginx, the registry, the
primary, the replica, PgBouncer) is compared with the direct figures of
the same minutes, and the spread of the direct rounds is the noise. S6
also runs direct with unnamed statements, to show how much of a write's
extra cost is re-planning and how much PgBouncer's hop.
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
ROUNDS = 2
WARMUP = 2  # seconds: the replica's buffers start cold


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
    # the primary's socket is where the instance's env says (stack.sh
    # keeps it in a private directory the postgres user can reach)
    as_pg(f"{PGBIN}/pg_basebackup", "-h", inst.env["PGHOST"], "-p",
          inst.env.get("PGPORT", "5432"),
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
        try:  # a pool this script started is its child: reap it
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
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
    run_wrk(inst, sc, pl, inst.port, WARMUP)
    before = {k: tree_ticks(p) for k, p in trees.items()}
    res = run_wrk(inst, sc, pl, inst.port, measure.SECONDS)
    time.sleep(0.3)
    n = max(1, res["requests"])
    res["cpu"] = {k: (tree_ticks(p) - before[k]) * 1000 / HZ / n
                  for k, p in trees.items()}
    res["cpu_ms"] = sum(res["cpu"].values())
    return res


def mean(runs):
    """The rounds of one side as one result: means of rate, p99 and CPU
    per process; non-2xx added up; spread = (max - min) / mean CPU."""
    cpu = [r["cpu_ms"] for r in runs]
    out = {"rps": sum(r["rps"] for r in runs) / len(runs),
           "p99": sum(r["p99"] for r in runs) / len(runs),
           "non2xx": sum(r["non2xx"] for r in runs),
           "cpu": {k: sum(r["cpu"][k] for r in runs) / len(runs)
                   for k in runs[0]["cpu"]},
           "cpu_ms": sum(cpu) / len(cpu)}
    out["spread"] = (max(cpu) - min(cpu)) / out["cpu_ms"]
    return out


def main():
    if len(sys.argv) != 3:
        die(__doc__)
    inst = Instance(sys.argv[1], int(sys.argv[2]), 0)
    pl = plan(inst)
    rep_dir, rep_conn = make_replica(inst, inst.port + 2)
    subprocess.run([f"{ROOT}/src/stack.sh", "pgbouncer", inst.var,
                    str(POOL_SIZE)], check=True, capture_output=True)
    pgb = (f"host={inst.var}/pgbouncer port=6432 dbname=registry "
           "user=registry")
    scale_env = {"REGISTRY_REPLICA": rep_conn,
                 "REGISTRY_DATABASE_URL": pgb,
                 "REGISTRY_PREPARED_STATEMENTS": "unnamed"}
    # where a write's extra cost goes: the same pool direct to the
    # primary but with unnamed statements, as PgBouncer needs them
    unnamed_env = {"REGISTRY_PREPARED_STATEMENTS": "unnamed"}
    direct, scaled, unnamed = {}, {}, {}
    reads = 0
    try:
        for sc, _ in SCENARIOS:
            runs = {"direct": [], "scaled": [], "unnamed": []}
            sides = [("direct", {}), ("scaled", scale_env)]
            if sc == "S6":
                sides.append(("unnamed", unnamed_env))
            for rnd in range(ROUNDS):
                for side, extra in sides:
                    print(f"  {sc} {side} {rnd + 1}/{ROUNDS} ...",
                          file=sys.stderr, flush=True)
                    restart_pool(inst, extra)
                    trees = dict(inst.masters())
                    trees["replica"] = pid_of(f"{rep_dir}/pg/postmaster.pid")
                    trees["pgbouncer"] = pid_of(
                        f"{inst.var}/pgbouncer/pgbouncer.pid")
                    if None in trees.values():
                        die(f"a server is not running: {trees}")
                    r0 = replica_reads(inst)
                    runs[side].append(measure_one(inst, sc, pl, trees))
                    if side == "scaled":
                        reads += replica_reads(inst) - r0
            direct[sc], scaled[sc] = mean(runs["direct"]), mean(runs["scaled"])
            if runs["unnamed"]:
                unnamed[sc] = mean(runs["unnamed"])
    finally:
        restart_pool(inst, {})
        subprocess.run([f"{ROOT}/src/stack.sh", "pgbouncer-stop", inst.var],
                       capture_output=True)
        stop_replica(rep_dir)

    print(f"\nmake bench (scale-out): reads on a streaming replica, writes "
          f"through PgBouncer (transaction pooling, {POOL_SIZE} server "
          f"connections) against the pool direct to the primary, in turns, "
          f"{ROUNDS} rounds each; {measure.CONNS} connections, "
          f"{measure.SECONDS} s each")
    head = (f"{'':4} {'scenario':36} {'req/s':>8} {'p99 ms':>7} "
            f"{'non2xx':>6} {'CPU ms':>7} {'direct':>7} {'noise':>6} "
            f"{'x':>5}  CPU: nginx/registry/primary/replica/pgbouncer")
    print(head)
    print("-" * len(head))
    ok = []
    for sc, what in SCENARIOS:
        r, d = scaled[sc], direct[sc]
        x = r["cpu_ms"] / d["cpu_ms"]
        ok.append((f"{sc} CPU {r['cpu_ms']:.3f} ms <= {TARGET} x direct "
                   f"{d['cpu_ms']:.3f} ms", x <= TARGET))
        print(f"{sc:4} {what:36} {r['rps']:8.0f} {r['p99']:7.2f} "
              f"{r['non2xx']:6d} {r['cpu_ms']:7.3f} {d['cpu_ms']:7.3f} "
              f"{100 * d['spread']:5.1f}% {x:5.2f}  "
              + "/".join(f"{r['cpu'][k]:.3f}" for k in
                         ("nginx", "registry", "postgres", "replica",
                          "pgbouncer")))
        print(f"{'':4} {'  direct, same minutes':36} {d['rps']:8.0f} "
              f"{d['p99']:7.2f} {d['non2xx']:6d} {d['cpu_ms']:7.3f} "
              f"{'':7} {'':6} {'':5}  "
              + "/".join(f"{d['cpu'][k]:.3f}" for k in
                         ("nginx", "registry", "postgres", "replica",
                          "pgbouncer")))
        if sc in unnamed:
            u = unnamed[sc]
            print(f"{'':4} {'  direct, unnamed statements':36} "
                  f"{u['rps']:8.0f} {u['p99']:7.2f} {u['non2xx']:6d} "
                  f"{u['cpu_ms']:7.3f} {'':7} {'':6} "
                  f"{u['cpu_ms'] / d['cpu_ms']:5.2f}  "
                  + "/".join(f"{u['cpu'][k]:.3f}" for k in
                             ("nginx", "registry", "postgres", "replica",
                              "pgbouncer")))
    print(f"reads answered by the replica during the run: {reads}")
    ok.append((f"reads answered by the replica ({reads})", reads > 0))
    bad = {sc: v["non2xx"] for sc, v in scaled.items() if v["non2xx"]}
    ok.append((f"non-2xx: {bad or 'none'}", not bad))
    print("targets:")
    for text, good in ok:
        print(f"  [{'ok' if good else 'MISS'}] {text}")
    with open(f"{inst.out}/results-scaleout.json", "w") as f:
        json.dump({"scaled": scaled, "direct": direct, "unnamed": unnamed,
                   "replica_reads": reads, "targets": ok}, f, indent=1)


if __name__ == "__main__":
    main()
