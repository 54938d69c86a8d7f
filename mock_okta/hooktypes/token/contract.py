"""Typed models of Okta's token inline hook contract (`com.okta.oauth2.tokens.transform`): the request Okta sends
when a custom authorization server mints tokens, and the answer a hook may give.

Sources: okta-developer-docs `docs/reference/token-hook/index.md` (its last full version, before commit 982a3bc1c1;
cited below as TOKREF), the management spec (`dist/current/management-oneOfInheritance.yaml`: `TokenRequest`,
`TokenPayLoad`, `BaseContext`, `BaseToken`, `TokenProtocolRequest`, `RefreshToken`, `TokenHookResponse`) and
okta-sdk-python's `token_hook_response*` models. As for the registration hook, the models describe well-formed
messages (and are the JSON Schema of `mock-okta schema --type token`); what Okta does with a sloppy answer is
`verdict`'s job.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from ...hook.okta_objects import ContextUser as User
from ...hook.okta_objects import InlineHookRequestObject, OktaModel
from ...hook.registry import ContractError

EVENT_TYPE = "com.okta.oauth2.tokens.transform"

# TOKREF "Supported commands": one per token.
IDENTITY_PATCH = "com.okta.identity.patch"
ACCESS_PATCH = "com.okta.access.patch"
COMMAND_TYPES = (IDENTITY_PATCH, ACCESS_PATCH)
# TOKREF "List of supported ops".
OPS = ("add", "replace", "remove")
CLAIMS_PREFIX = "/claims/"
# TOKREF `value.path`: "When replacing a token lifetime, the path should always be /token/lifetime/expiration".
LIFETIME_PATH = "/token/lifetime/expiration"
# TOKREF "Sample response to modify token lifetime": "a minimum of five minutes (300 seconds) and a maximum of 24
# hours (86,400 seconds)".
MIN_LIFETIME = 300
MAX_LIFETIME = 86_400
# The error object's errorSummary, when a hook sends none (TOKREF "error", and the spec's TokenHookResponse).
DEFAULT_ERROR_SUMMARY = "The callback service returned an error"

# The grant types the mock's custom authorization servers mint with (spec `GrantType` names them all).
AUTHORIZATION_CODE = "authorization_code"
CLIENT_CREDENTIALS = "client_credentials"
REFRESH_TOKEN = "refresh_token"
GRANT_TYPES = (AUTHORIZATION_CODE, CLIENT_CREDENTIALS, REFRESH_TOKEN)
# Every grant type of the spec's `GrantType` enum: Okta may call the hook for any of them (TOKREF's own sample request
# is an implicit flow, `response_type: token id_token` with no `grant_type`). The mock builds only GRANT_TYPES;
# `drift` files recorded requests of the others as known kinds it does not build, not as unknown ones.
OKTA_GRANT_TYPES = (
    AUTHORIZATION_CODE, CLIENT_CREDENTIALS, "implicit", "interaction_code", "password", REFRESH_TOKEN,
    "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:saml2-bearer", "urn:ietf:params:oauth:grant-type:token-exchange",
    "urn:openid:params:grant-type:ciba", "urn:okta:params:oauth:grant-type:otp",
    "urn:okta:params:oauth:grant-type:oob",
)  # fmt: skip
IMPLICIT = "implicit"

# TOKREF "Reserved claims for Token Hooks": claims a hook can't add, replace or remove, per token. `aud` and `sub` are
# reserved in the ID token only ("you can modify those claims in access tokens. You can't modify these claims in ID
# tokens"). `cnf` is reserved in the access token "if DPoP enabled": the mock's servers always treat it as reserved
# (a hook that writes `cnf` would break DPoP-bound tokens on an org that enables it).
_BOTH = ("acr", "auth_time", "cid", "cnf", "exp", "groups", "iat", "iss", "jti", "sid", "token_type", "ver")
RESERVED_IDENTITY_CLAIMS = frozenset(
    (
        *_BOTH,
        "active", "aid", "amr", "app_id", "app_type", "at_hash", "aud", "c_hash", "client_id", "client_ip",
        "client_req_id", "client_type", "client_user_agent", "device_compliance", "device_id", "device_known",
        "device_managed", "device_name", "device_trust", "did", "dst", "group", "hotk", "idp", "idp_iss", "mac_key",
        "may_act", "nonce", "oid", "okta_emailVerified", "okta_lastUpdated", "orig", "permissions", "purpose",
        "pwd_exp_days", "pwd_exp_time", "rid", "role", "scope", "scopes", "sub", "term", "user_ip",
    )
)  # fmt: skip
RESERVED_ACCESS_CLAIMS = frozenset((*_BOTH, "as_uri", "authorization_details", "rpt", "rsi", "scp", "uid", "username"))


class TokenProtocolRequest(OktaModel):
    """Spec `TokenProtocolRequest`: the token request's parameters (only those the request carried)."""

    client_id: str | None = None
    grant_type: str | None = None
    redirect_uri: str | None = None
    response_mode: Literal["form_post", "fragment", "okta_post_message", "query"] | None = None
    response_type: str | None = None
    scope: str | None = None
    state: str | None = None


