"""The seam every Okta hook type plugs into: one `HookType` object per type, and the registry that maps Okta's
type strings (and the CLI's short names) to them.

A hook type is a package of its own (`mock_okta.hooktypes.<name>`): its requests, its answer's model, its verdict,
its case vocabulary, its `verify` checks and its Preview form. Everything that calls a hook (the CLI's `fire`,
`verify`, `schema`, `drift`; the cases file's `type:`; the Inline Hooks API's type validation, `execute` and
Preview; the journal; the pytest plugin) asks the registry for the type instead of naming one, so adding a type
is a new package and one line where the registry is filled (`mock_okta.hooktypes`). As in moto, where each AWS
service is a folder the server finds in a table.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Generic, Protocol, runtime_checkable

from pydantic import BaseModel, ValidationError

from .channel import ChannelConfig, Exchange
from .outcome import HookRun, V, VerdictRules
from .shape import shape


class ContractError(ValueError):
    """A body that is not a request of the hook type; `path` is the JSON path of the first problem."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class RequestOptions:
    """What `fire`, `verify` and the fixtures may say about a generated request; a type refuses (OverrideError)
    the options it has no use for. `sets`: `dotted.path=value` overrides applied last."""

    seed: int | None = None
    locale: str = "en_US"
    email: str | None = None
    domain: str | None = None
    engine: str = "ie"
    sets: tuple[str, ...] = ()


class Case(Protocol):
    """One expectation of a cases file, as a hook type reads it (the shared runner judges `expect` and `max_ms`;
    the type judges the rest)."""

    @property
    def name(self) -> str: ...

    @property
    def expect(self) -> str | None:
        """One of the type's outcomes in lower case (allow, deny...), `failure`, or None: any outcome."""
        ...

    @property
    def max_ms(self) -> float | None: ...

    def request(self, uid: str, *, seed: int | None = None, engine: str = "ie") -> dict[str, Any]:
        """The request Okta sends for this case; `{uid}` in its values becomes `uid`."""
        ...

    def judge_details(self, run: HookRun[Any]) -> list[str]:
        """Every way the run differs from the case beyond its outcome and latency."""
        ...

    def skip_reason(self, engine: str) -> str | None:
        """Why this case cannot run against an org of this engine, or None."""
        ...


@runtime_checkable
class FillsUid(Protocol):
    """A case whose expectations, not only its inputs, may say `{uid}` (the token type's claims: `sub` is the
    user's login): `with_uid` is the case one run judges, `{uid}` filled in everywhere with the value its request
    got. The shared runners call it through `cases.for_run`."""

    def with_uid(self, uid: str) -> Case: ...


class CaseProblem(ValueError):
    """A cases-file entry the type cannot read: `key` names the member, the text says what it must be."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True)
class PreviewField:
    """One choice on the Preview tab's "Configure Inline Hook request" form: a select named `name`."""

    name: str
    label: str
    options: tuple[tuple[str, str], ...]  # (value, label)
    selected: str = ""


@dataclass(frozen=True)
class PreviewContext:
    """What the org lends the Preview form: its users (id, profile), its engine, and its Classic registration
    policy id, so a type's form can offer them without knowing the org."""

    users: tuple[tuple[str, dict[str, Any]], ...] = ()
    engine: str = "ie"
    classic_policy_id: str | None = None


# A named check of `verify`: called with the Verifier and the Result it fills (typed in `verify`, which builds on
# this module).
Check = Callable[[Any, Any], Awaitable[None]]


