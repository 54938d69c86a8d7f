"""The shape of a JSON document: every member's path and JSON type, which `drift` compares between what Okta sent
and what the mock sends."""

from __future__ import annotations

from typing import Any


def shape(document: Any, org_values: frozenset[str] = frozenset(), prefix: str = "") -> dict[str, str]:
    """JSON path → JSON type of every member (array items as `[]`); below `org_values` only the member itself."""
    paths: dict[str, str] = {}
    if isinstance(document, dict):
        for key, value in document.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            paths[path] = _type(value)
            if path not in org_values:
                paths.update(shape(value, org_values, path))
    elif isinstance(document, list):
        for item in document:
            paths.update(shape(item, org_values, f"{prefix}[]"))
    return paths


def _type(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "object", list: "array", str: "string", bool: "boolean"}.get(type(value), "number")
