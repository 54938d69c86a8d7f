from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from playwright.sync_api import Page

from mock_okta.hook.cases import CasesError, load_cases
from mock_okta.testing.pages import SignInPage

from .targets import Target, mock_target, org_target, preflight


def pytest_configure(config: pytest.Config) -> None:
    """`--okta-target org`: check the org before any browser opens; a wrong URL or token stops the run with one
    line and creates nothing."""
    if config.getoption("--okta-target") == "org" and not hasattr(config, "workerinput"):
        problem = preflight(os.environ.get("OKTA_ORG_URL"), os.environ.get("OKTA_API_TOKEN"))
        if problem:
            pytest.exit(f"--okta-target org: {problem}", returncode=2)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        try:
            cases = load_cases(metafunc.config.getoption("okta_cases"))
        except CasesError as exc:
            raise pytest.UsageError(str(exc)) from None
        metafunc.parametrize("case", cases, ids=[case.name for case in cases])


@pytest.fixture(scope="session")
def okta_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """`--okta-target mock` (default): a mock org on loopback with the hook under test attached (`--okta-hook-url`,
    else the sample hook); `org`: a real org, its users created by this run deleted afterwards."""
    if request.config.getoption("--okta-target") == "org":
        target = org_target()
        try:
            yield target
        finally:
            target.cleanup()
        return
    with ExitStack() as stack:
        config = request.config
        yield mock_target(stack, config.getoption("okta_hook_url"), config.getoption("okta_hook_auth_header"))


@pytest.fixture(autouse=True)
def _hook_under_test_between_tests(okta_target: Target) -> Iterator[None]:
    yield
    okta_target.use_hook_under_test()


@pytest.fixture
def sample_only(okta_target: Target) -> None:
    """The guide's scenarios expect the bundled sample hook's texts; a team's hook runs its cases file instead."""
    if not okta_target.is_sample:
        pytest.skip("a scenario of the bundled sample hook; your hook's behaviour comes from --okta-cases")


@pytest.fixture(params=["gen2", "gen3"])
def widget(request: pytest.FixtureRequest, okta_target: Target) -> str:
    if okta_target.name == "org" and request.param == "gen3":
        pytest.skip("a real org serves the widget generation its admin chose; it runs once, as gen2")
    return request.param


@pytest.fixture
def sign_in(page: Page, okta_target: Target, widget: str) -> SignInPage:
    return SignInPage(page, okta_target.sign_in_url(widget)).open()
