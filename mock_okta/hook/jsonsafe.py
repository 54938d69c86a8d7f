"""JSON that every part of the system can store and send again: no NaN or Infinity, no number beyond a double, no
lone surrogate in a string or a key, and a bounded depth. Python's `json` accepts all of these, and a value that
slips through breaks every later reply that contains it."""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 64


class UnrepresentableJson(ValueError):
    """JSON that parses but cannot be stored and sent back as JSON."""


def loads_strict(raw: bytes | str) -> Any:
    """`json.loads`, refusing what cannot be represented (UnrepresentableJson); syntax errors stay ValueError."""

    def constant(name: str) -> Any:
        raise UnrepresentableJson(f"{name} is not a JSON number")

    def number(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise UnrepresentableJson(f"the number {text[:24]} is out of range")
        return value

    try:
        document = json.loads(raw, parse_constant=constant, parse_float=number)
    except RecursionError:
        raise UnrepresentableJson(f"nested deeper than {MAX_DEPTH} levels") from None
    check(document)
    return document


def check(document: Any) -> None:
    """UnrepresentableJson when `document` holds a lone surrogate, a value JSON has no type for (a YAML date, bytes,
    a set...), a key that is not a string, or is nested deeper than MAX_DEPTH; the message names where."""
    # Every parsed body and stored row passes here, and nearly all are fine: the walk keeps no paths, and only a
    # document that fails is walked again to say where.
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not _encodable(value):
                break
        elif isinstance(value, dict):
            if depth >= MAX_DEPTH:
                break
            for key, item in value.items():
                if not isinstance(key, str) or not _encodable(key):
                    break
                stack.append((item, depth + 1))
            else:
                continue
            break
        elif isinstance(value, list):
            if depth >= MAX_DEPTH:
                break
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, float):
            if not math.isfinite(value):
                break
        elif value is not None and not isinstance(value, bool | int):
            break
    else:
        return
    _explain(document)


def _explain(document: Any) -> None:
    """The walk of `check` that keeps each value's path, to raise for the first problem with where it is."""
    stack: list[tuple[Any, int, str]] = [(document, 0, "$")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, str):
            _text(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise UnrepresentableJson("NaN and Infinity are not JSON numbers")
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise UnrepresentableJson(f"nested deeper than {MAX_DEPTH} levels")
            if isinstance(value, dict):
                for key in value:
                    if not isinstance(key, str):
                        raise UnrepresentableJson(f"{path}: the key '{str(key)[:40]}' is not a text: quote it")
                    _text(key)
                stack.extend((item, depth + 1, f"{path}.{key}") for key, item in value.items())
            else:
                stack.extend((item, depth + 1, f"{path}[{index}]") for index, item in enumerate(value))
        elif value is not None and not isinstance(value, bool | int | float):
            # YAML reads 1990-05-01 as a date, !!binary as bytes, !!set as a set: none of them is JSON.
            shown = str(value)[:40]
            raise UnrepresentableJson(f"{path}: {shown} is {_kind(value)}, not a JSON value: quote it")
    raise AssertionError(f"check found a problem that _explain did not: {document!r:.200}")


def _encodable(text: str) -> bool:
    # ASCII text (nearly every string) is encodable without trying.
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _kind(value: Any) -> str:
    kinds = {"date": "a date", "datetime": "a date and time", "bytes": "binary data", "set": "a set"}
    return kinds.get(type(value).__name__, f"a {type(value).__name__}")


def _text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UnrepresentableJson("a string holds a lone surrogate (\\ud800-\\udfff): not valid Unicode") from None
