"""The openpi websocket protocol (openpi ``packages/openpi-client`` ``msgpack_numpy.py`` and
``websocket_policy_server.py``), served with ``websockets`` + ``msgpack`` only -- openpi-client itself pins
``numpy<2``, which clashes with current torch stacks.

After the upgrade the server sends one binary frame with the msgpack metadata map; then each request is a binary
frame holding the observation map and each reply a binary frame holding ``{"actions": [H, D], ...}``. A failing
policy sends its traceback as a text frame and closes with 1011. ``GET /healthz`` answers 200.
"""

from __future__ import annotations

import functools
import http
import logging
import traceback
from typing import Any, Dict

import msgpack
import numpy as np

from .episodes import EpisodeTracker

logger = logging.getLogger(__name__)


def pack_array(obj: Any) -> Any:
    """msgpack ``default``: numpy arrays and scalars as openpi's tagged maps (keys are msgpack bin)."""
    if isinstance(obj, (np.ndarray, np.generic)) and obj.dtype.kind in ("V", "O", "c"):
        raise ValueError(f"Unsupported dtype: {obj.dtype}")
    if isinstance(obj, np.ndarray):
        return {b"__ndarray__": True, b"data": obj.tobytes(), b"dtype": obj.dtype.str, b"shape": obj.shape}
    if isinstance(obj, np.generic):
        return {b"__npgeneric__": True, b"data": obj.item(), b"dtype": obj.dtype.str}
    return obj


def unpack_array(obj: Dict) -> Any:
    """msgpack ``object_hook``: the inverse of ``pack_array``."""
    if b"__ndarray__" in obj:
        return np.ndarray(buffer=obj[b"data"], dtype=np.dtype(obj[b"dtype"]), shape=obj[b"shape"])
    if b"__npgeneric__" in obj:
        return np.dtype(obj[b"dtype"]).type(obj[b"data"])
    return obj


packb = functools.partial(msgpack.packb, default=pack_array)
unpackb = functools.partial(msgpack.unpackb, object_hook=unpack_array)


def _health_check(connection, request):
    if request.path == "/healthz":
        return connection.respond(http.HTTPStatus.OK, "OK\n")
    return None


def serve_openpi(tracker: EpisodeTracker, host: str, port: int, metadata: Dict | None = None) -> None:
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.server import serve

    def handler(connection) -> None:
        tracker.connection_opened()
        connection.send(packb(metadata or {}))
        while True:
            try:
                request = connection.recv()
            except ConnectionClosed:
                return
            try:
                reply = packb(tracker.infer(unpackb(request)))
            except Exception:
                logger.error(traceback.format_exc())
                connection.send(traceback.format_exc())
                connection.close(1011, "Internal server error. Traceback included in previous frame.")
                return
            connection.send(reply)

    with serve(handler, host, port, compression=None, max_size=None, process_request=_health_check) as server:
        print(f"PORT {server.socket.getsockname()[1]}", flush=True)
        server.serve_forever()
