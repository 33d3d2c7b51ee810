"""RoboTwin's model-server protocol (RoboTwin ``script/policy_model_server.py``): each message is a 4-byte
big-endian length and UTF-8 JSON; requests ``{"cmd": <model method>, "obs": ...}``, replies ``{"res": ...}`` or
``{"error", "traceback"}``; arrays are ``{"__numpy_array__": true, "data": base64, "dtype": name, "shape"}``.

Commands: ``get_action`` (the action array), ``infer`` (the whole reply map) and ``reset`` (an episode boundary;
its ``obs`` is vlaser-eval's ``__harness__`` map).
"""

from __future__ import annotations

import base64
import json
import socket
import socketserver
import struct
import traceback
from typing import Any

import numpy as np

from .episodes import EpisodeTracker


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


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def serve_tcp(tracker: EpisodeTracker, host: str, port: int) -> None:
    commands = {
        "get_action": lambda obs: tracker.infer(obs)["actions"],
        "infer": tracker.infer,
        "reset": tracker.reset,
    }

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            while True:
                header = _recv_exact(self.request, 4)
                body = _recv_exact(self.request, struct.unpack(">I", header)[0]) if header else None
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
