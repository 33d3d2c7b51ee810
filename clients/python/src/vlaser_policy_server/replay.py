"""Replays the actions a vlaser-eval run recorded (``DIR/actions/<task>/<episode>.jsonl``, one line per control
step ``{"step": k, "action": [...]}``) as chunks -- the example policy and the closed-loop tests' reference."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional

import numpy as np


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
    """Returns ``actions[step : step + horizon]``, padded with the last action. The episode and step come from the
    ``__harness__`` key; replaying one file without it counts requests since the last episode boundary."""

    def __init__(self, source: str, horizon: int):
        self.source = source
        self.horizon = horizon
        self._cache: Dict[str, np.ndarray] = {}
        self._counter = 0

    def _episode(self, harness: Optional[Dict[str, Any]]) -> tuple[np.ndarray, int]:
        if os.path.isfile(self.source):
            return self._load(self.source), int(harness["step"]) if harness is not None else self._counter
        if harness is None:
            raise ValueError("replaying a directory needs the '__harness__' observation key (task, episode_id, step)")
        path = os.path.join(self.source, "actions", str(harness["task"]), f"{harness['episode_id']}.jsonl")
        return self._load(path), int(harness["step"])

    def _load(self, path: str) -> np.ndarray:
        if path not in self._cache:
            self._cache[path] = load_actions(path)
        return self._cache[path]

    def __call__(self, obs: Dict[str, Any]) -> Dict[str, Any]:
        actions, step = self._episode(obs.get("__harness__"))
        idx = np.minimum(np.arange(step, step + self.horizon), len(actions) - 1)
        self._counter = step + self.horizon
        return {"actions": actions[idx]}

    def reset(self, episode: Optional[Dict[str, Any]] = None) -> None:
        self._counter = 0
