"""Serves a RoboTwin 2.0 policy (``policy/<Name>/deploy_policy.py`` + ``deploy_policy.yml``) unchanged.

RoboTwin's ``script/eval_policy.py`` loads the YAML into ``usr_args`` (command-line overrides on top), calls
``get_model(usr_args)`` once, ``reset_model(model)`` before each episode and ``eval(TASK_ENV, model,
observation)`` in a loop; ``eval`` reads ``TASK_ENV.get_obs()`` / ``get_instruction()`` and executes actions with
``TASK_ENV.take_action(action, action_type)``. Here each request is one ``eval`` call against ``TaskEnvStandIn``,
which collects the actions ``eval`` takes; they are the reply's action chunk (the preset's ``execute`` says how
many vlaser-eval executes before asking again).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import Any, Dict, List, Optional

import numpy as np

DEPLOY_FUNCTIONS = ("get_model", "eval", "reset_model")


def robotwin_observation(obs: Dict[str, Any], skip: tuple) -> Dict[str, Any]:
    """vlaser-eval's request in RoboTwin's observation layout: uint8 H×W×3 images as ``observation[<key>]["rgb"]``,
    other arrays as ``<key>["vector"]`` (RoboTwin's ``joint_action["vector"]``), anything else unchanged."""
    out: Dict[str, Any] = {"observation": {}}
    for key, value in obs.items():
        if key in skip:
            continue
        if isinstance(value, np.ndarray) and value.dtype == np.uint8 and value.ndim == 3:
            out["observation"][key] = {"rgb": value}
        elif isinstance(value, np.ndarray):
            out[key] = {"vector": value}
        else:
            out[key] = value
    return out


class TaskEnvStandIn:
    """The part of RoboTwin's ``TASK_ENV`` a ``deploy_policy.eval`` uses, for one request. Observations do not change
    within a request: ``get_obs()`` after ``take_action`` returns the request's observation again."""

    def __init__(self, observation: Dict[str, Any], instruction: Optional[str], step: int, step_lim: Optional[int]):
        self._observation = observation
        self._instruction = instruction
        self.take_action_cnt = step
        self.step_lim = step_lim
        self.eval_success = False
        self.actions: List[np.ndarray] = []
        self.action_type: Optional[str] = None

    def get_obs(self) -> Dict[str, Any]:
        return self._observation

    def get_instruction(self) -> Optional[str]:
        return self._instruction

    def take_action(self, action: Any, action_type: str = "qpos") -> None:
        if self.action_type not in (None, action_type):
            raise ValueError(f"eval mixed action types {self.action_type!r} and {action_type!r} in one call")
        self.action_type = action_type
        self.actions.append(np.asarray(action, dtype=np.float64).reshape(-1))
        self.take_action_cnt += 1


def load_deploy_policy(path: str) -> Any:
    """The policy module as RoboTwin imports it: a policy directory with ``__init__.py`` is imported as a package
    (RoboTwin's ``policy/<Name>/__init__.py`` re-exports deploy_policy), else ``deploy_policy.py`` as a module with
    its directory on ``sys.path``."""
    path = os.path.abspath(path)
    directory = path if os.path.isdir(path) else os.path.dirname(path)
    if os.path.isdir(path) and os.path.exists(os.path.join(path, "__init__.py")):
        sys.path.insert(0, os.path.dirname(path))
        module = importlib.import_module(os.path.basename(path))
    else:
        file = os.path.join(path, "deploy_policy.py") if os.path.isdir(path) else path
        sys.path.insert(0, directory)
        spec = importlib.util.spec_from_file_location("deploy_policy", file)
        if spec is None or spec.loader is None:
            raise FileNotFoundError(f"{file}: not a Python module")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    missing = [f for f in DEPLOY_FUNCTIONS if not callable(getattr(module, f, None))]
    if missing:
        raise AttributeError(f"{path}: deploy_policy has no {', '.join(missing)} (RoboTwin needs {', '.join(DEPLOY_FUNCTIONS)})")
    return module


class RoboTwinPolicyAdapter:
    """Loads ``policy_path`` (a RoboTwin policy directory or its ``deploy_policy.py``) and its YAML (default
    ``deploy_policy.yml`` beside it; ``overrides`` on top, as eval_policy.py's ``--overrides``) and serves it."""

    one_episode_at_a_time = True  # deploy_policy models keep an observation window between eval calls

    def __init__(self, policy_path: str, config: Optional[str] = None, overrides: Optional[Dict[str, Any]] = None,
                 prompt_key: str = "prompt", step_lim: Optional[int] = None):
        import yaml  # the 'robotwin' extra

        directory = policy_path if os.path.isdir(policy_path) else os.path.dirname(os.path.abspath(policy_path))
        config = config or os.path.join(directory, "deploy_policy.yml")
        with open(config) as f:
            usr_args = yaml.safe_load(f) or {}
        if not isinstance(usr_args, dict):
            raise ValueError(f"{config}: expected a mapping of settings, got {type(usr_args).__name__}")
        usr_args.update(overrides or {})
        self.module = load_deploy_policy(policy_path)
        self.model = self.module.get_model(usr_args)
        self.prompt_key = prompt_key
        self.step_lim = step_lim
        self._step = 0  # actions taken this episode when requests carry no __harness__ step

    def reset(self, episode: Optional[Dict[str, Any]] = None) -> None:
        self.module.reset_model(self.model)
        self._step = 0

    def __call__(self, obs: Dict[str, Any]) -> Dict[str, Any]:
        harness = obs.get("__harness__")
        step = int(harness["step"]) if isinstance(harness, dict) and "step" in harness else self._step
        instruction = obs.get(self.prompt_key)
        env = TaskEnvStandIn(robotwin_observation(obs, ("__harness__", self.prompt_key)),
                             None if instruction is None else str(instruction), step, self.step_lim)
        self.module.eval(env, self.model, env.get_obs())
        if not env.actions:
            raise RuntimeError("deploy_policy.eval took no action (TASK_ENV.take_action was never called)")
        self._step = env.take_action_cnt
        return {"actions": np.stack(env.actions)}
