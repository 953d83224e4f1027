"""compare.py - the measurement and verdict of `make bench
BENCH_BASELINE=REV` (baseline.sh), on two instances it brought up and
loaded alike.

    compare.py NEW_VAR NEW_PORT OLD_VAR OLD_PORT NEW_NAME OLD_NAME

Each scenario runs on the new instance and then on the old, BENCH_PASSES
times (3), so the two figures of a pair are taken seconds apart: a slow
spell of a shared machine falls on both sides of a pair, not on one side
of the whole run. Per pair it takes new CPU per request / old CPU per
request; the change is the median of those ratios, the noise half their
range. A scenario is SLOWER when its change exceeds its noise (and the
5 % a single pair can move). Prints a table, writes compare.json beside
NEW_VAR, exits 1 if a scenario is slower.
"""

import json
import os
import sys

import measure
from measure import Instance, SCENARIOS, plan

PASSES = int(os.environ.get("BENCH_PASSES", "3"))
ONLY = os.environ.get("BENCH_COMPARE", "S1,S2,S3,S4,S5,S7,S8,W1,W2,S6")
FLOOR = 0.05


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def largest(mem, key):
    return max(mem.get(key) or [0])


def main():
    if len(sys.argv) != 7:
        raise SystemExit(__doc__)
    new = Instance(sys.argv[1], int(sys.argv[2]), 0)
    old = Instance(sys.argv[3], int(sys.argv[4]), 0)
    names = {"new": sys.argv[5], "old": sys.argv[6]}
    wanted = ONLY.split(",")
    kinds = {sc: kind for sc, _, _, kind in SCENARIOS}
    bad = [sc for sc in wanted if kinds.get(sc) != "http"]
    if bad:
        raise SystemExit(f"compare.py: not HTTP scenarios: {bad}")
    plans = {"new": plan(new), "old": plan(old)}
    inst = {"new": new, "old": old}
    runs = {sc: {"new": [], "old": []} for sc in wanted}
    for sc in wanted:
        for p in range(PASSES):
            for side in ("new", "old"):
                print(f"  {sc} {side} {p + 1}/{PASSES} ...", file=sys.stderr,
                      flush=True)
                runs[sc][side].append(measure.measure(
                    inst[side], sc, "http", plans[side], True))
    mem = {side: measure.memory(inst[side]) for side in inst}

    print(f"new {names['new']} against old {names['old']}: each scenario "
          f"{PASSES} times on each, in pairs {measure.SECONDS} s apart "
          f"({measure.CONNS} connections); CPU ms per request of nginx + "
          "registry + PostgreSQL, medians")
    print(f"{'':4} {'old CPU':>8} {'new CPU':>8} {'change':>7} {'noise':>6} "
          f"{'old rps':>8} {'new rps':>8}  pairs (new/old CPU)  verdict")
    slower, out = [], {}
    for sc in wanted:
        o, n = runs[sc]["old"], runs[sc]["new"]
        ratios = [a["cpu_ms"] / b["cpu_ms"] for a, b in zip(n, o)]
        change = median(ratios) - 1
        noise = (max(ratios) - min(ratios)) / 2
        errors = sum(r["non2xx"] for r in n + o)
        worse = change > max(noise, FLOOR) or errors
        if worse:
            slower.append(sc)
        verdict = ("SLOWER" if worse else
                   "faster" if -change > max(noise, FLOOR) else "same")
        if errors:
            verdict += f" ({errors} non-2xx)"
        print(f"{sc:4} {median([r['cpu_ms'] for r in o]):8.3f} "
              f"{median([r['cpu_ms'] for r in n]):8.3f} "
              f"{100 * change:+6.1f}% {100 * noise:5.1f}% "
              f"{median([r['rps'] for r in o]):8.0f} "
              f"{median([r['rps'] for r in n]):8.0f}  "
              f"{' '.join(f'{x:.2f}' for x in ratios):19}  {verdict}")
        out[sc] = {"ratios": ratios, "change": change, "noise": noise,
                   "new": n, "old": o, "verdict": verdict}
    print(f"memory after the run, largest worker: RSS "
          f"{largest(mem['old'], 'workers')} KiB old, "
          f"{largest(mem['new'], 'workers')} KiB new; PSS "
          f"{largest(mem['old'], 'workers_pss')} KiB old, "
          f"{largest(mem['new'], 'workers_pss')} KiB new; private "
          f"{largest(mem['old'], 'workers_private')} KiB old, "
          f"{largest(mem['new'], 'workers_private')} KiB new")
    print(f"slower than the noise: {', '.join(slower) or 'none'}")
    with open(os.path.join(os.path.dirname(new.var), "compare.json"),
              "w") as f:
        json.dump({"names": names, "passes": PASSES, "scenarios": out,
                   "memory": mem}, f, indent=1)
    sys.exit(1 if slower else 0)


if __name__ == "__main__":
    main()
