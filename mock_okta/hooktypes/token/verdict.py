"""From one token hook exchange to what Okta issues: the tokens (patched, or as minted), or an OAuth 2.0
`server_error`, with every contract violation by its JSON path.

Okta's rules (TOKREF: okta-developer-docs `docs/reference/token-hook/index.md` before commit 982a3bc1c1, and the
same text in the management spec's `createTokenInlineHook` and `TokenHookResponse`):
- an `error` object fails the whole flow: no token, and the requester gets `server_error` whose
  `error_description` is the errorSummary, or "The callback service returned an error" without one ("error");
- `com.okta.identity.patch` patches the ID token, `com.okta.access.patch` the access token, each a list of
  `{op, path, value}`; `add` adds a claim (or replaces it when it exists), a member of an existing object or an
  element of an existing array (at an index, or `-` to append); `replace` only what exists, and the lifetime at
  `/token/lifetime/expiration` (300 to 86,400 seconds); `remove` only what exists, with no value or null;
- reserved claims can't be added, replaced or removed ("Reserved claims for Token Hooks"; `aud` and `sub` only in
  the ID token);
- a command for a token that is not being minted, an invalid op or path, a reserved claim, a target that does not
  exist: "the entire PATCH" fails, the tokens are issued without it and the error is logged ("Troubleshoot");
- a timeout, a failed call or a status other than 200: "the inline hook operation is skipped. The token is generated
  without any modification" (and the call is not retried: concept page, "Time out and retry"); 204 is the spec's
  answer with no changes.
Where the sources are silent the mock chooses, and says so where it does (an `error` that is not an object, a
lifetime that is not a whole number, JSON Pointer escapes in claim names).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from ...hook.channel import Exchange, Failure
from ...hook.outcome import Message, VerdictRules, Violation, as_object, json_type, parse_body, unknown_keys
from .contract import (
    ACCESS_PATCH,
    CLAIMS_PREFIX,
    COMMAND_TYPES,
    DEFAULT_ERROR_SUMMARY,
    IDENTITY_PATCH,
    LIFETIME_PATH,
    MAX_LIFETIME,
    MIN_LIFETIME,
    OPS,
    RESERVED_ACCESS_CLAIMS,
    RESERVED_IDENTITY_CLAIMS,
)
from .payloads import MintedToken, TokenMinting

RESPONSE_KEYS = ("commands", "error", "debugContext")
IDENTITY, ACCESS = "identity", "access"
TOKENS = (IDENTITY, ACCESS)
_TOKEN_OF = {IDENTITY_PATCH: IDENTITY, ACCESS_PATCH: ACCESS}
_RESERVED = {IDENTITY: RESERVED_IDENTITY_CLAIMS, ACCESS: RESERVED_ACCESS_CLAIMS}
_NAMES = {IDENTITY: "ID token", ACCESS: "access token"}
SERVER_ERROR = "server_error"


class Outcome(StrEnum):
    """What the requester of the tokens gets: tokens the hook patched, the tokens as minted (the hook asked for no
    change, or its call failed: see `failure`), or `server_error` (the hook's error object)."""

    PATCHED = "PATCHED"
    UNCHANGED = "UNCHANGED"
    ERROR = "ERROR"


class PatchRefused(ValueError):
    """An operation Okta cannot apply: the whole patch is dropped."""


@dataclass(frozen=True)
class Operation:
    """One operation of the hook's patch, as Okta read it (`pointer`: the path's steps below /claims/, decoded;
    empty for the lifetime)."""

    op: str
    path: str
    pointer: tuple[str, ...]
    value: Any = None

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "path": self.path, **({"value": self.value} if self.op != "remove" else {})}


@dataclass(frozen=True)
class Minted:
    """What the authorization server issues for a minting once the hook answered: the tokens (None: not minted, or
    not issued because of `error`), the `error_description` of Okta's `server_error`, and why a patch was dropped
    or the call failed (both leave the tokens as minted)."""

    identity: MintedToken | None
    access: MintedToken | None
    error: str | None = None
    dropped: str | None = None
    failure: Failure | None = None

    @property
    def issued(self) -> bool:
        return self.error is None

    def error_response(self) -> dict[str, str] | None:
        """The OAuth 2.0 error body the requester gets, or None when tokens are issued."""
        return None if self.error is None else {"error": SERVER_ERROR, "error_description": self.error}


