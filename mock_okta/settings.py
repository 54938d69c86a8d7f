"""The mock org's settings: Okta's defaults, changeable where Okta's docs are silent or Support can change them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, fields

from .channel import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from .verdict import VerdictRules

WIDGET_GENERATIONS = ("gen2", "gen3")


@dataclass
class MockOktaSettings:
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    strict_https: bool = False
    flow_ttl_seconds: float = 3600.0
    widget: str = "gen2"
    api_token: str = field(default_factory=lambda: "00" + secrets.token_urlsafe(30), repr=False)
    verdict_rules: VerdictRules = field(default_factory=VerdictRules)
    # Okta's pages disagree (concept page: 100, API reference: 50); the current concept page wins.
    max_inline_hooks: int = 100

    def restore_defaults(self) -> None:
        """Okta's defaults for everything a test may have changed; the API token and the widget stay."""
        defaults = MockOktaSettings(api_token=self.api_token, widget=self.widget)
        for setting in fields(self):
            setattr(self, setting.name, getattr(defaults, setting.name))
