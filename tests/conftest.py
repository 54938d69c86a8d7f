from __future__ import annotations

from collections.abc import Iterator

import pytest

from mock_okta.serving.thread import ServerThread
from mock_okta.testing.scripted_hook import ScriptedHook


@pytest.fixture(scope="session")
def scripted() -> Iterator[tuple[ScriptedHook, str]]:
    """The misbehaving hook on a real loopback socket: (app, base URL)."""
    app = ScriptedHook()
    with ServerThread(app) as server:
        yield app, server.url


@pytest.fixture
def okta_hook_url(sample_hook) -> str:
    """This repository tests the bundled sample hook on purpose (the plugin would otherwise flag it)."""
    return sample_hook.hook_url
