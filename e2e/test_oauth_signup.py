"""Sign Up through a hook that only accepts OAuth 2.0 Bearer tokens (channel type OAUTH, client_secret_post and
private_key_jwt with a hook key), in the genuine widget on Gen2 and Gen3: the mock fetches a token from its `default`
authorization server once and reuses it; a token endpoint that refuses or is too slow is Okta's generic error, and
no user is created.

Okta's inline hook guide "Add OAuth 2.0 authentication fields"; the hook validates issuer, audience, scope, expiry
and signature (`hook_under_test --oauth-issuer`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hook_under_test import HookSettings
from hook_under_test.running import RunningHook, serve_sample_hook
from mock_okta.hook.oauth import TOKENS
from mock_okta.testing.pages import SignInPage
from mock_okta.testing.targets import MockTarget, Target

GENERIC = "There was an error creating your account. Please try registering again."
SCOPE = "okta.hooks"


@pytest.fixture(scope="module")
def oauth_sample_hook(okta_target: Target) -> Iterator[RunningHook]:
    if not isinstance(okta_target, MockTarget):
        pytest.skip("sets up the org's authorization server and hook: runs against the mock only")
    settings = HookSettings.build(oauth_issuer=okta_target.base_url + "/oauth2/default", oauth_scope=SCOPE)
    with serve_sample_hook(settings) as hook:
        yield hook


def use_oauth_hook(target: MockTarget, hook_url: str, auth_type: str = "client_secret_post", **changes: Any) -> None:
    """Register a client on the org's `default` server (with a secret, or a hook key's public key) and attach an
    OAUTH hook that uses it."""
    org = target.org
    registration = {"name": "e2e hook client", "tokenEndpointAuthMethod": auth_type, "scopes": [SCOPE]}
    credentials: dict[str, Any]
    if auth_type == "private_key_jwt":
        key = org.hook_keys.create({"name": "e2e hook key"})
        public = {k: v for k, v in key.public_jwk.items() if v is not None and k != "alg"}
        client, _ = org.custom_authorization_server.register(registration, public)
        credentials = {"hookKeyId": key.id}
    else:
        client, secret = org.custom_authorization_server.register(registration)
        credentials = {"clientSecret": secret}
    config = {
        "uri": hook_url,
        "method": "POST",
        "authType": auth_type,
        "clientId": client.client_id,
        **credentials,
        "tokenUrl": target.base_url + "/oauth2/default/v1/token",
        "scope": SCOPE,
        **changes,
    }
    for old in org.store.inline_hooks():
        if old.name == "e2e OAuth hook":
            org.inline_hooks.delete(org.inline_hooks.set_status(old, old.status.INACTIVE))
    channel = {"type": "OAUTH", "version": "1.0.0", "config": config}
    body = {"name": "e2e OAuth hook", "type": "com.okta.user.pre-registration", "version": "1.0.0", "channel": channel}
    org.inline_hooks.attach(org.inline_hooks.create(body))
    TOKENS.clear()


@pytest.mark.parametrize("auth_type", ["client_secret_post", "private_key_jwt"])
def test_sign_ups_through_an_oauth_hook_share_one_token(
    sign_in: SignInPage, okta_target: Target, oauth_sample_hook: RunningHook, page, auth_type: str
):
    assert isinstance(okta_target, MockTarget)
    use_oauth_hook(okta_target, oauth_sample_hook.hook_url, auth_type)
    server = okta_target.org.custom_authorization_server
    before = server.issued
    first = okta_target.email("example.com")
    sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=first).submit().expect_allowed()
    second = okta_target.email("example.com")
    again = SignInPage(page, sign_in.url, engine=sign_in.engine).open().go_to_sign_up()
    again.fill(firstName="Sam", lastName="Doe", email=second).submit().expect_allowed()
    assert okta_target.users.find_user_by_email(first) and okta_target.users.find_user_by_email(second)
    assert server.issued - before == 1, "the token is fetched once and reused"
    denied = okta_target.email("gmail.com")
    again = SignInPage(page, sign_in.url, engine=sign_in.engine).open().go_to_sign_up()
    again.fill(firstName="Al", lastName="Doe", email=denied).submit().expect_field_error(
        "email", "Only example.com emails can register."
    )


@pytest.mark.parametrize("widget", ["gen2"], indirect=True)
@pytest.mark.parametrize("token_endpoint", ["refuses", "slow"])
def test_a_failing_token_endpoint_is_the_generic_error(
    sign_in: SignInPage, okta_target: Target, oauth_sample_hook: RunningHook, token_endpoint: str
):
    assert isinstance(okta_target, MockTarget)
    if token_endpoint == "refuses":
        use_oauth_hook(okta_target, oauth_sample_hook.hook_url, clientSecret="not-the-secret")
    else:  # the token endpoint answers after the deadline, shortened here so the scenario takes 0.25 s, not 3
        okta_target.use_deadline(0.25)
        slow = okta_target.scripted_url + "/slow/3000"
        use_oauth_hook(okta_target, oauth_sample_hook.hook_url, tokenUrl=slow)
    email = okta_target.email("example.com")
    sign_in.go_to_sign_up().fill(firstName="Pat", lastName="Doe", email=email).submit().expect_form_error(GENERIC)
    assert okta_target.users.find_user_by_email(email) is None
    assert okta_target.org.store.hook_calls(limit=1)[0].failure == "token"