@dataclass
class Verdict:
    """What Okta does with a token hook's answer. `identity`/`access` are the tokens it issues (from the request's
    claims and lifetimes), None when that token is not minted or nothing is issued."""

    tokens: Outcome
    identity: MintedToken | None = None
    access: MintedToken | None = None
    operations: dict[str, tuple[Operation, ...]] = field(default_factory=dict)
    error_description: str | None = None
    dropped: str | None = None
    failure: Failure | None = None
    violations: list[Violation] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    debug_context: Any = None

    @property
    def outcome(self) -> str:
        return str(self.tokens)

    @property
    def proceeds(self) -> bool:
        # TOKREF "Sample error response": an error object fails the whole flow; anything else issues tokens.
        return self.tokens != Outcome.ERROR

    def claims(self, token: str) -> dict[str, Any] | None:
        """The issued claims of `identity` or `access` (None: that token is not issued)."""
        minted = self.identity if token == IDENTITY else self.access
        return dict(minted.claims) if minted is not None else None

    def lifetime(self, token: str) -> int | None:
        minted = self.identity if token == IDENTITY else self.access
        return minted.lifetime if minted is not None else None

    def apply(self, minting: TokenMinting) -> Minted:
        """The tokens the server issues for `minting` (the minting the request was built from): this answer's patch
        applied to copies of its tokens. Never raises: a patch that does not fit them is dropped."""
        if self.tokens == Outcome.ERROR:
            return Minted(None, None, error=self.error_description)
        if self.tokens != Outcome.PATCHED:
            return Minted(minting.identity, minting.access, dropped=self.dropped, failure=self.failure)
        try:
            identity = patched(minting.identity, self.operations.get(IDENTITY, ()), IDENTITY)
            access = patched(minting.access, self.operations.get(ACCESS, ()), ACCESS)
        except PatchRefused as exc:
            return Minted(minting.identity, minting.access, dropped=str(exc), failure=Failure.INVALID_RESPONSE)
        return Minted(identity, access)

    def to_json(self) -> dict[str, Any]:
        def token(minted: MintedToken | None) -> dict[str, Any] | None:
            return None if minted is None else {"claims": dict(minted.claims), "lifetime": minted.lifetime}

        error = (
            None
            if self.error_description is None
            else {"error": SERVER_ERROR, "error_description": self.error_description}
        )
        return {
            "tokens": self.tokens,
            "identity": token(self.identity),
            "access": token(self.access),
            "patch": {t: [o.to_json() for o in ops] for t, ops in self.operations.items()},
            "oauthError": error,
            "patchDropped": self.dropped,
            "failure": self.failure,
            "violations": [violation.to_json() for violation in self.violations],
            "debugContext": self.debug_context,
        }


def decide(request: dict[str, Any], exchange: Exchange, *, rules: VerdictRules = VerdictRules()) -> Verdict:
    """What Okta issues for a finished exchange. Never raises, whatever the request or the answer."""
    minted = minted_tokens(request)
    unchanged = Verdict(Outcome.UNCHANGED, *minted)
    if exchange.failed:
        return replace(unchanged, failure=exchange.attempts[-1].error)
    if exchange.status == 204:
        return unchanged
    if exchange.status != 200:
        # TOKREF "Troubleshoot": "any other HTTP status code besides 200, the inline hook operation is skipped".
        violation = Violation("$", f"HTTP {exchange.status}: Okta reads a token hook's answer only with 200", True)
        return replace(unchanged, failure=Failure.HTTP_STATUS, violations=[violation])

    violations: list[Violation] = []
    body = parse_body(exchange.body, violations)
    if body is None:
        return replace(unchanged, failure=Failure.INVALID_RESPONSE, violations=violations)
    violations.extend(unknown_keys(body, RESPONSE_KEYS, rules))
    debug_context = body.get("debugContext")
    if debug_context is not None and not isinstance(debug_context, dict):
        violations.append(Violation("debugContext", "must be an object; Okta logs it in the System Log"))
    if body.get("error") is not None:
        verdict = _error(body, minted, violations)
    else:
        verdict = _patch(body.get("commands"), minted, violations)
    verdict.debug_context = debug_context
    if any(v.fatal for v in verdict.violations) and verdict.failure is None:
        # An answer Okta cannot read at all (e.g. unknown top-level keys): the tokens as minted.
        verdict = replace(unchanged, failure=Failure.INVALID_RESPONSE, violations=verdict.violations)
        verdict.debug_context = debug_context
    return verdict


