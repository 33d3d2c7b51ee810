"""Serve a robot policy to vlaser-eval (docs/policy-servers.md, docs/evaluate-your-model.md).

``serve(policy, protocol)`` serves any ``policy(obs: dict) -> {"actions": array[H, D], ...}`` callable over the
openpi websocket (``openpi``), OpenVLA REST (``http``) or RoboTwin TCP (``tcp``) protocol. A policy with a
``reset(episode)`` method is reset at every episode boundary (``episodes.py``). ``SimplerEnvPolicyAdapter`` and
``RoboTwinPolicyAdapter`` turn SimplerEnv policy classes and RoboTwin ``deploy_policy.py`` modules into such
policies; ``ReplayPolicy`` replays a recorded run.
"""

from __future__ import annotations

import socket
from typing import Dict, Optional

from .episodes import EpisodeTracker, Infer, InterleavedEpisodes
from .replay import ReplayPolicy, load_actions
from .robotwin import RoboTwinPolicyAdapter, TaskEnvStandIn
from .simplerenv import SimplerEnvPolicyAdapter
from .tcp import robotwin_decode, robotwin_encode

__all__ = ["serve", "free_port", "EpisodeTracker", "InterleavedEpisodes", "ReplayPolicy", "load_actions",
           "SimplerEnvPolicyAdapter", "RoboTwinPolicyAdapter", "TaskEnvStandIn", "robotwin_encode", "robotwin_decode"]

PROTOCOLS = ("openpi", "http", "tcp")


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve(policy: Infer, protocol: str, host: str = "127.0.0.1", port: int = 8000, metadata: Optional[Dict] = None) -> None:
    """Serves ``policy`` forever; ``port`` 0 picks a free one. Prints ``PORT <n>`` on stdout once listening."""
    tracker = EpisodeTracker(policy)
    if protocol == "openpi":
        from .openpi import serve_openpi
        serve_openpi(tracker, host, port, metadata)
    elif protocol == "http":
        from .rest import serve_http
        serve_http(tracker, host, port)
    elif protocol == "tcp":
        from .tcp import serve_tcp
        serve_tcp(tracker, host, port)
    else:
        raise ValueError(f"unknown protocol {protocol!r} ({'|'.join(PROTOCOLS)})")