class HookType(ABC, Generic[V]):
    """One Okta hook type. Subclasses set the class attributes and implement the abstract methods."""

    # Okta's inline hook `type` (`com.okta.user.pre-registration`), which is also the requests' `eventType`.
    type: ClassVar[str]
    # Short name for the CLI (`--type registration`) and the cases file (`type: registration`).
    name: ClassVar[str]
    title: ClassVar[str]
    # The kinds of request Okta sends for this type (`fire --request-type`); the first is the default.
    request_kinds: ClassVar[tuple[str, ...]]
    # Okta's outcomes for a call that did not fail, in Okta's words (ALLOW, DENY...); a case expects one of these
    # in lower case, or `failure`.
    outcomes: ClassVar[tuple[str, ...]]
    # The case keys the type reads beyond the shared `name`, `type`, `expect` and `max_ms`.
    case_keys: ClassVar[tuple[str, ...]] = ()
    # The word the Preview tab and the journal put before the outcome ("Registration: DENY").
    outcome_label: ClassVar[str] = "Outcome"
    # The response's model: its JSON Schema for hooks in any language, and verify's schema check.
    response_model: ClassVar[builtins.type[BaseModel]]
    # Members of the request whose contents depend on the org (form values, profiles): `drift` compares only their
    # presence and JSON type.
    org_values: ClassVar[frozenset[str]] = frozenset()
    # Whether Okta retries a failed call of this type (inline hooks concept page, "Time out and retry": "The token
    # inline hook and the telephony inline hook don't support retries").
    retried: ClassVar[bool] = True
    # Whether a well-behaved hook lets Okta's flow go on for every request `verify`'s checks send (`sample_request`
    # and the other kinds): then an answer that stops the flow (`Verdict.proceeds` false, a token hook's `error`)
    # fails a "does not break it" check as surely as a failed call. False: the hook may stop the flow for its own
    # reasons (a registration hook denies whom it likes), and the checks ask only that the call not fail.
    samples_proceed: ClassVar[bool] = False

    def channel_config(self, config: ChannelConfig) -> ChannelConfig:
        """`config` as Okta uses it for this type: without a retry when the type is never retried."""
        return config if self.retried or config.max_retries == 0 else replace(config, max_retries=0)

    # -- requests -------------------------------------------------------------------------------------------------
    @abstractmethod
    def build_request(self, kind: str | None = None, options: RequestOptions = RequestOptions()) -> dict[str, Any]:
        """One request of `kind` (default: the first of `request_kinds`), generated, with `options.sets` applied;
        OverrideError for an option or kind the type does not take."""

    def sample_request(self, seed: int, kind: str | None = None, *, engine: str = "ie") -> dict[str, Any]:
        """A request for `verify`'s checks: one a well-behaved hook answers without failing."""
        return self.build_request(kind, RequestOptions(seed=seed, engine=engine))

    @abstractmethod
    def validate_request(self, body: Any) -> None:
        """ContractError naming the first problem when `body` is not a request of this type."""

    def request_kind(self, request: dict[str, Any]) -> str:
        """Which of `request_kinds` (or another name, for drift) this request is."""
        return self.request_kinds[0]

    def drift_kind(self, request: dict[str, Any]) -> str:
        """The kind `drift` files a received request under (requests of one kind are compared with each other)."""
        return self.request_kind(request)

    def drift_kinds(self) -> tuple[str, ...]:
        """The kinds `generated_shape` knows."""
        return self.request_kinds

    def known_kinds(self) -> tuple[str, ...]:
        """Drift kinds Okta sends that the mock knows of but does not build: `drift` notes them, compares nothing."""
        return ()

    def generated_shape(self, kind: str) -> dict[str, str]:
        """JSON path → type of the request the mock sends for a drift kind."""
        return shape(self.build_request(kind, RequestOptions(seed=1)), self.org_values)

    def subject(self, request: dict[str, Any]) -> str:
        """Who or what the request is about, for the journal (an email, a client id...)."""
        return ""

    def request_schema(self) -> dict[str, Any]:
        """JSON Schema of the requests Okta sends."""
        raise NotImplementedError

    def json_schema(self, which: str) -> dict[str, Any]:
        if which == "request":
            return self.request_schema()
        if which == "response":
            return self.response_model.model_json_schema()
        raise ValueError(f"unknown schema {which!r}: choose 'request' or 'response'")

    def response_problems(self, body: bytes) -> list[str]:
        """The first way `body` misses the response schema (empty when it fits)."""
        try:
            self.response_model.model_validate_json(body)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"]) or "$"
            return [f"{where}: {first['msg']}"]
        return []

    # -- the verdict ------------------------------------------------------------------------------------------------
    @abstractmethod
    def decide(self, request: dict[str, Any], exchange: Exchange, rules: VerdictRules = VerdictRules()) -> V:
        """What Okta does with this exchange. Never raises, whatever the hook answered."""

    # -- cases and verify -------------------------------------------------------------------------------------------
    @abstractmethod
    def parse_case(self, name: str, expect: str, max_ms: float | None, entry: dict[str, Any]) -> Case:
        """The type's case from a cases-file entry whose shared keys are already read; CaseProblem otherwise."""

    def example_cases(self) -> list[Case]:
        """The cases `verify` runs when it is given no cases file."""
        return []

    def checks(self) -> tuple[tuple[str, Check], ...] | None:
        """`verify`'s named conformance checks, in order, before the cases; None: the shared ones."""
        return None

    # -- Preview ----------------------------------------------------------------------------------------------------
    def preview_fields(self, context: PreviewContext) -> tuple[PreviewField, ...]:
        """The Preview tab's choices for this type (the request kind by default)."""
        return (PreviewField("requestType", "requestType", tuple((k, k) for k in self.request_kinds)),)

    def preview_request(self, choice: dict[str, Any], context: PreviewContext) -> dict[str, Any]:
        """The request the Preview tab's choices stand for; ValueError with the text to show otherwise."""
        kind = choice.get("requestType") or self.request_kinds[0]
        if kind not in self.request_kinds:
            raise ValueError(f"Choose a request type: {', '.join(self.request_kinds)}.")
        return self.build_request(kind, RequestOptions(engine=context.engine))


