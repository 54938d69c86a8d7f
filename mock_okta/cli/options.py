"""The options more than one command takes, declared once: the channel (--hook-url, --auth-header, --header), the
call settings (--timeout, --retries, --strict-https), the OAuth 2.0 channel (--oauth-*), --type and --engine.

Only typer is imported here: every command's options are read whenever the app is built, `--help` included, so the
hook layer (httpx, pydantic) waits until a command runs.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

# Values of the hook layer that are option defaults: Okta's call settings (`mock_okta.hook.settings`'s
# DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES) and the prefix of every run tag (`mock_okta.hook.cases.RUN_TAG_PREFIX`). They
# are repeated because importing the hook layer for three constants would cost every `--help` 0.3 s;
# tests/cli/test_app.py fails when they disagree.
OKTA_TIMEOUT = 3.0
OKTA_MAX_RETRIES = 1
RUN_TAG_PREFIX = "mokta"

# The channel: where the hook is and the headers Okta sends it.
HookUrl = Annotated[str, typer.Option("--hook-url", help="The hook's URL (https, or http on loopback).")]
Headers = Annotated[list[str] | None, typer.Option("--header", help="Custom header 'Name: value'; repeatable.")]


# The *_option factories return what typer.Option does, typed Any: it only ever goes into an Annotated.
def auth_header_option(detail: str) -> Any:
    """--auth-header, its help ending with what the command does with it."""
    return typer.Option("--auth-header", help=f"authScheme header, 'Name: value'{detail}")


# How Okta calls: the deadline, the retry and the HTTPS rule (`CallSettings`).
Timeout = Annotated[float, typer.Option("--timeout", help=f"Seconds per attempt (Okta: {OKTA_TIMEOUT:g}).")]
Retries = Annotated[
    int,
    typer.Option(
        "--retries",
        help=f"Retries after a timeout, network error or 5xx (Okta: {OKTA_MAX_RETRIES}; none for a token hook).",
    ),
]


def strict_https_option(refused: str = "http://") -> Any:
    return typer.Option("--strict-https/--no-strict-https", help=f"Refuse {refused} even on loopback, as Okta does.")


StrictHttps = Annotated[bool, strict_https_option()]

# The OAuth 2.0 channel (channel type OAUTH): Okta fetches a token (client credentials) and sends it as a Bearer
# token instead of an authScheme header. `common.oauth_client` builds the client from these.
OAuthTokenUrl = Annotated[
    str | None, typer.Option("--oauth-token-url", help="OAuth 2.0 channel: the token endpoint (client credentials).")
]
OAuthClientId = Annotated[str | None, typer.Option("--oauth-client-id", help="OAuth 2.0 channel: the client id.")]
OAuthClientSecret = Annotated[
    str | None,
    typer.Option(
        "--oauth-client-secret",
        envvar="MOCK_OKTA_OAUTH_CLIENT_SECRET",
        help="client_secret_post: the client secret (never printed).",
    ),
]
OAuthPrivateKey = Annotated[
    str | None,
    typer.Option("--oauth-private-key", help="private_key_jwt: a PEM file with the RSA private key (the hook key)."),
]
OAuthKeyId = Annotated[str | None, typer.Option("--oauth-key-id", help="private_key_jwt: the key's kid.")]
OAuthHookKeyId = Annotated[
    str | None,
    typer.Option(
        "--oauth-hook-key-id",
        help="private_key_jwt in an org: the id of the org's hook key that signs (Okta keeps its private key).",
    ),
]
OAuthScope = Annotated[str | None, typer.Option("--oauth-scope", help="OAuth 2.0 channel: the scopes to ask for.")]

# The org's user schema: a profile update naming an attribute outside it is an invalid response on the org.
UserSchema = Annotated[
    str | None,
    typer.Option(
        "--schema",
        help="The org's user schema as Okta's API returns it (GET /api/v1/meta/schemas/user/default saved to a "
        "file): profile updates are judged against it (default: Okta's base schema).",
    ),
]

# ... or read from the org itself (GET /api/v1/meta/schemas/user/default with an API token).
SchemaOrgUrl = Annotated[
    str | None,
    typer.Option(
        "--org-url",
        help="Judge profile updates against this org's user schema, read with --api-token (instead of --schema).",
    ),
]
SchemaApiToken = Annotated[
    str | None,
    typer.Option(
        "--api-token",
        envvar="OKTA_API_TOKEN",
        help="With --org-url: an API token of the org (SSWS; read-only is enough).",
        show_default=False,
    ),
]

HookTypeName = Annotated[
    str | None,
    typer.Option("--type", help="The hook type's short name or Okta's type string (default: registration)."),
]


def engine_option(help: str) -> Any:
    """--engine (ie or classic, checked by `common.check_engine`), with what it changes for the command."""
    return typer.Option("--engine", help=help)
