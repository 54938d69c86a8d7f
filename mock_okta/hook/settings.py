"""How Okta calls a hook: the deadline, the retry and the HTTPS rule, validated once with one set of bounds.

The CLI (`fire`, `serve`), the org's settings, the control API and the pytest fixtures all build a `CallSettings`,
so a value refused in one place is refused everywhere with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Okta's inline hooks concept page: "a timeout of 3 seconds" and "Okta attempts at most one retry".
DEFAULT_TIMEOUT = 3.0
DEFAULT_MAX_RETRIES = 1
# Beyond Okta's values, for slow local hooks and for tests that shorten the deadline.
MAX_TIMEOUT = 60.0
MAX_RETRIES = 5
# Okta answers a hook body of 256 KB or more as a failure (developer docs, "HookResponseSize"), whatever the type.
MAX_RESPONSE_BYTES = 256 * 1024


class Engine(StrEnum):
    """The kind of org that calls a hook: Identity Engine (IDX sign-up, the Gen2/Gen3 widget) or Classic Engine
    (self-service registration through `/api/v1/registration`, the v1 widget). Some types' requests differ."""

    IE = "ie"
    CLASSIC = "classic"


ENGINES = tuple(Engine)


class ConfigError(ValueError):
    """A setting or a channel Okta would refuse (bad URI, plain http, reserved header, out-of-range number...)."""


@dataclass(frozen=True)
class CallSettings:
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    # Okta itself refuses every non-https URI; the default lets loopback http through so local hooks work.
    strict_https: bool = False

    def __post_init__(self) -> None:
        problems = call_settings_problems(self.timeout, self.max_retries, self.strict_https)
        if problems:
            raise ConfigError("; ".join(problems))


def call_settings_problems(timeout: object, max_retries: object, strict_https: object) -> list[str]:
    """Every problem with these values, in the words the CLI and the control API show."""
    problems = []
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        problems.append("timeout: expected a number of seconds")
    elif not 0 < timeout <= MAX_TIMEOUT:
        problems.append(f"timeout: between 0 and {MAX_TIMEOUT:g} seconds (Okta: {DEFAULT_TIMEOUT:g})")
    if isinstance(max_retries, bool) or not isinstance(max_retries, int):
        problems.append("maxRetries: expected a whole number")
    elif not 0 <= max_retries <= MAX_RETRIES:
        problems.append(f"maxRetries: between 0 and {MAX_RETRIES} (Okta: {DEFAULT_MAX_RETRIES})")
    if not isinstance(strict_https, bool):
        problems.append("strictHttps: expected a boolean")
    return problems
