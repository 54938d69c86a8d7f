"""Client authentication at a custom authorization server's token, introspection and revocation endpoints, per the
app's `token_endpoint_auth_method` (okta-developer-docs `docs/reference/api/oidc`, "Client authentication methods":
`client_secret_basic` in the Authorization header, `client_secret_post` in the body, `private_key_jwt` as a client
assertion whose `aud` is the endpoint, `none` with the client id alone; one method per request). Secrets are compared
as digests in constant time; an assertion is good once (its `jti`)."""

from __future__ import annotations

import base64
import binascii
import hmac
from urllib.parse import unquote_plus

import jwt

from ..apps import secret_digest
from ..oauth import ASSERTION_TYPE, OAuthError, SpentAssertions, verify_assertion
from ..oauth_models import OidcApp
from ..store import Store
from .errors import INVALID_CLIENT, MISSING_CLIENT_CREDENTIALS, MULTIPLE_CLIENT_CREDENTIALS, oauth_error


def claimed_client_id(form: dict[str, str], authorization: str) -> str | None:
    """The client id a request names, before it is authenticated (to route `default`'s hook clients)."""
    basic = _basic(authorization)
    if basic is not None:
        return basic[0]
    assertion = form.get("client_assertion")
    if assertion:
        try:
            sub = jwt.decode(assertion, options={"verify_signature": False}).get("sub")
        except jwt.InvalidTokenError:
            return None
        return sub if isinstance(sub, str) else None
    return form.get("client_id") or None


class ClientAuthentication:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.spent = SpentAssertions()

    def authenticate(self, form: dict[str, str], authorization: str, endpoint: str) -> OidcApp:
        """The ACTIVE app the request authenticates as, or OAuthError invalid_client / invalid_request."""
        basic = _basic(authorization)
        assertion = form.get("client_assertion")
        secret = form.get("client_secret")
        if sum(1 for given in (basic, assertion, secret) if given) > 1:
            raise oauth_error(MULTIPLE_CLIENT_CREDENTIALS)
        if basic is not None:
            return self._secret(basic[0], basic[1], "client_secret_basic")
        if assertion:
            if form.get("client_assertion_type") != ASSERTION_TYPE:
                raise OAuthError("invalid_request", "The client_assertion_type is invalid.", 400)
            client_id = claimed_client_id({"client_assertion": assertion}, "")
            app = self._app(client_id)
            if app.token_endpoint_auth_method != "private_key_jwt" or not app.jwks:
                raise oauth_error(INVALID_CLIENT)
            verify_assertion(assertion, app.jwks["keys"], app.client_id, endpoint, self.spent)
            return app
        client_id = form.get("client_id")
        if secret is not None:
            return self._secret(client_id or "", secret, "client_secret_post")
        if not client_id:
            raise oauth_error(MISSING_CLIENT_CREDENTIALS)
        app = self._app(client_id)
        if app.token_endpoint_auth_method != "none":
            raise oauth_error(INVALID_CLIENT)  # a confidential client must authenticate
        return app

    def _app(self, client_id: str | None) -> OidcApp:
        app = self.store.app_by_client_id(client_id) if client_id else None
        if app is None or not app.active:
            raise oauth_error(INVALID_CLIENT)
        return app

    def _secret(self, client_id: str, secret: str, method: str) -> OidcApp:
        app = self.store.app_by_client_id(client_id) if client_id else None
        expected = app.secret_digest if app is not None and app.token_endpoint_auth_method == method else None
        # Digests compared in constant time: neither the secret's length nor its first wrong byte shows.
        if app is None or expected is None or not hmac.compare_digest(secret_digest(secret), expected):
            raise oauth_error(INVALID_CLIENT)
        if not app.active:
            raise oauth_error(INVALID_CLIENT)
        return app


def _basic(authorization: str) -> tuple[str, str] | None:
    """(client id, secret) of `Authorization: Basic ...` (RFC 6749 §2.3.1: form-urlencoded, then base64)."""
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise OAuthError("invalid_request", "The basic authentication header is malformed.", 400) from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise OAuthError("invalid_request", "The basic authentication header is malformed.", 400)
    return unquote_plus(client_id), unquote_plus(secret)
