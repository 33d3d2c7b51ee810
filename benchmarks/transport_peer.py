"""Peers for benchmarks/perf/TransportBench.swift (kept outside the vlaser-perf target directory).

    transport_peer.py instant           a websocket server that answers every request at once with a fixed openpi
                                        reply (actions float32 [4, 7]) without decoding it -- so a round trip
                                        measures the client, not the server. Prints "PORT <n>".
    transport_peer.py openpi            the real openpi_server.WebsocketPolicyServer with an instant policy.
    transport_peer.py client PORT N     times N requests of openpi_client.WebsocketClientPolicy (one 448x448x3
                                        uint8 image + state + prompt); prints {"wall": [seconds per request], "cpu": process CPU seconds per request} as JSON.
"""

import base64
import hashlib
import json
import socket
import sys
import threading
import time

import numpy as np
from openpi_client import msgpack_numpy

ACTIONS = {"actions": np.zeros((4, 7), dtype=np.float32)}


def frame(payload, opcode=2):
    n = len(payload)
    head = bytes([0x80 | opcode]) + (bytes([n]) if n < 126 else bytes([126]) + n.to_bytes(2, "big") if n < 65536
                                     else bytes([127]) + n.to_bytes(8, "big"))
    return head + payload


def recv_exact(conn, buf, n):
    view = memoryview(buf)[:n]
    got = 0
    while got < n:
        r = conn.recv_into(view[got:], n - got)
        if r == 0:
            raise ConnectionError
        got += r


def handle(conn):
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    head = b""
    while b"\r\n\r\n" not in head:
        head += conn.recv(4096)
    key = next(l.split(b":", 1)[1].strip() for l in head.split(b"\r\n") if l.lower().startswith(b"sec-websocket-key"))
    accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
    conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n" + frame(msgpack_numpy.packb({})))
    reply = frame(msgpack_numpy.packb(ACTIONS))
    buf = bytearray(16 << 20)
    small = bytearray(14)
    try:
        while True:
            recv_exact(conn, small, 2)
            fin, opcode, n = small[0] & 0x80, small[0] & 0x0F, small[1] & 0x7F
            if n == 126:
                recv_exact(conn, small, 2); n = int.from_bytes(small[:2], "big")
            elif n == 127:
                recv_exact(conn, small, 8); n = int.from_bytes(small[:8], "big")
            recv_exact(conn, small, 4)  # mask key; the payload is not decoded
            if n > len(buf):
                buf = bytearray(n)
            recv_exact(conn, buf, n)
            if opcode == 8:
                return
            if fin:  # final frame of a message
                conn.sendall(reply)
    except ConnectionError:
        pass
    finally:
        conn.close()


def instant():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    print(f"PORT {s.getsockname()[1]}", flush=True)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def openpi():
    from openpi_server import WebsocketPolicyServer

    class Instant:
        def infer(self, obs):
            return dict(ACTIONS)

        def reset(self):
            pass

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    print(f"PORT {port}", flush=True)
    WebsocketPolicyServer(Instant(), host="127.0.0.1", port=port).serve_forever()


def client(port, n):
    from openpi_client.websocket_client_policy import WebsocketClientPolicy

    policy = WebsocketClientPolicy("127.0.0.1", int(port))
    rng = np.random.default_rng(0)
    obs = {"image": rng.integers(0, 256, (448, 448, 3), dtype=np.uint8),
           "state": rng.standard_normal(7).astype(np.float32), "prompt": "put the spoon on the towel"}
    for _ in range(5):
        policy.infer(obs)
    times = []
    cpu0 = time.process_time()
    for _ in range(int(n)):
        t = time.perf_counter()
        out = policy.infer(obs)
        times.append(time.perf_counter() - t)
        assert out["actions"].shape == (4, 7)
    print(json.dumps({"wall": times, "cpu": (time.process_time() - cpu0) / int(n)}))


if __name__ == "__main__":
    {"instant": instant, "openpi": openpi, "client": client}[sys.argv[1]](*sys.argv[2:])
