"""``vlaser-policy-server``: serve a recorded run, a SimplerEnv policy class or a RoboTwin deploy_policy.py.

    vlaser-policy-server --protocol openpi --port 8000 --replay runs/widowx_scripted_seed0 --horizon 4
    vlaser-policy-server --protocol openpi --port 8000 --simplerenv simpler_env.policies.octo.octo_model:OctoInference \\
        --arg model_type=octo-base --arg policy_setup=widowx_bridge
    vlaser-policy-server --protocol tcp --port 8000 --robotwin RoboTwin/policy/ACT --arg ckpt_setting=demo_clean

``--simplerenv MODULE:CLASS`` (MODULE dotted or a .py file) is constructed with the ``--arg`` keyword arguments;
``--robotwin`` takes a policy directory or its deploy_policy.py, reads ``--config`` (default deploy_policy.yml
beside it) and applies the ``--arg`` settings on top. ``--arg`` values are JSON when they parse, else strings.
Prints ``PORT <n>`` once listening (``--port 0`` picks a free port).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import logging
import os
import sys
from typing import Any, Dict, List

from . import PROTOCOLS, ReplayPolicy, RoboTwinPolicyAdapter, SimplerEnvPolicyAdapter, serve


def parse_args_list(items: List[str]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SystemExit(f"vlaser-policy-server: --arg {item!r}: expected KEY=VALUE")
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out


def load_class(spec: str) -> Any:
    module_name, sep, class_name = spec.rpartition(":")
    if not sep or not module_name or not class_name:
        raise SystemExit(f"vlaser-policy-server: --simplerenv {spec!r}: expected MODULE:CLASS")
    if module_name.endswith(".py"):
        sys.path.insert(0, os.path.dirname(os.path.abspath(module_name)))
        loaded = importlib.util.spec_from_file_location(os.path.basename(module_name)[:-3], module_name)
        if loaded is None or loaded.loader is None or not os.path.isfile(module_name):
            raise SystemExit(f"vlaser-policy-server: --simplerenv: no file {module_name}")
        module = importlib.util.module_from_spec(loaded)
        loaded.loader.exec_module(module)
    else:
        module = importlib.import_module(module_name)
    if not hasattr(module, class_name):
        raise SystemExit(f"vlaser-policy-server: --simplerenv: {module_name} has no {class_name}")
    return getattr(module, class_name)


def main() -> None:
    ap = argparse.ArgumentParser(prog="vlaser-policy-server", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--protocol", choices=PROTOCOLS, default="openpi")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument("--replay", help="a run directory (DIR/actions/<task>/<episode>.jsonl) or one .jsonl file")
    source.add_argument("--simplerenv", metavar="MODULE:CLASS", help="a SimplerEnv policy class (reset/step)")
    source.add_argument("--robotwin", metavar="PATH", help="a RoboTwin policy directory or deploy_policy.py")
    ap.add_argument("--horizon", type=int, default=4, help="--replay: actions per reply (chunk length H)")
    ap.add_argument("--config", help="--robotwin: the YAML settings (default: deploy_policy.yml beside the module)")
    ap.add_argument("--arg", action="append", default=[], metavar="KEY=VALUE",
                    help="--simplerenv: constructor keyword; --robotwin: setting over the YAML (repeatable)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    extra = parse_args_list(args.arg)
    if args.replay:
        policy: Any = ReplayPolicy(args.replay, args.horizon)
    elif args.simplerenv:
        policy = SimplerEnvPolicyAdapter(load_class(args.simplerenv)(**extra))
    else:
        policy = RoboTwinPolicyAdapter(args.robotwin, config=args.config, overrides=extra)
    serve(policy, args.protocol, args.host, args.port)
