"""What the commands share: one-line errors (`fail`) and the checks behind the shared options (`options`).

The hook layer is imported inside the functions: they run when a command does, never for `--help`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

import typer

if TYPE_CHECKING:
    from ..hook.channel import ChannelConfig
    from ..hook.oauth import OAuthClient
    from ..hook.outcome import VerdictRules
    from ..hook.registry import HookType
    from ..hook.settings import CallSettings
    from ..okta_org.client import OrgClient


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr and a non-zero exit: user mistakes never show a traceback."""
    print(f"mock-okta: error: {message}", file=sys.stderr)
    raise typer.Exit(code)


def call_settings(timeout: float, retries: int, strict_https: bool) -> CallSettings:
    from ..hook.settings import CallSettings, ConfigError

    try:
        return CallSettings(timeout, retries, strict_https)
    except ConfigError as exc:
        fail(_option_names(str(exc)))


def _option_names(problem: str) -> str:
    """The settings' words as the CLI's options are spelled."""
    return problem.replace("timeout:", "--timeout:").replace("maxRetries:", "--retries:")


def channel_config(
    hook_url: str, auth_header: str | None, headers: list[str], settings: CallSettings, oauth: OAuthClient | None
) -> ChannelConfig:
    """The channel of the --hook-url, --auth-header, --header and --oauth-* options."""
    from ..hook.channel import ChannelConfig
    from ..hook.settings import ConfigError

    try:
        return ChannelConfig.from_header_lines(hook_url, auth_header, headers, settings, oauth=oauth)
    except ConfigError as exc:
        fail(str(exc))


def oauth_client(
    token_url: str | None,
    client_id: str | None,
    client_secret: str | None,
    private_key_file: str | None,
    key_id: str | None,
    scope: str | None,
) -> OAuthClient | None:
    """The OAuth client of the --oauth-* options (private_key_jwt when a key is given), or None without them."""
    if not any((token_url, client_id, client_secret, private_key_file, key_id, scope)):
        return None
    if not token_url or not client_id:
        fail("an OAuth 2.0 channel needs --oauth-token-url and --oauth-client-id")
    if client_secret and private_key_file:
        fail("give --oauth-client-secret (client_secret_post) or --oauth-private-key (private_key_jwt), not both")
    private_key = _rsa_private_key(private_key_file) if private_key_file else None
    from ..hook.oauth import CLIENT_SECRET_POST, PRIVATE_KEY_JWT, OAuthClient

    return OAuthClient(
        token_url=token_url,
        client_id=client_id,
        auth_type=PRIVATE_KEY_JWT if private_key else CLIENT_SECRET_POST,
        client_secret=client_secret,
        private_key=private_key,
        key_id=key_id,
        scope=scope,
    )


# An RSA key of 16384 bits is under 13 KB as PEM: a file larger than this is not a key (and /dev/zero is endless).
MAX_KEY_FILE_BYTES = 64 * 1024


def _rsa_private_key(path: str) -> str:
    """The PEM text of an RSA private key file (what RS256 client assertions are signed with: Okta's hook keys are
    RSA), read with a size bound; one line and exit 2 otherwise."""
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        fail(f"cannot read --oauth-private-key {path}: {exc.strerror or exc}")
    if len(raw) > MAX_KEY_FILE_BYTES:
        fail(f"--oauth-private-key {path} is larger than a private key ({MAX_KEY_FILE_BYTES // 1024} KB)")
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(raw, password=None)
    except (ValueError, TypeError):
        fail(f"--oauth-private-key {path} is not an unencrypted PEM private key")
    except Exception:  # cryptography raises its own errors for keys of types it does not support
        fail(f"--oauth-private-key {path} is not a private key mock-okta can read")
    if not isinstance(key, RSAPrivateKey):
        fail(f"--oauth-private-key {path} is not an RSA key: private_key_jwt hook keys sign with RS256")
    return raw.decode("ascii", "replace")


def chosen_type(name: str) -> HookType[Any]:
    """The hook type `--type` names (a short name or Okta's type string)."""
    from ..hook.registry import UnknownHookType
    from ..hooktypes import REGISTRY

    try:
        return REGISTRY.get(name)
    except UnknownHookType as exc:
        fail(f"--type: {exc}")


# A user schema with a thousand custom attributes is well under 1 MB; a larger file is not one (/dev/zero is endless).
MAX_SCHEMA_FILE_BYTES = 4 * 1024 * 1024


def client_for(org_url: str, api_token: str | None) -> OrgClient:
    """A client of the org's Management API, or one line: a URL that is not an org's, an empty token, or a token
    pasted with its scheme (`SSWS 00a...`: the client sends `SSWS ` itself, and Okta refuses it twice over)."""
    parts = urlsplit(org_url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        fail(f"--org-url must be the org's https:// address, got {org_url!r}")
    from ..okta_org.client import OrgClient, token_problem

    problem = token_problem(api_token or "")
    if problem:
        fail(problem)
    assert api_token is not None
    return OrgClient(org_url, api_token.strip())


def verdict_rules(schema_file: str | None, org_url: str | None = None, api_token: str | None = None) -> VerdictRules:
    """The rules for judging answers: profile updates against the org's user schema when `--schema` names a file
    of it, or `--org-url` the org to read it from (`GET /api/v1/meta/schemas/user/default`), else against Okta's
    base schema (the registration verdict's default)."""
    from ..hook.jsonsafe import loads_strict
    from ..hook.outcome import VerdictRules
    from ..hooktypes.registration.contract import schema_attributes

    if schema_file is not None and org_url is not None:
        fail("give --schema (a file) or --org-url (the org's own schema), not both")
    if org_url is not None:
        return VerdictRules(schema_attributes=_org_schema_attributes(org_url, api_token))
    if schema_file is None:
        return VerdictRules()
    try:
        with open(schema_file, "rb") as file:
            raw = file.read(MAX_SCHEMA_FILE_BYTES + 1)
    except OSError as exc:
        fail(f"cannot read --schema {schema_file}: {exc.strerror or exc}")
    if len(raw) > MAX_SCHEMA_FILE_BYTES:
        fail(f"--schema {schema_file} is larger than a user schema ({MAX_SCHEMA_FILE_BYTES // 1024 // 1024} MB)")
    try:
        return VerdictRules(schema_attributes=schema_attributes(loads_strict(raw)))
    except (ValueError, UnicodeDecodeError) as exc:  # incl. nesting too deep, NaN, a lone surrogate
        fail(f"--schema {schema_file}: {str(exc).splitlines()[0]}")


def _org_schema_attributes(org_url: str, api_token: str | None) -> frozenset[str]:
    from ..hooktypes.registration.contract import schema_attributes
    from ..okta_org.client import OrgError

    client = client_for(org_url, api_token)
    try:
        document = client.json("GET", "/api/v1/meta/schemas/user/default")
        return schema_attributes(document)
    except OrgError as exc:
        fail(f"--org-url: {exc}")
    except ValueError as exc:
        fail(f"--org-url: {client.base_url} answered something that is not a user schema ({exc})")


def check_engine(engine: str) -> None:
    from ..hook.settings import ENGINES

    if engine not in ENGINES:
        fail(f"--engine must be ie or classic, got {engine!r}")
