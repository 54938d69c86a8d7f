"""The sample hook served on a loopback port, the one way every front door starts it (`serve`, `demo`, the pytest
fixtures, the tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from hook_under_test import HookSettings, create_app
from hook_under_test.app import HOOK_PATH, TOKEN_HOOK_PATH
from mock_okta.serving.thread import ServerThread


@dataclass(frozen=True)
class RunningHook:
    """A hook serving on loopback: `hook_url` is what Okta's channel calls (the registration hook; `token_hook_url`
    the token hook), `auth_header` its authScheme line."""

    url: str
    hook_url: str
    auth_header: str
    allowed_domains: tuple[str, ...]

    @property
    def token_hook_url(self) -> str:
        return self.url + TOKEN_HOOK_PATH


@contextmanager
def serve_sample_hook(settings: HookSettings | None = None) -> Iterator[RunningHook]:
    """The sample hook on 127.0.0.1 at a free port, ready when entered; `settings` defaults to the environment's
    (`HOOK_AUTH_HEADER`, `HOOK_ALLOWED_DOMAINS`) or the guide's."""
    settings = settings or HookSettings.build()
    with ServerThread(create_app(settings)) as server:
        yield RunningHook(server.url, server.url + HOOK_PATH, settings.auth_header, settings.allowed_domains)
