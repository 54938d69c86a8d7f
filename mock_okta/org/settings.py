"""The mock org's settings: Okta's defaults, changeable where Okta's docs are silent or Support can change them.

One object for `serve`, the control API (`/_mock/config`) and the pytest fixtures; the hook-call numbers are a
`CallSettings`, validated in one place with one set of bounds.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from ..hook.outcome import VerdictRules
from ..hook.settings import ENGINES, CallSettings, ConfigError, Engine
from .rate_limits import DEFAULT_RATE_LIMIT
from .store import DEFAULT_RETENTION


class WidgetGeneration(StrEnum):
    """The Sign-In Widget an Identity Engine org's hosted page runs (a Classic org has the v1 widget only)."""

    GEN2 = "gen2"
    GEN3 = "gen3"


WIDGET_GENERATIONS = tuple(WidgetGeneration)


def new_api_token() -> str:
    return "00" + secrets.token_urlsafe(30)


@dataclass
class OrgSettings:
    call: CallSettings = field(default_factory=CallSettings)
    verdict_rules: VerdictRules = field(default_factory=VerdictRules)
    widget: WidgetGeneration = WidgetGeneration.GEN2
    engine: Engine = Engine.IE
    api_token: str = field(default_factory=new_api_token, repr=False)
    flow_ttl_seconds: float = 3600.0
    # Okta's pages disagree (concept page: 100, API reference: 50); the current concept page wins.
    max_inline_hooks: int = 100
    # Host names clients may use besides loopback ones (DNS rebinding protection): `serve --host`, `--allowed-host`.
    allowed_hosts: tuple[str, ...] = ()
    # Hook calls (journal) and System Log events kept, the oldest dropped first; finished IDX flows are dropped too.
    retention: int = DEFAULT_RETENTION
    # Management API requests a minute per API family before 429 E0000047; 0 answers every call with 429.
    rate_limit: int = DEFAULT_RATE_LIMIT
    # OAuth 2.0 hooks: the token request counts in the hook's 3 s (Okta's knowledge base: both must fit in the
    # timeout); off, it gets a deadline of its own.
    token_in_budget: bool = True
    # Sign-in asks for the email authenticator after the password (an authentication policy of "password + another
    # factor"); off, the password alone, as the default policy of a new org.
    sign_in_email_challenge: bool = False

    def __post_init__(self) -> None:
        if self.widget not in WIDGET_GENERATIONS:
            raise ConfigError(f"widget: gen2 or gen3, not {self.widget!r}")
        if self.engine not in ENGINES:
            raise ConfigError(f"engine: ie or classic, not {self.engine!r}")
        # Strings from the CLI and the control API become the enums, so comparisons never meet a typo.
        self.widget, self.engine = WidgetGeneration(self.widget), Engine(self.engine)
        if not self.api_token:
            raise ConfigError("api token: must not be empty")

    def restore_defaults(self) -> None:
        """Okta's defaults for everything a test may have changed; the API token, the widget and the engine stay."""
        defaults = OrgSettings(api_token=self.api_token, widget=self.widget, engine=self.engine)
        self.call = defaults.call
        self.verdict_rules = defaults.verdict_rules
        self.flow_ttl_seconds = defaults.flow_ttl_seconds
        self.max_inline_hooks = defaults.max_inline_hooks
        self.retention = defaults.retention
        self.rate_limit = defaults.rate_limit
        self.token_in_budget = defaults.token_in_budget
        self.sign_in_email_challenge = defaults.sign_in_email_challenge
