"""The requests Okta sends a token hook, against the reference's sample (okta-developer-docs
`docs/reference/token-hook/index.md` at 982a3bc1c1^, "Sample JSON payload of a request"; the same document is the
management spec's `TokenPayLoadExample`) and the spec's `TokenPayLoad` schema."""

from __future__ import annotations

import pytest

from mock_okta.hook.overrides import OverrideError
from mock_okta.hook.registry import RequestOptions
from mock_okta.hook.shape import shape
from mock_okta.hooktypes import REGISTRY, TOKEN
from mock_okta.hooktypes.token import MintedToken, TokenClient, TokenMinting, build_request, generate_minting
from mock_okta.hooktypes.token.contract import validate_request

# Every member of the reference's sample request (the claims, scopes and profile are the org's own values).
SAMPLE_PATHS = {
    "source", "eventId", "eventTime", "eventTypeVersion", "cloudEventVersion", "contentType", "eventType", "data",
    "data.context", "data.context.request", "data.context.request.id", "data.context.request.method",
    "data.context.request.url", "data.context.request.url.value", "data.context.request.ipAddress",
    "data.context.protocol", "data.context.protocol.type", "data.context.protocol.request",
    "data.context.protocol.request.scope", "data.context.protocol.request.state",
    "data.context.protocol.request.redirect_uri", "data.context.protocol.request.response_mode",
    "data.context.protocol.request.response_type", "data.context.protocol.request.client_id",
    "data.context.protocol.issuer", "data.context.protocol.issuer.uri", "data.context.protocol.client",
    "data.context.protocol.client.id", "data.context.protocol.client.name", "data.context.protocol.client.type",
    "data.context.session", "data.context.session.id", "data.context.session.userId", "data.context.session.login",
    "data.context.session.createdAt", "data.context.session.expiresAt", "data.context.session.status",
    "data.context.session.lastPasswordVerification", "data.context.session.amr", "data.context.session.idp",
    "data.context.session.idp.id", "data.context.session.idp.type", "data.context.session.mfaActive",
    "data.context.user", "data.context.user.id", "data.context.user.passwordChanged", "data.context.user.profile",
    "data.context.user._links", "data.context.user._links.groups", "data.context.user._links.groups.href",
    "data.context.user._links.factors", "data.context.user._links.factors.href", "data.context.policy",
    "data.context.policy.id", "data.context.policy.rule", "data.context.policy.rule.id", "data.identity",
    "data.identity.claims", "data.identity.token", "data.identity.token.lifetime",
    "data.identity.token.lifetime.expiration", "data.access", "data.access.claims", "data.access.token",
    "data.access.token.lifetime", "data.access.token.lifetime.expiration", "data.access.scopes",
    "data.refresh_token", "data.refresh_token.jti",
}  # fmt: skip


def test_an_authorization_code_request_has_every_member_of_the_sample():
    minting = generate_minting(seed=1, scopes=["openid", "profile", "email", "offline_access"])
    request = build_request(minting)
    assert set(shape(request, TOKEN.org_values)) >= SAMPLE_PATHS
    validate_request(request)
    data = request["data"]
    assert request["eventType"] == "com.okta.oauth2.tokens.transform"
    assert data["context"]["protocol"]["request"]["grant_type"] == "authorization_code"  # spec TokenProtocolRequest
    assert data["access"]["scopes"]["openid"]["action"] == "GRANT"
    # The sample's ID token claims and its user's profile members.
    assert {"sub", "name", "email", "ver", "iss", "aud", "jti", "amr", "idp", "nonce", "preferred_username",
            "auth_time"} <= set(data["identity"]["claims"])  # fmt: skip
    assert set(data["context"]["user"]["profile"]) == {"login", "firstName", "lastName", "locale", "timeZone"}
    assert data["context"]["session"]["userId"] == data["context"]["user"]["id"] == data["identity"]["claims"]["sub"]


def test_client_credentials_send_no_user_no_session_and_no_id_token():
    # TOKREF "data.identity": the ID token's properties "that Okta has generated": a service gets none.
    request = TOKEN.build_request("client_credentials", RequestOptions(seed=2))
    validate_request(request)
    assert "identity" not in request["data"]
    assert "user" not in request["data"]["context"] and "session" not in request["data"]["context"]
    access = request["data"]["access"]["claims"]
    assert access["sub"] == access["cid"] == request["data"]["context"]["protocol"]["client"]["id"]
    assert "openid" not in request["data"]["access"]["scopes"]


