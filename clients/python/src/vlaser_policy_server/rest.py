"""OpenVLA's REST protocol (openvla ``vla-scripts/deploy.py``): ``POST /act`` with a json_numpy body, the reply is
the json_numpy action array; a failure is logged and answered with the JSON string ``"error"`` and HTTP 200, as
deploy.py does. ``GET /healthz`` answers 200. Served with the standard library's HTTP/1.1 server (keep-alive).
"""

from __future__ import annotations

import base64
import json
import logging
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
from numpy.lib.format import descr_to_dtype, dtype_to_descr

from .episodes import EpisodeTracker

logger = logging.getLogger(__name__)


def _json_numpy_default(o: Any) -> Any:
    """json_numpy's array object: ``{"__numpy__": base64, "dtype": descr, "shape": [...]}``."""
    if isinstance(o, (np.ndarray, np.generic)):
        return {"__numpy__": base64.b64encode(np.ascontiguousarray(o).tobytes()).decode(),
                "dtype": dtype_to_descr(o.dtype), "shape": list(np.shape(o))}
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _json_numpy_hook(d: dict) -> Any:
    if "__numpy__" in d:
        a = np.frombuffer(base64.b64decode(d["__numpy__"]), descr_to_dtype(d["dtype"]))
        return a.reshape(d["shape"]) if d["shape"] else a[0]
    return d


def json_numpy_dumps(obj: Any) -> str:
    return json.dumps(obj, default=_json_numpy_default)


def json_numpy_loads(text: str | bytes) -> Any:
    return json.loads(text, object_hook=_json_numpy_hook)


def serve_http(tracker: EpisodeTracker, host: str, port: int) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # head and body are two writes: without it the body waits for a delayed ACK

        def _answer(self, status: int, body: bytes, mime: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path != "/act":
                return self._answer(404, b"not found\n", "text/plain")
            try:
                payload = json_numpy_loads(data)
                if isinstance(payload, dict) and set(payload) == {"encoded"}:  # OpenVLA's double-encoded variant
                    payload = json_numpy_loads(payload["encoded"])
                body = json_numpy_dumps(np.asarray(tracker.infer(payload)["actions"]))
            except Exception:
                logger.error(traceback.format_exc())
                body = json.dumps("error")
            self._answer(200, body.encode(), "application/json")

        def do_GET(self) -> None:
            if self.path == "/healthz":
                return self._answer(200, b"OK\n", "text/plain")
            self._answer(404, b"not found\n", "text/plain")

        def log_message(self, *args: Any) -> None:  # one line per request would drown the server's log
            pass

    with ThreadingHTTPServer((host, port), Handler) as server:
        server.daemon_threads = True
        print(f"PORT {server.server_address[1]}", flush=True)
        server.serve_forever()
