"""The sample hook's configuration: flags win over environment variables, which win over the guide's defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

# The guide's Basic credentials admin:supersecret.
DEFAULT_AUTH_HEADER = "Authorization: Basic YWRtaW46c3VwZXJzZWNyZXQ="
DEFAULT_ALLOWED_DOMAINS = ("example.com",)
MAX_BODY_BYTES = 64 * 1024


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class HookSettings:
    auth_header_name: str = "Authorization"
    auth_header_value: str = field(default="Basic YWRtaW46c3VwZXJzZWNyZXQ=", repr=False)
    allowed_domains: tuple[str, ...] = DEFAULT_ALLOWED_DOMAINS
    max_body_bytes: int = MAX_BODY_BYTES
    # Keep every Okta request received in this folder (request bodies only: no headers, so no secret).
    record_dir: str | None = None
    # OAuth 2.0 instead of the shared secret: accept Bearer tokens of this issuer (its keys from its metadata), for
    # this audience, carrying this scope (None: any).
    oauth_issuer: str | None = None
    oauth_audience: str = "api://default"
    oauth_scope: str | None = None

    @property
    def auth_header(self) -> str:
        """The authScheme header as one `Name: value` line, the way Okta's Admin Console takes it."""
        return f"{self.auth_header_name}: {self.auth_header_value}"

    @classmethod
    def build(
        cls,
        auth_header: str | None = None,
        allowed_domains: list[str] | tuple[str, ...] | None = None,
        record_dir: str | None = None,
        *,
        oauth_issuer: str | None = None,
        oauth_audience: str | None = None,
        oauth_scope: str | None = None,
    ) -> HookSettings:
        """From explicit values, else `HOOK_AUTH_HEADER` / `HOOK_ALLOWED_DOMAINS` (comma separated) /
        `HOOK_OAUTH_ISSUER`, `HOOK_OAUTH_AUDIENCE`, `HOOK_OAUTH_SCOPE`, else defaults."""
        auth_header = auth_header or os.environ.get("HOOK_AUTH_HEADER") or DEFAULT_AUTH_HEADER
        name, sep, value = auth_header.partition(":")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value or any(ch.isspace() for ch in name):
            raise SettingsError("auth header must look like 'Name: secret'")
        if not allowed_domains:
            env = os.environ.get("HOOK_ALLOWED_DOMAINS", "")
            allowed_domains = [d for d in env.split(",") if d.strip()] or list(DEFAULT_ALLOWED_DOMAINS)
        domains = tuple(d.strip().lower().lstrip("@") for d in allowed_domains)
        if any(not d or "@" in d or any(ch.isspace() for ch in d) for d in domains):
            raise SettingsError(f"allowed domains must be plain domain names, got {list(allowed_domains)}")
        issuer = oauth_issuer or os.environ.get("HOOK_OAUTH_ISSUER") or None
        if issuer is not None and not issuer.startswith(("https://", "http://")):
            raise SettingsError("the OAuth issuer must be an http(s) URL, e.g. https://dev-123.okta.com/oauth2/default")
        return cls(
            auth_header_name=name,
            auth_header_value=value,
            allowed_domains=domains,
            record_dir=record_dir,
            oauth_issuer=issuer.rstrip("/") if issuer else None,
            oauth_audience=oauth_audience or os.environ.get("HOOK_OAUTH_AUDIENCE") or "api://default",
            oauth_scope=oauth_scope or os.environ.get("HOOK_OAUTH_SCOPE") or None,
        )
