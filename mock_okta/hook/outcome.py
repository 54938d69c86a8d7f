"""What every hook type's verdict shares: the contract violations with their JSON paths, the texts someone is
shown, the rules where Okta's docs are silent, and reading a hook's body strictly.

Each hook type decides in its own package (what Okta does with a registration answer is not what it does with a
token patch); they all report in these terms, so the journal, the CLI and the pytest plugin can show any of them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from .channel import Exchange, Failure
from .jsonsafe import UnrepresentableJson, loads_strict


@dataclass(frozen=True)
class Message:
    """A text someone is shown (the end user, or the API caller); `field` names the form attribute it shows under,
    None for the form (or the answer) as a whole."""

    text: str
    field: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "text": self.text}


@dataclass(frozen=True)
class Violation:
    """A breach of the hook contract. `fatal` ones make Okta discard the response as invalid."""

    path: str
    message: str
    fatal: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "message": self.message, "fatal": self.fatal}


@dataclass(frozen=True)
class VerdictRules:
    """How the mock judges answers where Okta's docs are silent, for any hook type.

    `unknown_keys_fail`: a body with top-level keys the type does not read is an invalid response (Okta's
    developer forum: a body with `statusCode`/`reason` keys reached the user as the generic error). Turn off to
    only report such keys as violations and read the body as usual.
    `schema_attributes`: the org's user schema attribute names, where a type's answer may name attributes (None:
    not checked, no org). `texts`: the type's own end-user texts, None for Okta's defaults.
    """

    unknown_keys_fail: bool = True
    schema_attributes: frozenset[str] | None = None
    texts: Any = None


class Verdict(Protocol):
    """What Okta did with one exchange, as every hook type reports it."""

    failure: Failure | None
    violations: list[Violation]
    messages: list[Message]
    # The hook's `debugContext` (every inline hook may send one; Okta writes it to the System Log).
    debug_context: Any

    @property
    def outcome(self) -> str:
        """The type's outcome in Okta's words (ALLOW, DENY...), the same for every failure of the call."""
        ...

    @property
    def proceeds(self) -> bool:
        """Whether Okta goes on with the flow after this answer (creates the user, issues the tokens) instead of
        stopping it (a registration denied, a token hook's `error`: "the entire token inline hook flow fails with
        no token generated"). A failed call that Okta skips (a token hook's timeout) goes on."""
        ...

    def to_json(self) -> dict[str, Any]: ...


def parse_body(raw: bytes, violations: list[Violation]) -> dict[str, Any] | None:
    """The hook's 2xx body as a JSON object, or None with a fatal violation saying why Okta could not read it."""
    if not raw.strip():
        violations.append(Violation("$", "empty body with a 2xx status: answer 204 to allow without changes", True))
        return None
    try:
        body = loads_strict(raw)
    except UnrepresentableJson as exc:
        violations.append(Violation("$", f"body cannot be represented: {exc}", True))
        return None
    except (ValueError, UnicodeDecodeError) as exc:
        violations.append(Violation("$", f"body is not JSON ({exc})", True))
        return None
    if not isinstance(body, dict):
        violations.append(Violation("$", f"body must be a JSON object, got {json_type(body)}", True))
        return None
    return body


def unknown_keys(body: dict[str, Any], known: tuple[str, ...], rules: VerdictRules) -> list[Violation]:
    """A violation per top-level key Okta does not read (fatal unless the rules say otherwise)."""
    names = ", ".join(known)
    return [
        Violation(member_path(key), f"unknown key {key!r}: Okta reads only {names}", rules.unknown_keys_fail)
        for key in body
        if key not in known
    ]


def member_path(key: str, dot: str = "") -> str:
    """`key` as one step of a JSON path: `.name`, or `["odd key"]`."""
    return f"{dot}{key}" if re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", key) else f"[{json.dumps(key)}]"


def json_type(value: Any) -> str:
    """`value`'s JSON type as a sentence says it: an object, an array, a string, a number..."""
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


def as_object(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one (`execute` and Preview send whatever they are given)."""
    return value if isinstance(value, dict) else {}


V = TypeVar("V", bound=Verdict)


@dataclass
class HookRun(Generic[V]):
    """One hook call as Okta processed it: the exchange on the wire and the type's verdict."""

    exchange: Exchange
    verdict: V

    @property
    def request(self) -> dict[str, Any]:
        return self.exchange.request

    @property
    def outcome(self) -> str:
        return self.verdict.outcome

    def response_body(self) -> Any:
        """The hook's body as JSON when it parses, else as text (None when there was none)."""
        raw = self.exchange.body
        if not raw:
            return None
        try:
            return loads_strict(raw)
        except ValueError:  # not JSON, or JSON nothing could send on (NaN, a lone surrogate...): the text
            return raw.decode("utf-8", "replace")

    def to_json(self) -> dict[str, Any]:
        exchange = self.exchange
        return {
            "outcome": self.verdict.outcome,
            **self.verdict.to_json(),
            "attempts": [attempt.to_json() for attempt in exchange.attempts],
            "request": {"uri": exchange.uri, "headers": exchange.request_headers, "body": exchange.request},
            "response": {
                "status": exchange.status,
                "headers": exchange.response_headers,
                "body": self.response_body(),
            },
        }
