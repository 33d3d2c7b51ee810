"""Episode boundaries: when a served policy must forget the previous episode.

vlaser-eval signals a new episode differently per protocol (docs/policy-servers.md, "Episode boundaries"):

* every protocol, when the preset sets ``harness_key``: the ``__harness__`` map in each request changes its
  ``(task, episode_id, trial)`` or its ``step`` returns to 0;
* openpi ``ws://``: a new websocket connection (vlaser-eval reconnects per episode) -- used when requests carry no
  ``__harness__`` key;
* RoboTwin ``tcp://``: the preset's ``reset_command`` (its ``obs`` is the ``__harness__`` map).

``EpisodeTracker`` turns these signals into one ``policy.reset(episode)`` call per episode (``episode`` is the
``__harness__`` map, or None when the request carried none). Policies without a ``reset`` method are stateless and
never reset.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, Optional, Tuple

Infer = Callable[[Dict[str, Any]], Dict[str, Any]]
HARNESS_KEY = "__harness__"


class InterleavedEpisodes(RuntimeError):
    """Requests of two episodes alternate on a policy that keeps one episode's state."""


class EpisodeTracker:
    """Serialises calls into one policy and resets it at each episode boundary.

    A policy with ``one_episode_at_a_time = True`` (the SimplerEnv and RoboTwin adapters: their models keep history)
    refuses a request from another episode in the middle of one -- that happens when several vlaser-eval workers
    share the server -- instead of silently mixing two episodes' state.
    """

    def __init__(self, policy: Infer):
        self.policy = policy
        self._lock = threading.Lock()
        self._current: Optional[Tuple[Any, Any, Any]] = None
        self._served = 0  # requests since the last reset
        self._plain_reset_due = True  # a request without __harness__ starts an episode (new connection / start)

    def connection_opened(self) -> None:
        """A new openpi connection: an episode boundary for requests without ``__harness__``."""
        with self._lock:
            self._plain_reset_due = True

    def reset(self, episode: Optional[Dict[str, Any]]) -> None:
        """An explicit reset message (RoboTwin ``reset_command``)."""
        with self._lock:
            self._begin(episode)

    def infer(self, obs: Dict[str, Any]) -> Dict[str, Any]:
        with self._lock:
            harness = obs.get(HARNESS_KEY)
            if isinstance(harness, dict):
                key = (harness.get("task"), harness.get("episode_id"), harness.get("trial"))
                step = harness.get("step")
                if key != self._current and step not in (0, None) and self._served and self._stateful():
                    raise InterleavedEpisodes(
                        f"request for episode {key[1]} step {step} while episode {self._current[1] if self._current else None} "
                        f"is in progress: {type(self.policy).__name__} keeps one episode's state; run vlaser-eval with "
                        "--workers 1 against this server (or one server per worker)")
                if key != self._current or (step == 0 and self._served):
                    self._begin(harness)
            elif self._plain_reset_due:
                self._begin(None)
            self._plain_reset_due = False
            self._served += 1
            return self.policy(obs)

    def _stateful(self) -> bool:
        return bool(getattr(self.policy, "one_episode_at_a_time", False))

    def _begin(self, episode: Optional[Dict[str, Any]]) -> None:
        reset = getattr(self.policy, "reset", None)
        if reset is not None:
            reset(episode)
        self._current = (episode.get("task"), episode.get("episode_id"), episode.get("trial")) if episode else None
        self._served = 0
