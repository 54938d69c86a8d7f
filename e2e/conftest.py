from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from playwright.sync_api import Page

from mock_okta.testing.pages import SignInPage

from .targets import Target, mock_target, org_target


@pytest.fixture(scope="session")
def okta_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """`--okta-target mock` (default): a mock org on loopback with the sample hook attached; `org`: a real org."""
    if request.config.getoption("--okta-target") == "org":
        target = org_target()
        yield target
        target.cleanup()
        return
    with ExitStack() as stack:
        yield mock_target(stack)


@pytest.fixture(autouse=True)
def _sample_hook_between_tests(okta_target: Target) -> Iterator[None]:
    yield
    okta_target.use_sample_hook()


@pytest.fixture(params=["gen2", "gen3"])
def widget(request: pytest.FixtureRequest, okta_target: Target) -> str:
    if okta_target.name == "org" and request.param == "gen3":
        pytest.skip("a real org serves the widget generation its admin chose; it runs once, as gen2")
    return request.param


@pytest.fixture
def sign_in(page: Page, okta_target: Target, widget: str) -> SignInPage:
    return SignInPage(page, okta_target.sign_in_url(widget)).open()
