"""The OAuth 2.0 channel's token client against real servers on loopback: the token is fetched with the client
credentials grant (client_secret_post or a private_key_jwt assertion), kept until shortly before it expires, sent as
`Authorization: Bearer`, and a token endpoint that refuses or is too slow is Okta's generic error.

Sources: the Management API spec's `InlineHookOAuthClientSecretConfig` / `InlineHookOAuthPrivateKeyJwtConfig`,
Okta's "Add OAuth 2.0 authentication fields to your hook" guide, RFC 6749 §4.4 and §5, RFC 7523 (the assertion).
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mock_okta.hook.channel import ChannelConfig, Failure
from mock_okta.hook.oauth import (
    EXPIRY_MARGIN_SECONDS,
    PRIVATE_KEY_JWT,
    TOKENS,
    CachedToken,
    OAuthClient,
    TokenError,
    read_token,
)
from mock_okta.hook.outcome import HookRun
from mock_okta.hook.run import run_hook_sync
from mock_okta.hooktypes import REGISTRATION
from mock_okta.hooktypes.registration.payloads import build_request
from mock_okta.serving.thread import ServerThread

GENERIC = "There was an error creating your account. Please try registering again."


class TokenEndpoint:
    """A token endpoint whose answer the test sets: `/token` issues a token (`expires_in` as set), `/refuse`
    answers 401 invalid_client, `/slow` waits `delay` seconds first. Every form it received is kept."""

    def __init__(self) -> None:
        self.forms: list[dict[str, str]] = []
        self.expires_in: Any = 3600
        self.delay = 0.0
        self.issued = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.forms.append({k: v[0] for k, v in parse_qs(body.decode()).items()})
        if scope["path"] == "/refuse":
            await _send(send, 401, {"error": "invalid_client", "error_description": "Client authentication failed."})
            return
        if scope["path"] == "/echo":  # a careless token endpoint that repeats the credential it was sent
            credential = self.forms[-1].get("client_secret") or self.forms[-1].get("client_assertion", "")
            await _send(send, 401, {"error": f"bad credential {credential}"})
            return
        if scope["path"] == "/slow":
            await asyncio.sleep(self.delay)
        self.issued += 1
        answer = {"token_type": "Bearer", "access_token": f"token-{self.issued}"}
        if self.expires_in is not None:
            answer["expires_in"] = self.expires_in
        await _send(send, 200, answer)


class BearerHook:
    """A hook that allows and remembers the Authorization header of each call; `/slow` answers after `delay`."""

    def __init__(self) -> None:
        self.authorizations: list[str] = []
        self.delay = 0.0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        self.authorizations.append(headers.get("authorization", ""))
        if scope["path"] == "/slow":
            await asyncio.sleep(self.delay)
        await _send(send, 200, {"commands": [{"type": "com.okta.action.update", "value": {"registration": "ALLOW"}}]})


async def _send(send: Any, status: int, document: dict[str, Any]) -> None:
    body = json.dumps(document).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[TokenEndpoint, str, BearerHook, str]]:
    token_endpoint, hook = TokenEndpoint(), BearerHook()
    with ServerThread(token_endpoint) as tokens, ServerThread(hook) as hooks:
        yield token_endpoint, tokens.url, hook, hooks.url


@pytest.fixture(autouse=True)
def fresh(servers):
    TOKENS.clear()
    token_endpoint, _, hook, _ = servers
    token_endpoint.forms.clear()
    token_endpoint.expires_in, token_endpoint.delay, token_endpoint.issued, hook.delay = 3600, 0.0, 0, 0.0
    hook.authorizations.clear()


def fire(hook_url: str, client: OAuthClient, **settings: Any) -> HookRun:
    config = ChannelConfig(hook_url, oauth=client, **{"timeout": 1.0, **settings})
    return run_hook_sync(config, REGISTRATION, build_request(seed=1, domain="example.com"))


def secret_client(token_url: str, **changes: Any) -> OAuthClient:
    return OAuthClient(token_url, "0oaHookClient", client_secret="s3cret-value", scope="okta.hooks", **changes)


def test_client_secret_post_sends_id_and_secret_in_the_body_and_the_token_as_bearer(servers):
    token_endpoint, tokens, hook, hooks = servers
    run = fire(hooks + "/h", secret_client(tokens + "/token"))
    assert run.outcome == "ALLOW"
    assert token_endpoint.forms == [
        {
            "grant_type": "client_credentials",
            "scope": "okta.hooks",
            "client_id": "0oaHookClient",
            "client_secret": "s3cret-value",
        }
    ]
    assert hook.authorizations == ["Bearer token-1"]
    assert run.exchange.request_headers["Authorization"] == "Bearer <redacted>"
    assert "s3cret-value" not in json.dumps(run.to_json())


def test_private_key_jwt_sends_a_signed_assertion_for_the_token_endpoint(servers):
    token_endpoint, tokens, _, hooks = servers
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    client = OAuthClient(tokens + "/token", "0oaKeyClient", PRIVATE_KEY_JWT, private_key=pem, key_id="kid-1")
    assert fire(hooks + "/h", client).outcome == "ALLOW"
    (form,) = token_endpoint.forms
    assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assert "client_secret" not in form and "scope" not in form
    assertion = form["client_assertion"]
    assert jwt.get_unverified_header(assertion)["kid"] == "kid-1"
    claims = jwt.decode(assertion, key.public_key(), algorithms=["RS256"], audience=tokens + "/token")
    assert claims["iss"] == claims["sub"] == "0oaKeyClient" and claims["exp"] > claims["iat"]


def test_the_token_is_fetched_once_and_reused(servers):
    token_endpoint, tokens, hook, hooks = servers
    for _ in range(3):
        assert fire(hooks + "/h", secret_client(tokens + "/token")).outcome == "ALLOW"
    assert token_endpoint.issued == len(token_endpoint.forms) == 1
    assert hook.authorizations == ["Bearer token-1"] * 3


def test_a_token_close_to_its_expiry_is_not_used(servers):
    """A token that expires within the margin would reach the hook expired: fetch a new one."""
    token_endpoint, tokens, hook, hooks = servers
    token_endpoint.expires_in = EXPIRY_MARGIN_SECONDS - 1
    fire(hooks + "/h", secret_client(tokens + "/token"))
    fire(hooks + "/h", secret_client(tokens + "/token"))
    assert len(token_endpoint.forms) == 2
    assert hook.authorizations[-1] != hook.authorizations[0]


@pytest.mark.parametrize(
    ("answer", "expires_at"),
    [
        pytest.param({"access_token": "t", "token_type": "Bearer", "expires_in": 60}, 1060.0, id="expires_in"),
        # Without expires_in, the token's own exp: on the server's clock, which the margin absorbs.
        pytest.param(
            {"access_token": jwt.encode({"exp": 1500}, "k" * 32, algorithm="HS256"), "token_type": "Bearer"},
            1500.0,
            id="exp of the JWT",
        ),
        pytest.param({"access_token": "opaque", "token_type": "Bearer"}, 1000.0, id="no expiry: not kept"),
    ],
)
def test_expiry_comes_from_expires_in_else_the_tokens_exp(answer, expires_at):
    token = read_token(200, json.dumps(answer).encode(), now=1000.0)
    assert token.expires_at == expires_at


def test_clock_skew_margin():
    """A token the server says expires in 20 s is already too close, whatever our clock says."""
    now = time.time()
    assert not CachedToken("t", now + 20).usable(now)
    assert CachedToken("t", now + EXPIRY_MARGIN_SECONDS + 5).usable(now)


@pytest.mark.parametrize(
    ("status", "body", "problem"),
    [
        (401, b'{"error": "invalid_client"}', "HTTP 401: invalid_client"),
        (200, b'{"token_type": "Bearer"}', "no access_token"),
        (200, b'{"access_token": "t", "token_type": "mac"}', "not Bearer"),
        (200, b"<html>", "no access_token"),
    ],
)
def test_unusable_token_answers(status, body, problem):
    with pytest.raises(TokenError, match=problem):
        read_token(status, body, now=0.0)


def test_a_refusing_token_endpoint_is_the_generic_error_and_the_hook_is_not_called(servers):
    _, tokens, hook, hooks = servers
    run = fire(hooks + "/h", secret_client(tokens + "/refuse"))
    assert (run.outcome, run.verdict.failure) == ("DENY", Failure.TOKEN)
    assert [m.text for m in run.verdict.messages] == [GENERIC]
    assert "HTTP 401: invalid_client" in run.exchange.attempts[0].detail
    assert len(run.exchange.attempts) == 1, "a refused token request is not retried"
    assert hook.authorizations == []
    assert "s3cret-value" not in json.dumps(run.to_json())


def test_a_token_endpoint_slower_than_the_deadline_is_the_generic_error(servers):
    token_endpoint, tokens, hook, hooks = servers
    token_endpoint.delay = 0.8
    run = fire(hooks + "/h", secret_client(tokens + "/slow"), timeout=0.4)
    assert run.verdict.failure == Failure.TOKEN and "within 0.4 s" in run.exchange.attempts[0].detail
    assert hook.authorizations == []


@pytest.mark.parametrize(("in_budget", "outcome"), [(True, "timeout"), (False, None)])
def test_the_token_request_counts_in_the_budget_unless_told_otherwise(servers, in_budget, outcome):
    """Okta's knowledge base: the token request and the hook call must both fit in the timeout (the default)."""
    token_endpoint, tokens, hook, hooks = servers
    token_endpoint.delay, hook.delay = 0.35, 0.35
    run = fire(hooks + "/slow", secret_client(tokens + "/slow"), timeout=0.55, max_retries=0, token_in_budget=in_budget)
    assert run.verdict.failure == outcome


