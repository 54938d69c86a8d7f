"""What Okta puts in a custom authorization server it creates: the system scopes and claims every new server has,
and for the org's `default` server also its access policy "Default Policy" with the rule "Default Policy Rule".

Sources: a real org's answers recorded by okta-sdk-python (`tests/integration/cassettes/test_auth_server_it/
TestAuthorizationServerResource.test_list_oauth2_scopes.yaml` and `...test_list_oauth2_claims.yaml`: the system
scopes with their descriptions and `metadataPublish`, the system claims with their scopes, `valueType` and
`alwaysIncludeInToken`); okta-developer-docs `docs/reference/api/authorization-servers` (the last full version:
"Okta provides a pre-configured Custom Authorization Server with the name `default`", the rule object's example
"Default Policy Rule" with its conditions and `actions.token`).
"""

from __future__ import annotations

from ..hook.ids import okta_id
from .oauth_models import (
    DEFAULT_SERVER_ID,
    AuthorizationServer,
    AuthorizationServerPolicy,
    AuthorizationServerPolicyRule,
    LifecycleStatus,
    OAuth2Claim,
    OAuth2Scope,
    TokenLifetimes,
)

SYSTEM_SCOPES = (
    ("openid", "Signals that a request is an OpenID request."),
    (
        "profile",
        "The exact data varies based on what profile information you have provided, such as: name, time zone, "
        "picture, or birthday.",
    ),
    ("email", "This allows the app to view your email address."),
    ("address", "This allows the app to view your address, such as: street address, city, state, and zip code."),
    ("phone", "This allows the app to view your phone number."),
    ("offline_access", "This keeps you signed in to the app, even when you are not using it."),
)
PROFILE_CLAIMS = (
    "birthdate",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
)
# (claim, scope) of the IDENTITY claims Okta creates, and those it includes in the ID token itself
# (`alwaysIncludeInToken: true`); the others only /userinfo returns.
SYSTEM_IDENTITY_CLAIMS = (
    ("address", "address"),
    ("email", "email"),
    ("email_verified", "email"),
    ("phone_number", "phone"),
    *((name, "profile") for name in PROFILE_CLAIMS),
)
ALWAYS_IN_ID_TOKEN = frozenset({"email", "name", "preferred_username"})
SUB_EXPRESSION = "(appuser != null) ? appuser.userName : app.clientId"
DEFAULT_DESCRIPTION = "Default Authorization Server for your Applications"
DEFAULT_AUDIENCE = "api://default"
# The docs' default rule: every grant type Okta's rule example lists, for Everyone, any scope; 1 hour access tokens,
# refresh tokens without a lifetime limit used at least once a week.
DEFAULT_RULE_GRANTS = ("implicit", "client_credentials", "authorization_code", "password")


def system_scopes(server_id: str) -> list[OAuth2Scope]:
    return [
        OAuth2Scope(
            okta_id("scp"),
            server_id,
            name,
            description,
            metadata_publish="ALL_CLIENTS",
            system=True,
            consent="IMPLICIT",
        )
        for name, description in SYSTEM_SCOPES
    ]


def system_claims(server_id: str) -> list[OAuth2Claim]:
    sub = OAuth2Claim(
        okta_id("ocl"), server_id, "sub", LifecycleStatus.ACTIVE, "RESOURCE", "EXPRESSION", SUB_EXPRESSION, system=True
    )
    identity = [
        OAuth2Claim(
            okta_id("ocl"),
            server_id,
            name,
            LifecycleStatus.ACTIVE,
            "IDENTITY",
            "SYSTEM",
            None,
            (scope,),
            always_include_in_token=name in ALWAYS_IN_ID_TOKEN,
            system=True,
        )
        for name, scope in sorted(SYSTEM_IDENTITY_CLAIMS)
    ]
    return [sub, *identity]


def default_server(now: str) -> AuthorizationServer:
    return AuthorizationServer(
        DEFAULT_SERVER_ID, "default", DEFAULT_DESCRIPTION, (DEFAULT_AUDIENCE,), LifecycleStatus.ACTIVE, now, now
    )


def default_policy(now: str) -> tuple[AuthorizationServerPolicy, AuthorizationServerPolicyRule]:
    policy = AuthorizationServerPolicy(
        okta_id("00p"),
        DEFAULT_SERVER_ID,
        "Default Policy",
        "Default policy description",
        1,
        LifecycleStatus.ACTIVE,
        ("ALL_CLIENTS",),
        now,
        now,
    )
    rule = AuthorizationServerPolicyRule(
        okta_id("0pr"),
        policy.id,
        DEFAULT_SERVER_ID,
        "Default Policy Rule",
        1,
        LifecycleStatus.ACTIVE,
        DEFAULT_RULE_GRANTS,
        ("*",),
        (),
        (),
        ("EVERYONE",),
        (),
        TokenLifetimes(60, 0, 10080),
        now,
        now,
    )
    return policy, rule
