"""The org's OAuth 2.0 and OpenID Connect objects as typed, immutable values: custom authorization servers with
their scopes, claims, access policies and rules, and OpenID Connect apps (the clients). Names follow Okta's
Management API spec (`AuthorizationServer`, `OAuth2Scope`, `OAuth2Claim`, `AuthorizationServerPolicy`,
`AuthorizationServerPolicyRule`, `OpenIdConnectApplication`); their Okta JSON lives in `oauth_json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

TOKEN_HOOK = "com.okta.oauth2.tokens.transform"  # the inline hook type a rule's actions.token.inlineHook names
DEFAULT_SERVER_ID = "default"


class LifecycleStatus(StrEnum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


@dataclass(frozen=True)
class AuthorizationServer:
    id: str
    name: str
    description: str
    audiences: tuple[str, ...]
    status: LifecycleStatus
    created: str
    last_updated: str

    @property
    def is_default(self) -> bool:
        return self.id == DEFAULT_SERVER_ID


@dataclass(frozen=True)
class OAuth2Scope:
    id: str
    server_id: str
    name: str
    description: str | None = None
    display_name: str | None = None
    consent: str = "IMPLICIT"
    default: bool = False
    metadata_publish: str = "NO_CLIENTS"
    optional: bool = False
    system: bool = False


@dataclass(frozen=True)
class OAuth2Claim:
    id: str
    server_id: str
    name: str
    status: LifecycleStatus
    claim_type: str  # RESOURCE (access token) or IDENTITY (ID token)
    value_type: str  # EXPRESSION, GROUPS or SYSTEM
    value: str | None
    scopes: tuple[str, ...] = ()
    always_include_in_token: bool = True
    system: bool = False
    group_filter_type: str | None = None


@dataclass(frozen=True)
class AuthorizationServerPolicy:
    id: str
    server_id: str
    name: str
    description: str
    priority: int
    status: LifecycleStatus
    clients: tuple[str, ...]  # conditions.clients.include: client ids, or ALL_CLIENTS
    created: str
    last_updated: str
    system: bool = False


@dataclass(frozen=True)
class TokenLifetimes:
    """A rule's `actions.token`: minutes, and the token inline hook it names."""

    access_token_minutes: int = 60
    refresh_token_minutes: int = 0  # 0: unlimited (the docs' default rule)
    refresh_window_minutes: int = 7 * 24 * 60
    inline_hook_id: str | None = None


@dataclass(frozen=True)
class AuthorizationServerPolicyRule:
    id: str
    policy_id: str
    server_id: str
    name: str
    priority: int
    status: LifecycleStatus
    grant_types: tuple[str, ...]
    scopes: tuple[str, ...]  # conditions.scopes.include: names, or "*"
    users_include: tuple[str, ...]
    users_exclude: tuple[str, ...]
    groups_include: tuple[str, ...]  # group ids, or EVERYONE
    groups_exclude: tuple[str, ...]
    token: TokenLifetimes
    created: str
    last_updated: str
    system: bool = False


class ApplicationType(StrEnum):
    WEB = "web"
    BROWSER = "browser"
    NATIVE = "native"
    SERVICE = "service"


@dataclass(frozen=True)
class OidcApp:
    """An OPENID_CONNECT app: its OAuth client (`credentials.oauthClient`) and settings (`settings.oauthClient`).
    The secret is kept only as a digest: Okta shows it once, when it is made."""

    id: str
    label: str
    status: LifecycleStatus
    client_id: str
    token_endpoint_auth_method: str
    application_type: ApplicationType
    grant_types: tuple[str, ...]
    response_types: tuple[str, ...]
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    pkce_required: bool
    consent_method: str
    created: str
    last_updated: str
    secret_digest: str | None = field(default=None, repr=False)
    jwks: dict[str, Any] | None = field(default=None, repr=False)
    extra_settings: dict[str, Any] = field(default_factory=dict)  # other settings.oauthClient fields, kept as sent

    @property
    def active(self) -> bool:
        return self.status == LifecycleStatus.ACTIVE

    @property
    def confidential(self) -> bool:
        return self.token_endpoint_auth_method != "none"
