"""pytest fixtures for testing registration inline hooks (registered through the `pytest11` entry point).

Point `okta_hook_url` / `okta_hook_auth_header` at your own hook by overriding those fixtures in a conftest.py;
by default they target the sample hook, started on a free loopback port once per session (xdist-safe).
Everything heavy is imported inside the fixtures, so a pytest run that uses none of them pays nothing.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ..org import Org
    from .harness import MockOkta
    from .sample_hook import RunningHook


@pytest.fixture(scope="session")
def sample_hook() -> Iterator[RunningHook]:
    """The sample hook (`hook_under_test`) serving on 127.0.0.1 at a free port, ready when yielded."""
    from .sample_hook import serve_sample_hook

    with serve_sample_hook() as hook:
        yield hook


@dataclass(frozen=True)
class RunningOrg:
    """A mock Okta org on loopback: `url`, `api_token` (SSWS), and `org` (its store, settings and services)."""

    url: str
    api_token: str
    org: Org

    @property
    def api_headers(self) -> dict[str, str]:
        return {"Authorization": f"SSWS {self.api_token}", "Accept": "application/json"}


@pytest.fixture(scope="session")
def mock_okta_server() -> Iterator[RunningOrg]:
    """One mock Okta org per session (per xdist worker), on a free loopback port."""
    from ..org import Org
    from ..org.web import create_app
    from .server_thread import ServerThread

    org = Org()
    with ServerThread(create_app(org)) as server:
        yield RunningOrg(server.url, org.settings.api_token, org)


@pytest.fixture
def okta_org(mock_okta_server: RunningOrg) -> RunningOrg:
    """The session's mock org, reset (no hooks, users, journal or log; Okta's default settings) for this test."""
    mock_okta_server.org.reset()
    return mock_okta_server


@pytest.fixture
def okta_hook_url(sample_hook: RunningHook) -> str:
    return sample_hook.hook_url


@pytest.fixture
def okta_hook_auth_header(sample_hook: RunningHook) -> str | None:
    return sample_hook.auth_header


@pytest.fixture
def mock_okta(okta_hook_url: str, okta_hook_auth_header: str | None) -> MockOkta:
    """A mock Okta bound to the hook under test: `mock_okta.fire(domain="example.com")` returns a HookRun."""
    from .harness import MockOkta

    return MockOkta(okta_hook_url, auth_header=okta_hook_auth_header)


@pytest.fixture
def registration_request(request: pytest.FixtureRequest) -> Callable[..., dict[str, Any]]:
    """Factory of Okta-shaped hook requests; seeded from the test's id so every run sends the same people."""
    from ..hook.payloads import build_request

    base = zlib.crc32(request.node.nodeid.encode())
    counter = iter(range(1_000_000))

    def make(request_type: str = "registration", **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("seed", base + next(counter))
        return build_request(request_type, **kwargs)

    return make
