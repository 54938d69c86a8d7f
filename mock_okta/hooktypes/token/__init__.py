"""Okta's token inline hook (`com.okta.oauth2.tokens.transform`): a custom authorization server calls it while it
mints tokens, and issues them patched (claims added, replaced or removed; lifetimes changed), as minted, or not at
all (`server_error`).

Sources: okta-developer-docs `docs/reference/token-hook/index.md` (last full version before commit 982a3bc1c1),
the guide `docs/guides/token-inline-hook/`, `docs/concepts/inline-hooks/` ("Time out and retry"); the management
spec's `TokenRequest`, `TokenPayLoad`, `TokenHookResponse`; okta-sdk-python's `token_hook_response*` models.

The interface the org's authorization servers use (stable; everything here is importable from this package):

    from mock_okta.hooktypes.token import (
        TOKEN, TokenMinting, TokenClient, TokenUser, TokenSession, MintedToken, AuthorizeRequest, Minted,
        build_request,
    )

    minting = TokenMinting(
        issuer="https://org.example/oauth2/default",          # the server's issuer
        client=TokenClient(id, name, "CONFIDENTIAL"),           # or "PUBLIC"
        grant_type="authorization_code",                        # or "client_credentials", "refresh_token"
        scopes={"openid": "scp...", "profile": "scp..."},       # granted scope name → scope id, in order
        access=MintedToken(claims={...}, lifetime=3600),        # the access token's claims as Okta shows them
        identity=MintedToken(claims={...}, lifetime=3600),      # None when no ID token is minted
        user=TokenUser(id, profile={...}, password_changed=...),  # None for client credentials
        session=TokenSession(id, created_at, expires_at, idp_id), # the browser flow (authorization code) only
        policy_id="00p...", rule_id="0pr...",                   # the access policy and rule that mint
        authorize=AuthorizeRequest(redirect_uri, state=...),    # the /authorize request behind a code (or a refresh)
        refresh_token_id="oar...",                              # when a refresh token is issued or used
        request_url="https://org.example/oauth2/default/v1/token", ip_address="203.0.113.9",
    )
    request = build_request(minting)                            # the JSON Okta POSTs to the hook
    run = await run_hook(channel, TOKEN, request)               # mock_okta.hook.run; channel from
                                                                #   TOKEN.channel_config(config): no retry
    minted: Minted = run.verdict.apply(minting)
    minted.error_response()   # {"error": "server_error", "error_description": ...} or None
    minted.identity, minted.access  # MintedToken: the claims and lifetimes to sign (add iat/exp, sign after)
    minted.dropped, minted.failure  # why the tokens are as minted (a refused patch; a failed call), for the log

`Minted` never raises and never returns a reserved claim changed: the verdict checked the patch against the
request's claims, and `apply` replays it on copies of the minting's tokens.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ...hook.channel import Exchange
from ...hook.outcome import VerdictRules
from ...hook.overrides import OverrideError
from ...hook.registry import Case, Check, HookType, PreviewContext, PreviewField, RequestOptions
from ...hook.settings import ENGINES
from . import preview
from .cases import CASE_KEYS, guide_cases, parse_case
from .checks import CHECKS
from .contract import (
    AUTHORIZATION_CODE,
    CLIENT_CREDENTIALS,
    EVENT_TYPE,
    GRANT_TYPES,
    IMPLICIT,
    OKTA_GRANT_TYPES,
    TokenHookResponse,
    request_schema,
    validate_request,
)
from .payloads import (
    AuthorizeRequest,
    MintedToken,
    TokenClient,
    TokenMinting,
    TokenSession,
    TokenUser,
    build_request,
    generate_minting,
)
from .verdict import Minted, Outcome, Verdict, decide


class TokenHook(HookType[Verdict]):
    type = EVENT_TYPE
    name = "token"
    title = "Token inline hook"
    request_kinds = GRANT_TYPES
    outcomes = tuple(Outcome)
    case_keys = CASE_KEYS
    outcome_label = "Tokens"
    response_model = TokenHookResponse
    org_values: ClassVar[frozenset[str]] = frozenset(
        {"data.context.user.profile", "data.identity.claims", "data.access.claims", "data.access.scopes"}
    )
    retried = False
    # A token hook that answers `error` to a plain sign-in, a service token or a refresh fails every one of them
    # (TOKREF, "Sample error response": "the entire token inline hook flow fails with no token generated").
    samples_proceed = True

    def build_request(self, kind: str | None = None, options: RequestOptions = RequestOptions()) -> dict[str, Any]:
        grant_type = kind or AUTHORIZATION_CODE
        if grant_type not in GRANT_TYPES:
            raise OverrideError(f"unknown request type {grant_type!r}: choose {', '.join(GRANT_TYPES)}")
        if options.engine not in ENGINES:
            raise OverrideError(f"unknown engine {options.engine!r}: choose ie or classic")
        if grant_type == CLIENT_CREDENTIALS and (options.email or options.domain):
            raise OverrideError("client credentials mint a token for the client alone: no user, so no email")
        minting = generate_minting(
            grant_type,
            seed=options.seed,
            locale=options.locale,
            profile={"login": options.email} if options.email else None,
            domain=options.domain,
        )
        return build_request(minting, options.sets)

    def validate_request(self, body: Any) -> None:
        validate_request(body)

    def request_kind(self, request: dict[str, Any]) -> str:
        grant_type = _protocol_request(request).get("grant_type")
        return grant_type if isinstance(grant_type, str) and grant_type in GRANT_TYPES else AUTHORIZATION_CODE

    def drift_kind(self, request: dict[str, Any]) -> str:
        protocol = _protocol_request(request)
        grant_type = protocol.get("grant_type")
        if isinstance(grant_type, str):
            return grant_type
        # TOKREF's sample request: an implicit flow names its `response_type` and no `grant_type`.
        return IMPLICIT if isinstance(protocol.get("response_type"), str) else "(no grant_type)"

    def known_kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind in OKTA_GRANT_TYPES if kind not in GRANT_TYPES)

    def subject(self, request: dict[str, Any]) -> str:
        data = request.get("data")
        context = data.get("context") if isinstance(data, dict) else None
        user = context.get("user") if isinstance(context, dict) else None
        profile = user.get("profile") if isinstance(user, dict) else None
        if isinstance(profile, dict) and isinstance(profile.get("login"), str):
            return str(profile["login"])
        client_id = _protocol_request(request).get("client_id")
        return client_id if isinstance(client_id, str) else ""

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


def _protocol_request(request: dict[str, Any]) -> dict[str, Any]:
    node: Any = request
    for key in ("data", "context", "protocol", "request"):
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


TOKEN = TokenHook()

__all__ = [
    "TOKEN",
    "AuthorizeRequest",
    "Minted",
    "MintedToken",
    "Outcome",
    "TokenClient",
    "TokenHook",
    "TokenMinting",
    "TokenSession",
    "TokenUser",
    "Verdict",
    "build_request",
    "generate_minting",
]