def test_a_token_endpoint_that_echoes_the_client_secret_never_shows_it(servers):
    """Hardening: the secret went unredacted into the attempt's detail (and so the journal, fire, verify's JUnit)."""
    _, tokens, _, hooks = servers
    run = fire(hooks + "/h", secret_client(tokens + "/echo"))
    assert run.verdict.failure == Failure.TOKEN
    assert "HTTP 401: bad credential <redacted>" in run.exchange.attempts[0].detail
    assert "s3cret" not in json.dumps(run.to_json()), "not even the part left before a cut"


def test_a_token_endpoint_that_echoes_the_client_assertion_never_shows_it(servers):
    _, tokens, _, hooks = servers
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    client = OAuthClient(tokens + "/echo", "0oaHookClient", auth_type=PRIVATE_KEY_JWT, private_key=pem, key_id="k")
    run = fire(hooks + "/h", client)
    assert run.verdict.failure == Failure.TOKEN and "bad credential <redacted>" in run.exchange.attempts[0].detail
    assert "eyJ" not in run.exchange.attempts[0].detail


@pytest.mark.parametrize("exp", [10**400, 1e400])
def test_a_token_whose_exp_is_no_usable_number_is_used_once_not_a_crash(exp):
    """Hardening: a 401-digit `exp` raised OverflowError (a 500 on every door); such a token is not cached."""
    claims = json.dumps({"exp": exp}).encode()
    token = f"eyJhbGciOiJub25lIn0.{base64.urlsafe_b64encode(claims).decode().rstrip('=')}."
    cached = read_token(200, json.dumps({"access_token": token, "token_type": "Bearer"}).encode(), now=50.0)
    assert cached.expires_at == 50.0 and not cached.usable(50.0)
    huge = json.dumps({"access_token": "t", "token_type": "Bearer", "expires_in": 10**400}).encode()
    assert not read_token(200, huge, now=50.0).usable(50.0)