def minted_tokens(request: dict[str, Any]) -> tuple[MintedToken | None, MintedToken | None]:
    """The ID and access tokens the request shows (None: not minted). `execute` and Preview send whatever they are
    given, so every member may be missing or of the wrong type."""
    data = as_object(request.get("data"))

    def token(name: str) -> MintedToken | None:
        if not isinstance(data.get(name), dict):
            return None
        token = data[name]
        expiration = as_object(as_object(token.get("token")).get("lifetime")).get("expiration")
        lifetime = expiration if isinstance(expiration, int) and not isinstance(expiration, bool) else 0
        return MintedToken(copy.deepcopy(as_object(token.get("claims"))), lifetime)

    return token(IDENTITY), token(ACCESS)


def _error(
    body: dict[str, Any], minted: tuple[MintedToken | None, MintedToken | None], violations: list[Violation]
) -> Verdict:
    error = body["error"]
    if not isinstance(error, dict):
        # The sources define `error` as an object only; the mock reads anything else as an answer Okta cannot
        # parse (the hook call fails and the tokens are issued as minted), not as an error.
        violations.append(Violation("error", f"must be an object, got {json_type(error)}", True))
        return Verdict(Outcome.UNCHANGED, *minted, failure=Failure.INVALID_RESPONSE, violations=violations)
    if body.get("commands") not in (None, []):
        violations.append(Violation("commands", "ignored: an error object fails the flow and no token is issued"))
    summary = error.get("errorSummary")
    if summary is not None and not isinstance(summary, str):
        violations.append(Violation("error.errorSummary", f"must be a string, got {json_type(summary)}"))
    # An empty errorSummary says nothing: the requester gets Okta's default sentence, as without one.
    text = summary if isinstance(summary, str) and summary.strip() else DEFAULT_ERROR_SUMMARY
    return Verdict(Outcome.ERROR, error_description=text, violations=violations, messages=[Message(text)])


def _patch(
    commands: Any, minted: tuple[MintedToken | None, MintedToken | None], violations: list[Violation]
) -> Verdict:
    identity, access = minted
    if commands is None:
        return Verdict(Outcome.UNCHANGED, identity, access, violations=violations)
    problems: list[Violation] = []
    operations: dict[str, list[Operation]] = {}
    working = {IDENTITY: identity, ACCESS: access}
    if not isinstance(commands, list):
        problems.append(Violation("commands", f"must be an array, got {json_type(commands)}", True))
        commands = []
    for index, command in enumerate(commands):
        where = f"commands[{index}]"
        try:
            token, ops = _read_command(where, command, working)
            for number, operation in enumerate(ops):
                try:
                    working[token] = patched(working[token], (operation,), token)
                except PatchRefused as exc:
                    raise PatchRefused(f"{where}.value[{number}]: {exc}") from None
            operations.setdefault(token, []).extend(ops)
        except PatchRefused as exc:
            path, _, message = str(exc).partition(": ")
            problems.append(Violation(path, message, True))
    if problems:
        reason = "; ".join(f"{v.path}: {v.message}" for v in problems)
        return Verdict(
            Outcome.UNCHANGED,
            identity,
            access,
            dropped=f"the whole patch was not applied ({reason})",
            failure=Failure.INVALID_RESPONSE,
            violations=[*violations, *problems],
        )
    applied = {token: tuple(ops) for token, ops in operations.items() if ops}
    return Verdict(
        Outcome.PATCHED if applied else Outcome.UNCHANGED,
        working[IDENTITY],
        working[ACCESS],
        operations=applied,
        violations=violations,
    )


