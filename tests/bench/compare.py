"""compare.py - the verdict of `make bench BENCH_BASELINE=REV` (baseline.sh).

    compare.py NEW_DIR OLD_DIR PASSES NEW_NAME OLD_NAME

Reads results-newN.json and results-oldN.json (N = 1..PASSES, written by
measure.py in turns) and prints, per scenario, each side's CPU per request
and requests per second (the mean of its passes), the change from old to
new, and the noise: the larger of the two sides' spreads between their
own passes ((max - min) / mean). A scenario is slower when the new CPU per
request exceeds the old by more than that noise (or its rate falls by
more than its noise). Exits 1 if any scenario is slower, 2 on missing
figures.
"""

import json
import sys


def load(d, side, passes):
    out = []
    for p in range(1, passes + 1):
        try:
            with open(f"{d}/results-{side}{p}.json") as f:
                out.append(json.load(f)["results"])
        except (OSError, ValueError, KeyError) as e:
            raise SystemExit(f"compare.py: {d}/results-{side}{p}.json: {e}")
    return out


def stats(runs, sc, key):
    v = [r[sc][key] for r in runs if sc in r]
    if len(v) != len(runs) or not v:
        return None
    mean = sum(v) / len(v)
    return mean, (max(v) - min(v)) / mean if mean else 0.0


def main():
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    new_dir, old_dir, passes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    new_name, old_name = sys.argv[4], sys.argv[5]
    new, old = load(new_dir, "new", passes), load(old_dir, "old", passes)
    print(f"new {new_name} against old {old_name}, {passes} passes each, "
          "in turns (CPU ms per request: nginx + registry + PostgreSQL)")
    print(f"{'':4} {'old CPU':>8} {'new CPU':>8} {'change':>7} {'noise':>6} "
          f"{'old rps':>8} {'new rps':>8} {'change':>7} {'noise':>6}  verdict")
    slower = []
    for sc in new[0]:
        c_new, c_old = stats(new, sc, "cpu_ms"), stats(old, sc, "cpu_ms")
        r_new, r_old = stats(new, sc, "rps"), stats(old, sc, "rps")
        if not (c_new and c_old and r_new and r_old):
            print(f"{sc:4} missing on one side")
            slower.append(sc)
            continue
        dc = c_new[0] / c_old[0] - 1
        nc = max(c_new[1], c_old[1])
        dr = r_new[0] / r_old[0] - 1
        nr = max(r_new[1], r_old[1])
        bad = dc > nc or -dr > nr
        if bad:
            slower.append(sc)
        verdict = "SLOWER" if bad else ("faster" if dc < -nc else "same")
        print(f"{sc:4} {c_old[0]:8.3f} {c_new[0]:8.3f} {100 * dc:+6.1f}% "
              f"{100 * nc:5.1f}% {r_old[0]:8.0f} {r_new[0]:8.0f} "
              f"{100 * dr:+6.1f}% {100 * nr:5.1f}%  {verdict}")
    print(f"slower than the noise: {', '.join(slower) or 'none'}")
    sys.exit(1 if slower else 0)


if __name__ == "__main__":
    main()
