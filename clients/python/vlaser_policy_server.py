#!/usr/bin/env python3
"""Reference policy server for vlaser-eval.

Wraps any ``infer(obs: dict) -> {"actions": array[H, D], ...}`` callable and serves it over one of the three
protocols vlaser-eval speaks (docs/policy-servers.md):

* ``openpi`` -- the openpi websocket protocol, served by the real ``openpi_server.WebsocketPolicyServer``
  (msgpack-numpy, metadata frame first, ``GET /healthz``); vlaser-eval ``--policy ws://HOST:PORT``.
* ``http``   -- OpenVLA-style ``POST /act`` with json_numpy bodies (errors are the JSON string ``"error"`` with
  HTTP 200, as OpenVLA's deploy.py does); ``--policy http://HOST:PORT/act``.
* ``tcp``    -- RoboTwin's model-server framing (4-byte big-endian length + UTF-8 JSON, ``{"cmd", "obs"}`` ->
  ``{"res"}`` / ``{"error", "traceback"}``); ``--policy tcp://HOST:PORT``.

Example: replay recorded actions (the simulator writes ``DIR/actions/<task>/<episode>.jsonl``, one line per
control step ``{"step": k, "action": [7 floats]}``)::

    python vlaser_policy_server.py --protocol openpi --port 8000 --replay DIR --horizon 4

The replay policy finds the episode from the ``__harness__`` key vlaser-eval adds to each observation when the
observation mapping sets ``"harness_key": true`` (``{"task", "episode_id", "step"}``), or replays one file
(``--replay FILE.jsonl``) counting requests on each connection.

On start the server prints ``PORT <n>`` on stdout (useful with ``--port 0``).
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import socket
import socketserver
import struct
import sys
import threading
import traceback
from typing import Any, Callable, Dict

import numpy as np

Infer = Callable[[Dict[str, Any]], Dict[str, Any]]


# ----------------------------------------------------------------------------------------------------------------
# Replay example


def load_actions(path: str) -> np.ndarray:
    """Reads a JSONL action file into a float64 [T, D] array (float64 so a replay is exact)."""
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("step") != len(rows):
                raise ValueError(f"{path}:{n}: expected step {len(rows)}, got {rec.get('step')}")
            rows.append(rec["action"])
    if not rows:
        raise ValueError(f"{path}: no actions")
    return np.asarray(rows, dtype=np.float64)


class ReplayPolicy:
    """Returns chunks of recorded actions: ``actions[step : step + horizon]``, padded with the last action."""

    def __init__(self, source: str, horizon: int):
        self.source = source
        self.horizon = horizon
        self._cache: Dict[str, np.ndarray] = {}
        self._counter = 0  # used only when replaying one file without harness keys

    def _episode(self, harness: Dict[str, Any] | None) -> tuple[np.ndarray, int]:
        if os.path.isfile(self.source):
            if harness is not None:
                return self._load(self.source), int(harness["step"])
            step = self._counter
            return self._load(self.source), step
        if harness is None:
            raise ValueError("replaying a directory needs the '__harness__' observation key (task, episode_id, step)")
        path = os.path.join(self.source, "actions", str(harness["task"]), f"{harness['episode_id']}.jsonl")
        return self._load(path), int(harness["step"])

    def _load(self, path: str) -> np.ndarray:
        if path not in self._cache:
            self._cache[path] = load_actions(path)
        return self._cache[path]

    def __call__(self, obs: Dict[str, Any]) -> Dict[str, Any]:
        harness = obs.get("__harness__")
        actions, step = self._episode(harness)
        idx = np.minimum(np.arange(step, step + self.horizon), len(actions) - 1)
        self._counter = step + self.horizon
        return {"actions": actions[idx]}

    def reset(self) -> None:
        self._counter = 0


# ----------------------------------------------------------------------------------------------------------------
# openpi websocket (the real openpi-server package)


class _OpenPIPolicy:
    """Adapts a callable to openpi_client's BasePolicy (infer/reset)."""

    def __init__(self, infer: Infer):
        self._infer = infer

    def infer(self, obs: Dict) -> Dict:
        return self._infer(obs)

    def reset(self) -> None:
        getattr(self._infer, "reset", lambda: None)()


