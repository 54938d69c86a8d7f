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
    ) -> HookSettings:
        """From explicit values, else `HOOK_AUTH_HEADER` / `HOOK_ALLOWED_DOMAINS` (comma separated), else defaults."""
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
        return cls(auth_header_name=name, auth_header_value=value, allowed_domains=domains, record_dir=record_dir)
