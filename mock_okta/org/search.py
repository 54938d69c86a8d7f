"""Okta's user `search`/`filter` expressions, the subset tests use: `attr op "value"` terms joined by `and` or
`or` (no parentheses), where op is eq, sw (starts with), co (contains) or pr (present)."""

from __future__ import annotations

import re
from typing import Any

from .errors import InvalidSearch

_TERM = re.compile(
    r'\s*(?P<attr>[A-Za-z_][\w.]*)\s+(?:(?P<op>eq|sw|co|gt|lt|ge|le)\s+"(?P<value>(?:[^"\\]|\\.)*)"|(?P<pr>pr))\s*',
    re.I,
)
_JOIN = re.compile(r"\s+(and|or)\s+", re.I)

Term = tuple[str, str, str]  # attribute, operator, value
Search = list[list[Term]]  # OR of ANDs


class SearchError(ValueError):
    pass


def parse_search(expression: str) -> Search:
    clauses: Search = [[]]
    position = 0
    while True:
        match = _TERM.match(expression, position)
        if not match:
            raise SearchError(f"cannot read a term at character {position + 1} of {expression!r}")
        op = (match["op"] or "pr").lower()
        value = re.sub(r"\\(.)", r"\1", match["value"] or "")
        clauses[-1].append((match["attr"], op, value))
        position = match.end()
        if position == len(expression):
            return clauses
        join = _JOIN.match(expression, position - 1) or _JOIN.match(expression, position)
        if not join:
            raise SearchError(f"expected 'and' or 'or' at character {position + 1} of {expression!r}")
        if join[1].lower() == "or":
            clauses.append([])
        position = join.end()


def parse_filter(expression: str | None) -> Search:
    """A `search`/`filter` query parameter; Okta's 400 E0000031 when it cannot be read."""
    try:
        return parse_search(expression) if expression else []
    except SearchError as exc:
        raise InvalidSearch([str(exc)]) from None


def matches(resource: dict[str, Any], search: Search) -> bool:
    """Whether a resource's Okta JSON (a user, a log event) satisfies the expression."""
    if not search:
        return True
    return any(all(_term(resource, term) for term in clause) for clause in search)


def _term(resource: dict[str, Any], term: Term) -> bool:
    attribute, op, wanted = term
    values = _values(resource, attribute.split("."))
    if op == "pr":
        return any(value not in (None, "") for value in values)
    return any(_compare(str(value), op, wanted) for value in values if value is not None)


def _values(node: Any, path: list[str]) -> list[Any]:
    """The values at `path`; an array on the way matches through any element (a LogEvent's `target` is one)."""
    if not path:
        return node if isinstance(node, list) else [node]
    if isinstance(node, list):
        return [value for item in node for value in _values(item, path)]
    if isinstance(node, dict):
        return _values(node.get(path[0]), path[1:])
    return []


def _compare(actual: str, op: str, wanted: str) -> bool:
    if op == "eq":
        # Okta compares strings case-insensitively in search.
        return actual.lower() == wanted.lower()
    if op == "sw":
        return actual.lower().startswith(wanted.lower())
    if op == "co":
        return wanted.lower() in actual.lower()
    return {"gt": actual > wanted, "lt": actual < wanted, "ge": actual >= wanted, "le": actual <= wanted}[op]
