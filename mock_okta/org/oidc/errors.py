"""Okta's OAuth 2.0 error answers, as Okta's catalog words them (okta-developer-docs
`packages/@okta/vuepress-site/data/oauth2-error-codes.json`: errorCode, statusCode, errorDescription per
internalErrorCode). Each constant is (error, description, HTTP status)."""

from __future__ import annotations

from ..oauth import OAuthError

Entry = tuple[str, str, int]

INVALID_CLIENT_ID: Entry = ("invalid_client", "Invalid value for 'client_id' parameter.", 401)
MISSING_CLIENT_CREDENTIALS: Entry = ("invalid_client", "No client credentials found.", 401)
INVALID_CLIENT: Entry = (
    "invalid_client",
    "Client authentication failed. Either the client or the client credentials are invalid.",
    401,
)
MULTIPLE_CLIENT_CREDENTIALS: Entry = (
    "invalid_request",
    "Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, "
    "credentials in the post body, or a client_assertion in the post body.",
    401,
)
ILLEGAL_REDIRECT_URI: Entry = (
    "invalid_request",
    "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.",
    400,
)
MISSING_REDIRECT_URI: Entry = ("missing_redirect_uri", "redirect_uri is missing.", 400)
ILLEGAL_LOGOUT_URI: Entry = (
    "invalid_request",
    "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.",
    400,
)
INVALID_STATE: Entry = ("invalid_request", "The authentication request has an invalid 'state' parameter.", 400)
UNSUPPORTED_RESPONSE_MODE: Entry = (
    "unsupported_response_mode",
    "The response mode is not supported by the authorization server. Valid response modes: [query, fragment, "
    "form_post, okta_post_message].",
    400,
)
PKCE_MISSING_CHALLENGE: Entry = ("invalid_request", "PKCE code challenge is required by the application.", 400)
PKCE_INVALID_CHALLENGE: Entry = ("invalid_request", "PKCE code challenge contains illegal characters.", 400)
PKCE_METHOD: Entry = ("invalid_request", "PKCE code challenge method is not supported. Valid values: [S256]", 400)
PKCE_MISSING_VERIFIER: Entry = ("invalid_request", "PKCE code verifier is required by the application.", 400)
PKCE_FAILED: Entry = ("invalid_grant", "PKCE verification failed.", 400)
LOGIN_REQUIRED: Entry = ("login_required", "The client specified not to prompt, but the user is not logged in.", 400)
USER_NOT_ASSIGNED: Entry = ("access_denied", "User is not assigned to the client application.", 400)
NO_MATCHING_POLICY: Entry = (
    "access_denied",
    "Policy evaluation failed for this request, please check the policy configurations.",
    401,
)
NO_DEFAULT_SCOPES: Entry = (
    "invalid_scope",
    "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
    400,
)
NO_MATCHING_SCOPE: Entry = (
    "invalid_scope",
    "One or more scopes are not configured for the authorization server resource.",
    400,
)
OPENID_WITH_CLIENT_CREDENTIALS: Entry = (
    "invalid_scope",
    "Cannot request 'openid' scopes using client credentials.",
    400,
)
INVALID_CODE: Entry = ("invalid_grant", "The authorization code is invalid or has expired.", 400)
INVALID_REFRESH_TOKEN: Entry = ("invalid_grant", "The refresh token is invalid or expired.", 400)
MISMATCHED_REDIRECT_URI: Entry = (
    "invalid_grant",
    "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
    400,
)
MISMATCHED_CLIENT: Entry = (
    "invalid_grant",
    "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize "
    "request.",
    400,
)
MISMATCHED_SERVER: Entry = ("invalid_request", "The grant was issued for another authorization server.", 400)
MISSING_GRANT_TYPE: Entry = (
    "invalid_request",
    "The token request must specify a 'grant_type'. Valid values: [authorization_code, client_credentials, "
    "refresh_token]",
    400,
)
REQUEST_MISSING_TOKEN: Entry = ("invalid_request", "The 'token' parameter is required.", 400)
ACCESS_TOKEN_INVALID: Entry = ("invalid_token", "The access token is invalid.", 401)
CALLBACK_ERROR_DEFAULT = "The callback service returned an error."  # callback_returned_error_without_description


def oauth_error(entry: Entry, description: str | None = None) -> OAuthError:
    error, text, status = entry
    return OAuthError(error, description or text, status)


def unauthorized_client(configured: tuple[str, ...]) -> OAuthError:
    """unauthorized_client: the app does not have the grant type."""
    listed = ", ".join(configured)
    text = f"The client is not authorized to use the provided grant type. Configured grant types: [{listed}]."
    return OAuthError("unauthorized_client", text, 400)


def unsupported_grant_type(grant: str) -> OAuthError:
    text = (
        "The authorization grant type is not supported by the authorization server. Configured grant types: "
        "[authorization_code, client_credentials, refresh_token]."
    )
    return OAuthError("unsupported_grant_type", text, 400)


def unsupported_response_type(configured: tuple[str, ...]) -> OAuthError:
    listed = ", ".join(configured)
    text = f"The response type is not supported by the authorization server. Configured response types: [{listed}]."
    return OAuthError("unsupported_response_type", text, 400)


def missing_parameter(name: str) -> OAuthError:
    return OAuthError("invalid_request", f"The required parameter '{name}' is missing.", 400)


def scope_denied(denied: list[str]) -> OAuthError:
    return OAuthError(
        "access_denied",
        f"Some of the requested scopes were denied by the policy. Denied scopes: [{', '.join(denied)}].",
        400,
    )
