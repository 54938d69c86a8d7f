"""The browser modules, each the door of one hook type (`pytest --pyargs mock_okta.testing.token_cases`): which type
a run means when it names one. Imported by the plugin at start: nothing but pytest here."""

from __future__ import annotations

import pytest

SIGNUP_CASES = "mock_okta.testing.signup_cases"
TOKEN_CASES = "mock_okta.testing.token_cases"
# The browser modules, each the door of one hook type: running one means that type (the hook under test, the sample's
# route, the org preflight), and adds no check or case items: its cases run through the browser, and the checks as
# calls are `verify`'s (or a plain `pytest --okta-hook-url` run's).
DOORS = {SIGNUP_CASES: "registration", TOKEN_CASES: "token"}


def door_type(config: pytest.Config) -> str | None:
    """The hook type of the browser module the command line names (`--pyargs mock_okta.testing.token_cases`, a
    node id in it, or its file), or None: none named, or doors of two types at once."""
    found = set()
    for arg in config.args:
        target = str(arg).split("::")[0].replace("\\", "/")
        for module, name in DOORS.items():
            if target == module or target.endswith(module.replace(".", "/") + ".py"):
                found.add(name)
    return found.pop() if len(found) == 1 else None


def check_door_type(door: str, given: str) -> None:
    """`--okta-hook-type` beside a door must name the door's type: anything else is a one-line usage error."""
    from ..hook.registry import UnknownHookType
    from ..hooktypes import REGISTRY

    module = next(module for module, name in DOORS.items() if name == door)
    try:
        named = REGISTRY.get(given).name
    except UnknownHookType as exc:
        raise pytest.UsageError(f"--okta-hook-type: {exc}") from None
    if named != door:
        raise pytest.UsageError(
            f"--okta-hook-type {given}: {module} runs the cases of a {door} hook; leave --okta-hook-type out "
            f"or give {door}"
        )


def in_door(item: pytest.Item) -> bool:
    """A test of a browser module, run from it or collected elsewhere (`e2e/test_token_cases.py` imports it)."""
    if not isinstance(item, pytest.Function):
        return False
    return item.module.__name__ in DOORS or getattr(item.function, "__module__", None) in DOORS
