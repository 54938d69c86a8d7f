"""OpenID Connect and OAuth 2.0 at the org's custom authorization servers (`/oauth2/{authServerId}/...`): their
keys, discovery, the authorization code flow with PKCE, the token endpoint's grants, userinfo, introspection,
revocation and logout, and the minting of tokens under the access policy rule that matched (with its token inline
hook). Nothing here knows HTTP frameworks: `web.oidc` parses requests and writes these answers."""

from __future__ import annotations

import hashlib
from typing import Any

from ..models import User
from ..oauth_models import AuthorizationServer, LifecycleStatus
from ..store import Store
from .authorize import Authorization, NeedsSignIn, Outcome, Redirect, Shown
from .clients import ClientAuthentication, claimed_client_id
from .endpoints import Endpoints
from .keys import ServerKeys
from .minting import HookStep, Minter, SessionInfo

__all__ = ["NeedsSignIn", "OpenIdConnect", "Outcome", "Redirect", "SessionInfo", "Shown", "claimed_client_id"]


def metadata(issuer: str, origin: str, openid: bool) -> dict[str, Any]:
    """`/.well-known/oauth-authorization-server` (RFC 8414) or `openid-configuration`, as the docs' examples of a
    custom authorization server list them, narrowed to what the mock serves (the code flow; its three grants)."""
    auth_methods = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]
    document: dict[str, Any] = {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/v1/authorize",
        "token_endpoint": f"{issuer}/v1/token",
        "userinfo_endpoint": f"{issuer}/v1/userinfo",
        "registration_endpoint": f"{origin}/oauth2/v1/clients",
        "jwks_uri": f"{issuer}/v1/keys",
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile", "email", "address", "phone", "offline_access"],
        "token_endpoint_auth_methods_supported": auth_methods,
        "claims_supported": [
            "iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce", "name",
            "preferred_username", "email", "email_verified", "at_hash", "cid", "uid", "scp",
        ],
        "code_challenge_methods_supported": ["S256"],
        "introspection_endpoint": f"{issuer}/v1/introspect",
        "introspection_endpoint_auth_methods_supported": auth_methods,
        "revocation_endpoint": f"{issuer}/v1/revoke",
        "revocation_endpoint_auth_methods_supported": auth_methods,
        "end_session_endpoint": f"{issuer}/v1/logout",
        "request_parameter_supported": False,
    }  # fmt: skip
    if not openid:
        document.pop("userinfo_endpoint")
        document.pop("id_token_signing_alg_values_supported")
    return document


class OpenIdConnect:
    def __init__(self, store: Store, keys: ServerKeys) -> None:
        self.store = store
        self.keys = keys
        self.clients = ClientAuthentication(store)
        self.minter = Minter(store, keys)
        self.authorization = Authorization(store)
        self.endpoints = Endpoints(store, keys, self.clients, self.minter)
        # The token inline hook step (set by the Org: it calls the rule's hook through the shared channel).
        self.hook: HookStep | None = None

    def server(self, server_id: str) -> AuthorizationServer | None:
        """An ACTIVE server, else None (its endpoints answer 404, as for an unknown one)."""
        server = self.store.authorization_server(server_id) if len(server_id) <= 100 else None
        return server if server is not None and server.status == LifecycleStatus.ACTIVE else None

    def session(self, cookie: str) -> tuple[User | None, SessionInfo | None]:
        """The signed-in user of the mock's session cookie, and the session as Okta describes it (an id derived
        from the cookie, never the cookie itself)."""
        found = self.store.token_issued("session", cookie) if cookie else None
        user = self.store.user(found[0]) if found else None
        if found is None or user is None:
            return None, None
        session_id = "102" + hashlib.sha256(cookie.encode()).hexdigest()[:22]
        return user, SessionInfo(session_id, found[1], found[2])
