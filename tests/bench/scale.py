"""scale.py - what BENCH_SCALE shows: the scenarios at 1x and at Nx side by
side, the plans of list pages at Nx, and what counting costs there.

    scale.py VAR PORT LABEL1 LABELN

Reads VAR/bench/results-LABEL*.json (written by measure.py). The plans are
those the registry's own prepared statements get: each statement is taken
from the server log of a real request (measure.StatementLog), prepared,
executed six times (PostgreSQL then settles on its generic plan, as it
does in a worker) and explained with ANALYZE.
"""

import json
import re
import subprocess
import sys

import measure

LATENCY_LIMIT = 1.5  # the bound for S1, S2, S4, S5 at Nx


def load(inst, label):
    with open(f"{inst.out}/results-{label}.json") as f:
        return json.load(f)


def compare(a, b):
    """Latency (the issue's measure) and server CPU per request (which
    neighbours on the machine move least) at both sizes."""
    print(f"\nlatency and server CPU per request, {a['label']} -> "
          f"{b['label']}: S1, S2, S4 and S5 must stay within "
          f"{LATENCY_LIMIT}x")
    print(f"{'':4} {'p50 ms':>15} {'p99 ms':>15} {'CPU ms/req':>15} "
          f"{'p50 x':>6} {'CPU x':>6}")
    ok = True
    for sc in ("S1", "S2", "S3", "S4", "S5"):
        x, y = a["results"].get(sc), b["results"].get(sc)
        if not x or not y:
            continue
        lat = y["p50"] / x["p50"]
        cpu = y["cpu_ms"] / x["cpu_ms"]
        bound = sc != "S3"
        good = lat <= LATENCY_LIMIT and cpu <= LATENCY_LIMIT
        ok &= good or not bound
        verdict = ("ok" if good else "MISS") if bound else "(no bound)"
        print(f"{sc:4} {x['p50']:6.2f} -> {y['p50']:6.2f} "
              f"{x['p99']:6.2f} -> {y['p99']:6.2f} "
              f"{x['cpu_ms']:6.3f} -> {y['cpu_ms']:6.3f} "
              f"{lat:5.2f}x {cpu:5.2f}x {verdict}")
    return ok


def literal(v):
    return "NULL" if v is None else "'" + v.replace("'", "''") + "'"


def explain(inst, sql, params):
    """EXPLAIN ANALYZE of the generic plan of a registry statement."""
    n = max(params) if params else 0
    args = "(" + ", ".join(literal(params.get(i)) for i in
                           range(1, n + 1)) + ")" if n else ""
    script = [f"PREPARE p AS {sql};", "\\o /dev/null"]
    script += [f"EXECUTE p{args};"] * 6
    script += ["\\o", f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
               f"EXECUTE p{args};"]
    r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v",
                        "ON_ERROR_STOP=1"], input="\n".join(script),
                       env=inst.env, capture_output=True, text=True)
    if r.returncode:
        measure.die(f"EXPLAIN failed: {r.stderr}")
    return r.stdout.rstrip()


# A page may read its rows and, for the count, at most this many more
# (COUNT_EXACT_MAX + 1 in src/list.c); a plan that reads more of the
# table than that scans it whole.
READ_LIMIT = 10001 + 101


def scans(plan, table):
    """[(plan line, rows read)] of every scan of the table: the rows the
    node returned over all its loops, plus those its filter threw away."""
    out = []
    lines = plan.splitlines()
    node = re.compile(rf"Scan .*on {table} \S+ \(actual time=\S+ "
                      r"rows=(\d+) loops=(\d+)\)")
    for i, line in enumerate(lines):
        m = node.search(line)
        if not m:
            continue
        loops = int(m.group(2))
        read = int(m.group(1)) * loops
        depth = len(line) - len(line.lstrip())
        for more in lines[i + 1:]:
            if "->" in more or len(more) - len(more.lstrip()) <= depth:
                break
            r = re.search(r"Rows Removed by (?:Filter|Index Recheck): "
                          r"(\d+)", more)
            if r:
                read += int(r.group(1)) * loops
        out.append((line.strip(), read))
    return out


def list_plans(inst):
    print("\nplans of the registry's list statements (generic plans, "
          "EXPLAIN ANALYZE)")
    ns = inst.psql("SELECT id FROM namespace WHERE name = 'bench-ns3'")
    pages = [("S3 first page", "/api/data_product/")]
    with measure.StatementLog(inst) as log:
        st, body, _ = log.request("GET", "/api/data_product/")
        nxt = json.loads(body)["next"]
        pages.append(("S3 next page (cursor)",
                      nxt[nxt.index("/api/"):]))
        pages.append(("S4 namespace and name glob",
                      f"/api/data_product/?namespace={ns}"
                      "&name=model/run-0001*/output-*"))
        got = []
        for what, path in pages:
            st, body, stmts = log.request("GET", path)
            if st != 200:
                measure.die(f"GET {path}: {st}")
            got.append((what, path, stmts))
    ok = True
    for what, path, stmts in got:
        print(f"\n-- {what}: GET {path} ({len(stmts)} statement"
              f"{'s' if len(stmts) != 1 else ''})")
        for sql, params in stmts:
            if sql.startswith("EXPLAIN"):
                print(f"   + {sql[:100]}... (the count estimate)")
                continue
            plan = explain(inst, sql, params)
            print("   " + plan.replace("\n", "\n   "))
            for line, read in scans(plan, "data_product"):
                big = read > READ_LIMIT
                ok &= not big
                print(f"   {'!! ' if big else '=> '}{read} rows of "
                      f"data_product read by: {line[:70]}")
    return ok


def timed(inst, sql, times=5):
    """Best of several runs, in ms, timed by the server (\\timing)."""
    script = "\\timing on\n\\o /dev/null\n" + f"{sql};\n" * times
    r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"],
                       input=script, env=inst.env, capture_output=True,
                       text=True)
    if r.returncode:
        measure.die(f"{sql}: {r.stderr}")
    return min(float(t) for t in re.findall(r"Time: ([\d.]+) ms",
                                            r.stdout))


def count_costs(inst):
    print("\nwhat `count` costs (best of 5, psql \\timing)")
    for table in ("data_product", "object_component"):
        rows = int(inst.psql(f"SELECT count(*) FROM {table}"))
        exact = timed(inst, f"SELECT count(*) FROM {table} t")
        kept = timed(inst, "SELECT sum(n) FROM row_count "
                           f"WHERE tbl = '{table}'")
        slots = int(inst.psql("SELECT count(*) FROM row_count "
                              f"WHERE tbl = '{table}'"))
        capped = timed(inst, "SELECT count(*) FROM (SELECT 1 FROM "
                             f"{table} t LIMIT 10001) n")
        est = timed(inst, f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} t")
        print(f"  {table} ({rows} rows): a full count {exact:.2f} ms; "
              f"the registry's, unfiltered: the table's kept count "
              f"{kept:.2f} ms ({slots} slots); filtered: capped count "
              f"{capped:.2f} ms + estimate {est:.2f} ms past 10,000")


def main():
    if len(sys.argv) != 5:
        measure.die(__doc__)
    inst = measure.Instance(sys.argv[1], int(sys.argv[2]), 0)
    a, b = load(inst, sys.argv[3]), load(inst, sys.argv[4])
    ok = compare(a, b)
    ok &= list_plans(inst)
    count_costs(inst)
    print(f"\nscale: {'ok' if ok else 'MISS'}")


if __name__ == "__main__":
    main()