class UnknownHookType(LookupError):
    """A type string or short name the registry does not hold."""


@dataclass
class Registry:
    """Okta hook types by `type` string and short name. `known` lists the other inline hook types Okta's API
    accepts (stored and listed, but not called by the mock until a package emulates them)."""

    types: dict[str, HookType[Any]] = field(default_factory=dict)
    known: tuple[str, ...] = ()

    def register(self, hook_type: HookType[Any]) -> HookType[Any]:
        for other in self.types.values():
            if other.name == hook_type.name and other.type != hook_type.type:
                raise ValueError(f"the short name {hook_type.name!r} is taken by {other.type}")
        self.types[hook_type.type] = hook_type
        return hook_type

    def unregister(self, type_string: str) -> None:
        self.types.pop(type_string, None)

    def get(self, type_or_name: str) -> HookType[Any]:
        """The type for Okta's type string or the CLI's short name; UnknownHookType with the choices otherwise."""
        found = self.find(type_or_name)
        if found is None:
            raise UnknownHookType(f"unknown hook type {type_or_name!r}: choose {', '.join(self.names())}")
        return found

    def find(self, type_or_name: object) -> HookType[Any] | None:
        if not isinstance(type_or_name, str):
            return None
        if type_or_name in self.types:
            return self.types[type_or_name]
        return next((t for t in self.types.values() if t.name == type_or_name), None)

    def default(self) -> HookType[Any]:
        """The type a cases file or a command means when it names none: the first registered."""
        if not self.types:
            raise UnknownHookType("no hook type is registered")
        return next(iter(self.types.values()))

    def names(self) -> list[str]:
        return [t.name for t in self.types.values()]

    def type_strings(self) -> tuple[str, ...]:
        """Every `type` the Inline Hooks API accepts: the emulated ones and the other known ones."""
        return tuple(sorted({*self.known, *self.types}))

    def __iter__(self) -> Iterator[HookType[Any]]:
        return iter(list(self.types.values()))
