#!/usr/bin/env python3
"""Convert an action sequence recorded in SimplerEnv into a vlaser-eval replay file.

vlaser-eval's SimplerEnv tasks take SimplerEnv's own env actions: ``[dx, dy, dz, rx, ry, rz, g]`` -- translation in
metres and an axis-angle rotation vector, both in the robot base frame; WidowX ``g`` absolute (+1 open, -1 closed),
Google ``g`` a relative closing command (simplerenv-tasks.md §2.3, §3.3). So actions logged at ``env.step`` (the
concatenation SimplerEnv's evaluator sends: ``world_vector``, ``rot_axangle``, ``gripper``) replay unchanged; only the
file format changes. Raw Bridge policy outputs (Octo, RT-1-X: ``world_vector``, ``rotation_delta`` as roll/pitch/yaw,
``open_gripper`` in [0, 1]) are converted the way SimplerEnv's Bridge policy wrappers do it: the rotation through
transforms3d's ``euler2axangle`` (static xyz), the gripper binarised to +1 when ``open_gripper > 0.5``, else -1.

Input (``--input``): ``.npy`` (an N x 7 array), ``.json`` (a list of 7-number lists or of action dicts) or
``.jsonl`` (one list or dict per line). Dicts carry ``world_vector`` + ``rot_axangle`` + ``gripper`` (env actions)
or ``world_vector`` + ``rotation_delta`` + ``open_gripper`` (raw Bridge outputs, needs ``--raw-bridge``).
Output: one ``{"action": [...], "step": k}`` line per action -- replay with
``vlaser-eval sim --policy replay:OUT.jsonl --task ... --episodes K``.

Not converted: raw Google-robot outputs (their relative gripper with "sticky" repetition is policy-side state);
log those at ``env.step``. ManiSkill3's GPU port normalises actions differently; log its env-level actions the same way.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import numpy as np


def euler_to_axis_angle(roll: float, pitch: float, yaw: float) -> list[float]:
    """transforms3d ``euler2axangle(roll, pitch, yaw)`` (axes 'sxyz': R = Rz(yaw) Ry(pitch) Rx(roll)) as axis * angle,
    through the same half-angle quaternion, so the angle lies in [0, 2 pi) exactly as SimplerEnv's wrappers get it."""
    ci, si = math.cos(roll / 2), math.sin(roll / 2)
    cj, sj = math.cos(pitch / 2), math.sin(pitch / 2)
    ck, sk = math.cos(yaw / 2), math.sin(yaw / 2)
    cc, cs, sc, ss = ci * ck, ci * sk, si * ck, si * sk
    w, x, y, z = cj * cc + sj * ss, cj * sc - sj * cs, cj * ss + sj * cc, cj * cs - sj * sc
    n = math.sqrt(x * x + y * y + z * z)
    if n < 1e-12:
        return [0.0, 0.0, 0.0]
    angle = 2 * math.acos(max(min(w, 1.0), -1.0))
    return [x / n * angle, y / n * angle, z / n * angle]


def convert(item, raw_bridge: bool) -> list[float]:
    if isinstance(item, dict):
        if raw_bridge:
            wv, rpy, g = item["world_vector"], item["rotation_delta"], float(np.ravel(item["open_gripper"])[0])
            return [float(v) for v in wv] + euler_to_axis_angle(*[float(v) for v in rpy]) + [1.0 if g > 0.5 else -1.0]
        return [float(v) for v in list(item["world_vector"]) + list(item["rot_axangle"]) + list(np.ravel(item["gripper"]))]
    values = [float(v) for v in np.ravel(item)]
    if raw_bridge:
        return values[:3] + euler_to_axis_angle(*values[3:6]) + [1.0 if values[6] > 0.5 else -1.0]
    return values


def load(path: str):
    if path.endswith(".npy"):
        return list(np.load(path))
    with open(path) as f:
        if path.endswith(".jsonl"):
            return [json.loads(line) for line in f if line.strip()]
        return json.load(f)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--raw-bridge", action="store_true", help="input holds raw Bridge policy outputs (euler, open_gripper)")
    args = ap.parse_args()
    try:
        items = load(args.input)
        actions = [convert(item, args.raw_bridge) for item in items]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"{args.input}: cannot read actions ({e})", file=sys.stderr)
        return 2
    for k, a in enumerate(actions):
        if len(a) != 7 or not all(math.isfinite(v) for v in a):
            print(f"{args.input}: action {k}: expected 7 finite numbers, got {a}", file=sys.stderr)
            return 2
    with open(args.output, "w") as f:
        for k, a in enumerate(actions):
            f.write(json.dumps({"action": a, "step": k}, separators=(",", ":"), sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
