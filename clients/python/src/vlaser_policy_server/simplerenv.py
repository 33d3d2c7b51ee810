"""Serves a SimplerEnv policy class unchanged.

SimplerEnv's inference classes (``simpler_env/policies/{rt1,octo,openvla,...}``; SpatialVLA, CogACT and pi0
wrappers follow them) have ``reset(task_description)`` and ``step(image, task_description) -> (raw_action,
action)``, where ``action`` holds ``world_vector`` (3), ``rot_axangle`` (3) and ``gripper`` (1) already in the
simulator's convention -- ``simpler_env/evaluation/maniskill2_evaluator.py`` concatenates exactly these three and
steps the environment with them. The adapter does the same and answers one action per request, so the matching
vlaser-eval presets (``simplerenv-widowx``, ``simplerenv-google``) send the full camera frame, execute 1 action per
request and convert nothing.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import numpy as np

#: The action entries SimplerEnv's evaluator steps the environment with, in order (maniskill2_evaluator.py).
SIMPLER_ACTION_KEYS = ("world_vector", "rot_axangle", "gripper")


class SimplerEnvPolicyAdapter:
    """Wraps ``model`` (anything with SimplerEnv's ``reset`` / ``step``) as an ``infer(obs)`` policy.

    ``model.reset(instruction)`` runs at the first request of each episode (the instruction arrives with the
    observation) and whenever the instruction changes.
    """

    one_episode_at_a_time = True  # the model keeps history (RT-1's window, Octo's ensembler, sticky grippers)

    def __init__(self, model: Any, image_key: str = "image", prompt_key: str = "prompt"):
        for method in ("reset", "step"):
            if not callable(getattr(model, method, None)):
                raise TypeError(f"{type(model).__name__} has no {method}() method (SimplerEnv interface: reset(task_description), "
                                "step(image, task_description) -> (raw_action, action))")
        self.model = model
        self.image_key = image_key
        self.prompt_key = prompt_key
        self._instruction: Optional[str] = None

    def reset(self, episode: Optional[Dict[str, Any]] = None) -> None:
        self._instruction = None

    def __call__(self, obs: Dict[str, Any]) -> Dict[str, Any]:
        for key in (self.image_key, self.prompt_key):
            if key not in obs:
                raise ValueError(f"observation has no {key!r} (keys: {sorted(obs)}); use a simplerenv-* preset or set image_key/prompt_key")
        image = np.asarray(obs[self.image_key])
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"observation {self.image_key!r} is {image.dtype} {image.shape}, SimplerEnv policies take uint8 H×W×3")
        instruction = str(obs[self.prompt_key])
        if instruction != self._instruction:
            self.model.reset(instruction)
            self._instruction = instruction
        _raw, action = self.model.step(image, instruction)
        missing = [k for k in SIMPLER_ACTION_KEYS if k not in action]
        if missing:
            raise ValueError(f"{type(self.model).__name__}.step returned an action without {missing}")
        row = np.concatenate([np.asarray(action[k], dtype=np.float64).reshape(-1) for k in SIMPLER_ACTION_KEYS])
        return {"actions": row[None, :]}
