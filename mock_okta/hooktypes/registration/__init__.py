"""Okta's registration inline hook (`com.okta.user.pre-registration`): self-service registration and progressive
profile on an Identity Engine org, self-service registration on a Classic Engine org.

Sources: okta-developer-docs `docs/reference/registration-hook/index.md` and `docs/concepts/inline-hooks/`; the
management spec's `RegistrationInlineHook*` schemas; the Sign-In Widget's IDX and Classic fixtures.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ...hook.channel import Exchange
from ...hook.outcome import VerdictRules
from ...hook.overrides import OverrideError
from ...hook.registry import Case, Check, HookType, PreviewContext, PreviewField, RequestOptions
from ...hook.settings import Engine
from ...hook.shape import shape
from . import preview
from .cases import CASE_KEYS, guide_cases, parse_case
from .checks import CHECKS
from .contract import EVENT_TYPE, PROGRESSIVE_PROFILE, SSR, RegistrationHookResponse, request_schema, validate_request
from .payloads import RequestType, build_request
from .verdict import Verdict, decide, is_classic

CLASSIC = "classic (no requestType)"


class RegistrationHook(HookType[Verdict]):
    type = EVENT_TYPE
    name = "registration"
    title = "Registration inline hook"
    request_kinds = tuple(RequestType)
    outcomes = ("ALLOW", "DENY")
    case_keys = CASE_KEYS
    outcome_label = "Registration"
    response_model = RegistrationHookResponse
    org_values: ClassVar[frozenset[str]] = frozenset(
        {"data.userProfile", "data.context.user.profile", "data.userProfileUpdate"}
    )

    def build_request(self, kind: str | None = None, options: RequestOptions = RequestOptions()) -> dict[str, Any]:
        return build_request(
            kind or RequestType.REGISTRATION,
            seed=options.seed,
            locale=options.locale,
            email=options.email,
            domain=options.domain,
            sets=options.sets,
            engine=options.engine,
        )

    def sample_request(self, seed: int, kind: str | None = None, *, engine: str = Engine.IE) -> dict[str, Any]:
        # An example.com user, whom the guide's hooks let in.
        return build_request(kind or RequestType.REGISTRATION, seed=seed, domain="example.com", engine=engine)

    def validate_request(self, body: Any) -> None:
        validate_request(body)

    def request_kind(self, request: dict[str, Any]) -> str:
        return (
            RequestType.PROFILE_UPDATE
            if request.get("requestType") == PROGRESSIVE_PROFILE
            else RequestType.REGISTRATION
        )

    def drift_kind(self, request: dict[str, Any]) -> str:
        kind = request.get("requestType")
        return kind if isinstance(kind, str) else CLASSIC

    def drift_kinds(self) -> tuple[str, ...]:
        return (SSR, PROGRESSIVE_PROFILE, CLASSIC)

    def generated_shape(self, kind: str) -> dict[str, str]:
        if kind == PROGRESSIVE_PROFILE:
            return shape(build_request(RequestType.PROFILE_UPDATE, seed=1), self.org_values)
        generated = shape(build_request(RequestType.REGISTRATION, seed=1), self.org_values)
        if kind == CLASSIC:
            generated.pop("requestType", None)
        return generated

    def subject(self, request: dict[str, Any]) -> str:
        data = request.get("data")
        profile = data.get("userProfile") if isinstance(data, dict) else None
        return str(profile.get("email", "")) if isinstance(profile, dict) else ""

    def request_schema(self) -> dict[str, Any]:
        return request_schema()

    def decide(self, request: dict[str, Any], exchange: Exchange, rules: VerdictRules = VerdictRules()) -> Verdict:
        return decide(request, exchange, rules=rules)

    def parse_case(self, name: str, expect: str, max_ms: float | None, entry: dict[str, Any]) -> Case:
        return parse_case(name, expect, max_ms, entry)

    def example_cases(self) -> list[Case]:
        return list(guide_cases())

    def checks(self) -> tuple[tuple[str, Check], ...] | None:
        return CHECKS

    def preview_fields(self, context: PreviewContext) -> tuple[PreviewField, ...]:
        return preview.preview_fields(context)

    def preview_request(self, choice: dict[str, Any], context: PreviewContext) -> dict[str, Any]:
        return preview.preview_request(choice, context)


REGISTRATION = RegistrationHook()

__all__ = ["REGISTRATION", "OverrideError", "RegistrationHook", "is_classic"]