def serve_openpi(infer: Infer, host: str, port: int, metadata: Dict | None = None) -> None:
    from openpi_server import WebsocketPolicyServer

    print(f"PORT {port}", flush=True)
    WebsocketPolicyServer(_OpenPIPolicy(infer), host=host, port=port, metadata=metadata or {}).serve_forever()


# ----------------------------------------------------------------------------------------------------------------
# OpenVLA-style HTTP (Flask + json_numpy)


def serve_http(infer: Infer, host: str, port: int) -> None:
    import flask
    import json_numpy

    app = flask.Flask("vlaser_policy_server")

    @app.post("/act")
    def act():
        try:
            payload = json_numpy.loads(flask.request.get_data())
            if set(payload) == {"encoded"}:  # OpenVLA's double-encoded variant
                payload = json_numpy.loads(payload["encoded"])
            result = infer(payload)
            body = json_numpy.dumps(np.asarray(result["actions"]))
        except Exception:  # OpenVLA convention: log, answer the JSON string "error" with HTTP 200
            logging.error(traceback.format_exc())
            body = json.dumps("error")
        return flask.Response(body, mimetype="application/json")

    @app.get("/healthz")
    def healthz():
        return "OK\n"

    print(f"PORT {port}", flush=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app.run(host=host, port=port, threaded=True)


# ----------------------------------------------------------------------------------------------------------------
# RoboTwin TCP (4-byte big-endian length + UTF-8 JSON)


def robotwin_encode(obj: Any) -> Any:
    if isinstance(obj, np.ndarray):
        return {"__numpy_array__": True, "data": base64.b64encode(np.ascontiguousarray(obj).tobytes()).decode(),
                "dtype": obj.dtype.name, "shape": list(obj.shape)}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        return {k: robotwin_encode(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [robotwin_encode(v) for v in obj]
    return obj


def robotwin_decode(obj: Any) -> Any:
    if isinstance(obj, dict):
        if obj.get("__numpy_array__") is True:
            return np.frombuffer(base64.b64decode(obj["data"]), dtype=np.dtype(obj["dtype"])).reshape(obj["shape"])
        return {k: robotwin_decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [robotwin_decode(v) for v in obj]
    return obj


def recv_exact(sock: socket.socket, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def serve_tcp(infer: Infer, host: str, port: int) -> None:
    commands = {
        "get_action": lambda obs: infer(obs)["actions"],
        "infer": infer,
        "reset": lambda obs: getattr(infer, "reset", lambda: None)(),
    }

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            while True:
                header = recv_exact(self.request, 4)
                if header is None:
                    return
                (length,) = struct.unpack(">I", header)
                body = recv_exact(self.request, length)
                if body is None:
                    return
                try:
                    msg = robotwin_decode(json.loads(body.decode("utf-8")))
                    reply = {"res": robotwin_encode(commands[msg["cmd"]](msg.get("obs")))}
                except Exception as e:
                    reply = {"error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()}
                out = json.dumps(reply).encode("utf-8")
                self.request.sendall(struct.pack(">I", len(out)) + out)

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    with Server((host, port), Handler) as server:
        print(f"PORT {server.server_address[1]}", flush=True)
        server.serve_forever()


# ----------------------------------------------------------------------------------------------------------------


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve(infer: Infer, protocol: str, host: str = "127.0.0.1", port: int = 8000, metadata: Dict | None = None) -> None:
    """Serves ``infer`` forever; ``port`` 0 picks a free one (printed as ``PORT <n>``)."""
    if port == 0 and protocol != "tcp":
        port = free_port(host)
    if protocol == "openpi":
        serve_openpi(infer, host, port, metadata)
    elif protocol == "http":
        serve_http(infer, host, port)
    elif protocol == "tcp":
        serve_tcp(infer, host, port)
    else:
        raise SystemExit(f"unknown protocol {protocol!r} (openpi|http|tcp)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--protocol", choices=["openpi", "http", "tcp"], default="openpi")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--replay", required=True, help="a run directory (DIR/actions/<task>/<episode>.jsonl) or one .jsonl file")
    ap.add_argument("--horizon", type=int, default=4, help="actions per reply (chunk length H)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    serve(ReplayPolicy(args.replay, args.horizon), args.protocol, args.host, args.port)


if __name__ == "__main__":
    main()
