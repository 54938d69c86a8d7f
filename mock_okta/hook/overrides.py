"""`--set dotted.path=value`: change one member of a generated request, for any hook type."""

from __future__ import annotations

import json
from typing import Any


class OverrideError(ValueError):
    """An unreadable `--set path=value`, or a request option the hook type does not take."""


def apply_override(document: dict[str, Any], assignment: str) -> None:
    """Apply one Stripe-style `dotted.path=value`; the value is JSON when it parses as JSON, else a string."""
    path, sep, raw = assignment.partition("=")
    if not sep or not path.strip():
        raise OverrideError(f"--set expects path=value, got {assignment!r}")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    parts = path.strip().split(".")
    node: Any = document
    for depth, part in enumerate(parts[:-1]):
        node = _step(node, part, parts[: depth + 1])
    last = parts[-1]
    if isinstance(node, list):
        node[_index(node, last, parts)] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise OverrideError(f"cannot set {path!r}: {'.'.join(parts[:-1])} is not an object")


def _step(node: Any, part: str, so_far: list[str]) -> Any:
    if isinstance(node, list):
        return node[_index(node, part, so_far)]
    if not isinstance(node, dict):
        raise OverrideError(f"cannot set below {'.'.join(so_far[:-1])}: it is not an object")
    child = node.get(part)
    if child is None:
        child = node[part] = {}
    return child


def _index(node: list[Any], part: str, so_far: list[str]) -> int:
    if not (part.isascii() and part.isdigit()) or int(part) >= len(node):
        raise OverrideError(f"{'.'.join(so_far)}: no such list index")
    return int(part)