def _read_command(where: str, command: Any, working: Mapping[str, MintedToken | None]) -> tuple[str, list[Operation]]:
    if not isinstance(command, dict):
        raise PatchRefused(f"{where}: must be an object, got {json_type(command)}")
    kind = command.get("type")
    if kind not in COMMAND_TYPES:
        raise PatchRefused(f"{where}.type: unknown command {kind!r}; Okta knows {' and '.join(COMMAND_TYPES)}")
    token = _TOKEN_OF[kind]
    if working[token] is None:
        # TOKREF: "if only an ID token is requested, the commands array shouldn't contain ... com.okta.access.patch".
        raise PatchRefused(f"{where}.type: no {_NAMES[token]} is being minted, so {kind} cannot apply")
    value = command.get("value")
    if not isinstance(value, list):
        raise PatchRefused(f"{where}.value: must be an array of operations, got {json_type(value)}")
    return token, [_read_operation(f"{where}.value[{number}]", item) for number, item in enumerate(value)]


def _read_operation(where: str, item: Any) -> Operation:
    if not isinstance(item, dict):
        raise PatchRefused(f"{where}: must be an object with op, path and value, got {json_type(item)}")
    op, path = item.get("op"), item.get("path")
    if op not in OPS:
        raise PatchRefused(f"{where}.op: {op!r} is not an op Okta supports ({', '.join(OPS)})")
    if not isinstance(path, str):
        raise PatchRefused(f"{where}.path: must be a string, got {json_type(path)}")
    if op == "remove":
        if item.get("value") is not None:
            # TOKREF: "If you provide it in the response, it should be set to null. Providing any other value fails
            # the entire PATCH response."
            raise PatchRefused(f"{where}.value: remove takes no value (or null)")
    elif "value" not in item:
        raise PatchRefused(f"{where}.value: {op} needs a value")
    if path == LIFETIME_PATH:
        return Operation(op, path, (), _lifetime(where, op, item.get("value")))
    if not path.startswith(CLAIMS_PREFIX):
        raise PatchRefused(f"{where}.path: {path!r} is neither /claims/<name> nor {LIFETIME_PATH}")
    pointer = tuple(_unescape(where, step) for step in path[len(CLAIMS_PREFIX) :].split("/"))
    if not pointer[0]:
        raise PatchRefused(f"{where}.path: {path!r} names no claim")
    return Operation(op, path, pointer, copy.deepcopy(item.get("value")))


def _lifetime(where: str, op: str, value: Any) -> int:
    if op != "replace":
        # TOKREF's ops: `replace` "update[s] the token lifetime"; a lifetime always exists, so add and remove are
        # invalid operations there.
        raise PatchRefused(f"{where}.op: only replace changes {LIFETIME_PATH}")
    # The spec types `expiration` as an integer: the mock refuses 3600.0 and "3600" rather than guess.
    if isinstance(value, bool) or not isinstance(value, int):
        raise PatchRefused(f"{where}.value: a lifetime is a whole number of seconds, got {json_type(value)}")
    if not MIN_LIFETIME <= value <= MAX_LIFETIME:
        raise PatchRefused(
            f"{where}.value: a lifetime is {MIN_LIFETIME} to {MAX_LIFETIME} seconds (5 minutes to 24 hours), "
            f"got {value}"
        )
    return value


def _unescape(where: str, step: str) -> str:
    """One JSON Pointer step (RFC 6901: `~1` is `/`, `~0` is `~`), which the spec's JSON Patch paths follow (the SAML
    hook's URI claims say so; the token hook's reference is silent, and the mock reads them the same way)."""
    text = step.replace("~1", "/").replace("~0", "~")
    if "~" in step.replace("~0", "").replace("~1", ""):
        raise PatchRefused(f"{where}.path: {step!r} has a ~ that is neither ~0 nor ~1")
    return text


