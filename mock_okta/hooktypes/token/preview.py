"""The token hook's Preview form (Admin Console, Workflow > Inline Hooks > Preview; the token inline hook guide's
"Preview the token inline hook": a user, an app, an authorization server, a grant type and scopes). The mock's form
offers the org's users (or a generated one), a grant type and the scopes; the client is generated."""

from __future__ import annotations

from typing import Any

from ...hook.registry import PreviewContext, PreviewField
from .contract import AUTHORIZATION_CODE, CLIENT_CREDENTIALS, GRANT_TYPES, REFRESH_TOKEN
from .payloads import build_request, generate_minting

SCOPE_CHOICES = (
    ("openid profile email", "openid profile email"),
    ("openid", "openid"),
    ("openid profile email offline_access", "openid profile email offline_access"),
    ("api:read", "api:read (client credentials)"),
)
_GRANT_LABELS = {
    AUTHORIZATION_CODE: "Authorization Code",
    CLIENT_CREDENTIALS: "Client Credentials",
    REFRESH_TOKEN: "Refresh Token",
}


def preview_fields(context: PreviewContext) -> tuple[PreviewField, ...]:
    users = (("", "A generated user (faker)"), *((uid, str(p.get("login", uid))) for uid, p in context.users))
    return (
        PreviewField("user", "Select a user", users),
        PreviewField("grantType", "Select a grant type", tuple((g, _GRANT_LABELS[g]) for g in GRANT_TYPES)),
        PreviewField("scopes", "Select scopes", SCOPE_CHOICES),
    )


def preview_request(choice: dict[str, Any], context: PreviewContext) -> dict[str, Any]:
    """The request for the form's choices; ValueError with the text the page shows."""
    grant_type = choice.get("grantType") or AUTHORIZATION_CODE
    if grant_type not in GRANT_TYPES:
        raise ValueError(f"Choose a grant type: {', '.join(_GRANT_LABELS.values())}.")
    scopes = choice.get("scopes") or SCOPE_CHOICES[0][0]
    if not isinstance(scopes, str) or not scopes.split():
        raise ValueError("Choose the scopes.")
    user_id = choice.get("user")
    profile = dict(context.users).get(user_id) if isinstance(user_id, str) and user_id else None
    if user_id and profile is None:
        raise ValueError("That user no longer exists.")
    if grant_type == CLIENT_CREDENTIALS and profile is not None:
        raise ValueError("Client credentials mint a token for the client alone: choose no user.")
    minting = generate_minting(
        grant_type, profile=profile, user_id=user_id if profile is not None else None, scopes=scopes.split()
    )
    return build_request(minting)
