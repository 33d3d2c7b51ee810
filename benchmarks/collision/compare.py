"""Side-by-side table of the contact study: PhysX (sapien_reference.py) against ODE (vlaser-perf collision-contacts).

    python benchmarks/collision/compare.py physx.jsonl ode.jsonl
"""
import json
import math
import sys


def load(path):
    rows = {}
    for line in open(path):
        r = json.loads(line)
        key = (r["case"], r.get("model", ""), r.get("h", r.get("roll", "")), r.get("dx", r.get("dy", "")))
        rows[key] = r
    return rows


physx, ode = load(sys.argv[1]), load(sys.argv[2])
print("| case | object | h / roll | dx / dy | PhysX | ODE | Δ position (mm) | Δ tilt (°) |")
print("|---|---|---|---|---|---|---|---|")
for key in physx:
    a, b = physx[key], ode[key]
    obj = next(k for k in ("green", "carrot", "object") if k in a)

    def summary(r):
        s = r[obj]
        flags = [k for k in ("stacked", "on_plate") if r.get(k)]
        moved = [f"{k.split('_')[0]} moved {r[k]:.1f} mm" for k in ("yellow_moved_mm", "plate_moved_mm", "moved_mm") if k in r]
        return ", ".join([f"z {s['p'][2]:.4f}", f"tilt {s['tilt']:.1f}°"] + flags + moved)
    dp = 1000 * math.dist(a[obj]["p"], b[obj]["p"])
    dt = abs(a[obj]["tilt"] - b[obj]["tilt"])
    print(f"| {key[0]} | {key[1] or obj} | {key[2]} | {key[3]} | {summary(a)} | {summary(b)} | {dp:.1f} | {dt:.1f} |")