def patched(minted: MintedToken | None, operations: tuple[Operation, ...], token: str) -> MintedToken | None:
    """`minted` with the operations applied in order, on copies; PatchRefused at the first that cannot apply."""
    if not operations:
        return minted
    if minted is None:
        raise PatchRefused(f"no {_NAMES[token]} is being minted")
    claims = copy.deepcopy(dict(minted.claims))
    lifetime = minted.lifetime
    for operation in operations:
        if not operation.pointer:
            lifetime = operation.value
            continue
        name = operation.pointer[0]
        if name in _RESERVED[token]:
            raise PatchRefused(
                f"{name!r} is a reserved claim of the {_NAMES[token]}: a hook can't {operation.op} it "
                "(token hook reference, 'Reserved claims for Token Hooks')"
            )
        _apply(claims, operation)
    return MintedToken(claims, lifetime)


def _apply(claims: dict[str, Any], operation: Operation) -> None:
    op, steps = operation.op, operation.pointer
    parent: Any = claims
    for depth, step in enumerate(steps[:-1]):
        parent = _child(parent, step, "/".join(steps[: depth + 1]))
    last = steps[-1]
    what = "/".join(steps)
    value = copy.deepcopy(operation.value)
    if isinstance(parent, dict):
        if op != "add" and last not in parent:
            kind = "claim" if len(steps) == 1 else "member"
            raise PatchRefused(f"can't {op} {what}: the {kind} does not exist in the token")
        if op == "remove":
            del parent[last]
        else:
            parent[last] = value  # add on an existing claim replaces it (TOKREF, "Sample response to add a claim")
    elif isinstance(parent, list):
        if op == "add" and last == "-":
            parent.append(value)
            return
        index = _index(last)
        if index is None or index > len(parent) or (op != "add" and index == len(parent)):
            raise PatchRefused(f"can't {op} {what}: no such index in an array of {len(parent)}")
        if op == "add":
            parent.insert(index, value)
        elif op == "replace":
            parent[index] = value
        else:
            del parent[index]
    else:
        raise PatchRefused(f"can't {op} {what}: {'/'.join(steps[:-1])} is {json_type(parent)}, not an object or array")


def _child(node: Any, step: str, so_far: str) -> Any:
    if isinstance(node, dict):
        if step not in node:
            raise PatchRefused(f"{so_far} does not exist in the token")
        return node[step]
    if isinstance(node, list):
        index = _index(step)
        if index is None or index >= len(node):
            raise PatchRefused(f"{so_far}: no such index in an array of {len(node)}")
        return node[index]
    raise PatchRefused(f"{so_far}: below {json_type(node)}, which has no members")


def _index(step: str) -> int | None:
    """An array index as JSON Pointer writes it: 0, or digits without a leading zero."""
    if step == "0" or (step[:1] in "123456789" and step[:1] and step.isdigit() and step.isascii()):
        return int(step)
    return None


def reserved_claim_paths(body: Any) -> list[str]:
    """`token:path` of every operation in a hook's answer that names a reserved claim of its token, whatever else
    is wrong with the answer (for `verify`). Never raises."""
    commands = body.get("commands") if isinstance(body, dict) else None
    found = []
    for command in commands if isinstance(commands, list) else []:
        kind = command.get("type") if isinstance(command, dict) else None
        token = _TOKEN_OF.get(kind) if isinstance(kind, str) else None
        operations = command.get("value") if token is not None and isinstance(command, dict) else None
        for item in operations if isinstance(operations, list) else []:
            path = item.get("path") if isinstance(item, dict) else None
            if isinstance(path, str) and path.startswith(CLAIMS_PREFIX) and token is not None:
                name = path[len(CLAIMS_PREFIX) :].split("/")[0].replace("~1", "/").replace("~0", "~")
                if name in _RESERVED[token]:
                    found.append(f"{token}:{path}")
    return found
