"""The state file of `mock-okta org attach` (`.mock-okta-org.json`): what `restore` puts back, one attach per file.
A registration attach saves the profile enrollment policy's hooks; a token attach (`"type": "token"`) the rule's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

from ..common import fail

# What each type of attach saves (a state file without `type` is a registration attach's, as before `--type`).
STATE_KEYS = {
    "registration": {"orgUrl", "policyId", "previousHooks", "createdHookId"},
    "token": {"orgUrl", "authorizationServerId", "policyId", "ruleId", "previousInlineHook", "createdHookId"},
}


def read_state(path: Path) -> dict[str, Any]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"cannot read {path}: {exc}")
    if not isinstance(state, dict) or not STATE_KEYS.get(str(state.get("type", "registration")), {""}) <= set(state):
        fail(f"{path} is not a mock-okta state file")
    return state


def write_state(path: Path, state: dict[str, Any]) -> None:
    try:
        path.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")


def other_attach(state: str | Path, saved: dict[str, Any]) -> NoReturn:
    """One line: the state file keeps another attach (another type, or another rule), which this one would lose."""
    kind = saved.get("type", "registration")
    fail(f"{state} keeps a {kind} hook's attach: `mock-okta org restore` it first, or give this attach another --state")