def test_a_refresh_token_request_carries_the_original_grant():
    # Spec TokenPayLoad: protocol.OriginalGrant "when in a refresh token request" (authorization, refresh_token).
    request = TOKEN.build_request("refresh_token", RequestOptions(seed=3))
    validate_request(request)
    protocol = request["data"]["context"]["protocol"]
    assert protocol["request"]["grant_type"] == "refresh_token"
    assert protocol["OriginalGrant"]["authorization"]["grant_type"] == "authorization_code"
    assert protocol["OriginalGrant"]["refresh_token"]["jti"] == request["data"]["refresh_token"]["jti"]
    assert "session" not in request["data"]["context"]  # a choice: a back-channel call has no browser session


@pytest.mark.parametrize("scopes", [None, ["openid", "email"]])
def test_a_refresh_token_request_was_granted_offline_access(scopes):
    # Refresh-tokens guide (docs/guides/refresh-tokens/main/index.md, "Get a refresh token"): `refresh_token` needs
    # `offline_access`; without it Okta issues no refresh token to refresh with (review of issue 22, defect 8).
    request = build_request(generate_minting("refresh_token", seed=4, scopes=scopes))
    assert "offline_access" in request["data"]["access"]["scopes"]
    assert "offline_access" in request["data"]["context"]["protocol"]["request"]["scope"].split()
    assert "offline_access" in request["data"]["context"]["protocol"]["OriginalGrant"]["authorization"]["scope"].split()


def test_a_seed_makes_the_same_people_and_ids():
    first, second = (TOKEN.build_request(None, RequestOptions(seed=7)) for _ in range(2))
    assert first["data"]["context"]["user"] == second["data"]["context"]["user"]
    assert first["data"]["context"]["protocol"]["client"] == second["data"]["context"]["protocol"]["client"]


def test_options_set_the_login_and_overrides_apply_last():
    request = TOKEN.build_request(
        None, RequestOptions(seed=1, email="jessie.smith@example.com", sets=('data.identity.claims.locale="fr"',))
    )
    assert request["data"]["context"]["user"]["profile"]["login"] == "jessie.smith@example.com"
    assert request["data"]["identity"]["claims"]["preferred_username"] == "jessie.smith@example.com"
    assert request["data"]["identity"]["claims"]["locale"] == "fr"
    domain = TOKEN.build_request(None, RequestOptions(seed=1, domain="clinic.example"))
    assert domain["data"]["context"]["user"]["profile"]["login"].endswith("@clinic.example")


@pytest.mark.parametrize(
    ("kind", "options", "words"),
    [
        ("password", RequestOptions(), "unknown request type"),
        ("client_credentials", RequestOptions(email="a@example.com"), "client alone"),
        (None, RequestOptions(engine="saml"), "unknown engine"),
    ],
)
def test_options_the_type_cannot_use_are_refused(kind, options, words):
    with pytest.raises(OverrideError, match=words):
        TOKEN.build_request(kind, options)


def test_the_request_shares_nothing_with_the_minting():
    base = generate_minting(seed=4)
    request = build_request(base)
    request["data"]["identity"]["claims"]["name"] = "changed"
    request["data"]["context"]["user"]["profile"]["login"] = "changed"
    assert base.identity is not None and base.identity.claims["name"] != "changed"
    assert base.user is not None and base.user.profile["login"] != "changed"


def test_a_minting_refuses_what_no_server_mints():
    client = TokenClient("0oa1", "c")
    with pytest.raises(ValueError, match="at least one token"):
        TokenMinting("https://o.example/oauth2/default", client, "authorization_code", {}, None)
    with pytest.raises(ValueError, match="grant type"):
        TokenMinting("https://o.example/oauth2/default", client, "password", {}, MintedToken({}))
    with pytest.raises(ValueError, match="client alone"):
        TokenMinting(
            "https://o.example/oauth2/default", client, "client_credentials", {}, MintedToken({}), MintedToken({})
        )


def test_the_registry_knows_the_type_by_both_names_and_does_not_retry_it():
    # Concept page "Time out and retry": "The token inline hook and the telephony inline hook don't support retries."
    assert REGISTRY.get("token") is TOKEN is REGISTRY.get("com.okta.oauth2.tokens.transform")
    from mock_okta.hook.channel import ChannelConfig

    assert TOKEN.channel_config(ChannelConfig("http://127.0.0.1:1/h", max_retries=1)).max_retries == 0
    assert REGISTRY.get("registration").channel_config(ChannelConfig("http://127.0.0.1:1/h")).max_retries == 1
    assert TOKEN.json_schema("response")["title"] == "TokenHookResponse"