class RefreshToken(OktaModel):
    jti: str


class OriginalGrantObject(OktaModel):
    """Spec `TokenPayLoad.data.context.protocol.OriginalGrant`: in a refresh token request, the request that got
    the refresh token."""

    authorization: TokenProtocolRequest | None = None
    refresh_token: RefreshToken | None = None


class Issuer(OktaModel):
    uri: str


class Client(OktaModel):
    id: str
    name: str
    type: str = Field(description="PUBLIC or CONFIDENTIAL")


class Protocol(OktaModel):
    type: Literal["OAUTH2.0"]
    request: TokenProtocolRequest
    OriginalGrant: OriginalGrantObject | None = None
    issuer: Issuer
    client: Client


class SessionIdp(OktaModel):
    id: str
    type: str


class Session(OktaModel):
    """Spec `BaseContext.session`: the user's Okta session (a flow through the browser only)."""

    id: str
    userId: str
    login: str
    createdAt: str
    expiresAt: str
    status: str
    lastPasswordVerification: str | None = None
    amr: list[str]
    idp: SessionIdp
    mfaActive: bool


class PolicyRule(OktaModel):
    id: str


class Policy(OktaModel):
    id: str
    rule: PolicyRule


class Context(OktaModel):
    request: InlineHookRequestObject
    protocol: Protocol
    session: Session | None = None
    user: User | None = None
    policy: Policy


class Lifetime(OktaModel):
    expiration: int = Field(description="Seconds until the token expires")


class TokenInfo(OktaModel):
    lifetime: Lifetime


class Identity(OktaModel):
    """Spec `BaseToken` for the ID token: present only when an ID token is minted."""

    claims: dict[str, Any]
    token: TokenInfo


class GrantedScope(OktaModel):
    id: str
    action: str


class Access(Identity):
    """The access token, and its granted scopes by name."""

    scopes: dict[str, GrantedScope]


class TokenData(OktaModel):
    context: Context
    identity: Identity | None = None
    access: Access | None = None
    refresh_token: RefreshToken | None = None


class TokenHookRequest(OktaModel):
    """What Okta POSTs to a token inline hook (spec `TokenRequest`: `InlineHookBasePayload` and `TokenPayLoad`)."""

    eventId: str
    eventTime: str
    eventType: Literal["com.okta.oauth2.tokens.transform"]
    eventTypeVersion: str | float
    contentType: Literal["application/json"]
    cloudEventVersion: str | float
    source: str
    data: TokenData


# -- the answer -------------------------------------------------------------------------------------------------------
class PatchOperation(BaseModel):
    """One operation of a patch (TOKREF `value`): `op` at `path`, with `value` (none, or null, for `remove`)."""

    op: Literal["add", "replace", "remove"]
    path: str = Field(
        pattern=r"^(/claims/.+|/token/lifetime/expiration)$",
        description="/claims/<name>[/<member or index>...] or /token/lifetime/expiration",
    )
    value: Any = None


class PatchCommand(BaseModel):
    type: Literal["com.okta.identity.patch", "com.okta.access.patch"]
    value: list[PatchOperation]


class HookError(BaseModel):
    errorSummary: str | None = None


class TokenHookResponse(BaseModel):
    """What a token hook answers with status 200 (204 with no body: the tokens as Okta minted them)."""

    commands: list[PatchCommand] = Field(default_factory=list)
    error: HookError | None = None
    debugContext: dict[str, Any] | None = None


def validate_request(body: Any) -> TokenHookRequest:
    """The request as the model reads it; ContractError naming the first problem otherwise."""
    if not isinstance(body, dict):
        raise ContractError("$", "expected a JSON object")
    try:
        return TokenHookRequest.model_validate(body)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        path = ".".join(str(part) for part in first["loc"]) or "$"
        raise ContractError(path, first["msg"]) from None


def request_schema() -> dict[str, Any]:
    schema = TokenHookRequest.model_json_schema(by_alias=True)
    schema["title"] = "TokenInlineHookRequest"
    return schema
