"""The team's cases file through the Sign Up page, as a pytest module any project can run:

    pytest --pyargs mock_okta.testing.signup_cases --okta-target mock|org --okta-cases hook-cases.yaml \
        [--okta-engine ie|classic]

For every case: the outcome on screen, the created user and its profile updates through the Users API, and in the
System Log that Okta called the hook and decided as expected. On the mock (Gen2 and Gen3) the hook under test is
`--okta-hook-url` (default: the bundled sample hook); on an org (`OKTA_ORG_URL`, `OKTA_API_TOKEN`) it is the one
`mock-okta org attach` attached, and a preflight stops a wrong URL or token before any browser opens. Users the run
created are deleted afterwards, whatever happened. Needs pytest-playwright.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from ..hook.cases import CasesError, load_cases
from ..hook.settings import Engine
from ..hooktypes import REGISTRATION, REGISTRY
from ..hooktypes.registration.cases import Expect, RegistrationCase
from ..hooktypes.registration.payloads import RequestType, fake_profile_update
from ..okta_org.client import uid_problem
from ..org.models import ProfileAttribute, ProgressiveProfiling
from ..org.settings import WidgetGeneration
from .pages import SignInPage
from .plugin import NO_HOOK, REFUSED_CASES, SAMPLE_NAME, hook_url_option
from .targets import HOOK_EVENTS, MockTarget, Target, mock_target, org_target

GENERIC = "There was an error creating your account. Please try registering again."
# A Classic Engine org's E0000135 summary, which its v1 widget shows when the hook fails.
CLASSIC_GENERIC = "Registration cannot be completed at this time"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        try:
            loaded = load_cases(metafunc.config.getoption("okta_cases"), REGISTRY, hook_type=REGISTRATION)
        except CasesError as exc:
            raise pytest.UsageError(str(exc)) from None
        cases = [case for case in loaded.cases if isinstance(case, RegistrationCase)]
        for case in cases:
            # A sign-up creates a user in the org: one whose address cleanup could not find would stay there.
            problem = uid_problem(case.profile["email"])
            if problem and case.request_type == RequestType.REGISTRATION:
                source = metafunc.config.getoption("okta_cases")
                # Raised by the plugin once collection ends: raised here, it would be a collection error.
                metafunc.config.stash.setdefault(REFUSED_CASES, []).append(f"{source}: case {case.name!r}: {problem}")
        metafunc.parametrize("case", cases, ids=[case.name for case in cases])


@pytest.fixture(scope="session")
def okta_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """`--okta-target mock` (default): a mock org on loopback with the hook under test attached (`--okta-hook-url`,
    else the sample hook); `org`: a real org, its users created by this run deleted afterwards."""
    engine = request.config.getoption("okta_engine")
    if request.config.getoption("okta_target") == "org":
        target = org_target(engine)
        try:
            yield target
        finally:
            target.cleanup()
        return
    with ExitStack() as stack:
        config = request.config
        url, auth = hook_url_option(config), config.getoption("okta_hook_auth_header")
        if not url:
            pytest.fail(NO_HOOK, pytrace=False)
        # `sample` asks for the bundled sample hook by name: the target starts it.
        hook_url = None if url == SAMPLE_NAME else url
        yield mock_target(stack, hook_url, auth, engine, hook_timeout=config.getoption("okta_hook_timeout"))


@pytest.fixture(scope="session")
def shared_context(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    """One browser context per worker for every scenario: creating and closing a context per test (pytest-playwright's
    default) costs a new renderer process each time, 2.5 times a scenario's own work on 2 cores (benchmarks)."""
    context = browser.new_context(**browser_context_args)
    yield context
    context.close()


@pytest.fixture(scope="session")
def shared_tab(shared_context: BrowserContext) -> Page:
    return shared_context.new_page()


@pytest.fixture
def page(shared_tab: Page, shared_context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """The worker's tab, left blank between scenarios: its sessionStorage (where the widget keeps its transaction)
    and the context's cookies are cleared, any other tab a scenario opened is closed, and a failed scenario leaves
    a screenshot in test-results/. Reusing the tab keeps its renderer: half a scenario's time on 2 cores."""
    yield shared_tab
    from .plugin import failed

    if failed(request.node):
        folder = Path("test-results") / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.nodeid)
        folder.mkdir(parents=True, exist_ok=True)
        shared_tab.screenshot(path=str(folder / "test-failed.png"), full_page=True)
    for other in shared_context.pages:
        if other is not shared_tab:
            other.close()
    if shared_tab.url.startswith("http"):
        shared_tab.evaluate("() => window.sessionStorage.clear()")
    shared_tab.goto("about:blank")
    shared_context.clear_cookies()


@pytest.fixture(autouse=True)
def restore_hook_under_test(okta_target: Target) -> Iterator[None]:
    """After each scenario the target calls the hook under test again (a scenario may attach another hook); public
    so a conftest.py can take it together with the other fixtures of this module."""
    yield
    okta_target.use_hook_under_test()


@pytest.fixture(params=["gen2", "gen3"])
def widget(request: pytest.FixtureRequest, okta_target: Target) -> str:
    """The widget the scenario runs on: gen2 and gen3, or (`--okta-engine classic`) once on the Classic widget."""
    if okta_target.engine == Engine.CLASSIC:
        if request.param == WidgetGeneration.GEN3:
            pytest.skip("a Classic Engine org has one widget: the scenario runs once, as classic")
        return "classic"
    if okta_target.name == "org" and request.param == WidgetGeneration.GEN3:
        pytest.skip("a real org serves the widget generation its admin chose; it runs once, as gen2")
    return str(request.param)


@pytest.fixture
def sign_in(page: Page, okta_target: Target, widget: str) -> SignInPage:
    engine = Engine.CLASSIC if widget == "classic" else Engine.IE
    return SignInPage(page, okta_target.sign_in_url(widget), engine=engine).open()


def test_case_through_the_sign_up_page(case: RegistrationCase, sign_in: SignInPage, okta_target: Target) -> None:
    if case.request_type != RequestType.REGISTRATION:
        through_the_profile_update_form(case, sign_in, okta_target)
        return
    uid = okta_target.uid()
    case = case.with_uid(uid)
    values = case.form(uid)
    email = values["email"]
    okta_target.track(case.profile["email"], email)
    started = datetime.now(UTC)
    outcome = sign_in.go_to_sign_up().fill_present(values).submit()
    classic = sign_in.engine == Engine.CLASSIC
    message = case.classic_message if classic and case.classic_message is not None else case.message
    try:
        if case.expect == Expect.ALLOW:
            outcome.expect_allowed()
        elif case.expect == Expect.FAILURE:
            outcome.expect_form_error(CLASSIC_GENERIC if classic else GENERIC)
        elif case.field is not None and not classic:
            outcome.expect_field_error(case.field, message or "")
        elif message is not None:
            outcome.expect_form_error(message)
        else:
            outcome.expect_denied()

        user = okta_target.users.find_user_by_email(email)
        if case.expect == Expect.ALLOW:
            assert user is not None, f"no user {email} after an allowed sign-up"
            for attribute, value in case.profile_updates.items():
                assert user["profile"].get(attribute) == value, f"the user's {attribute} is not {value!r}"
        else:
            assert user is None, f"a {case.expect} case created the user {email}"

        okta_target.wait_for_event(started, HOOK_EVENTS, "call of the inline hook")
        # On screen a deny and a failed call can look alike (Classic shows the same banner for both): what Okta
        # recorded tells them apart. A failed hook never counts as a deny, nor an allow.
        failure = okta_target.hook_failure(started, email)
        if case.expect == Expect.FAILURE:
            assert failure is not None, "the page showed the failure text, but the hook call did not fail"
        else:
            assert failure is None, (
                f"the hook call failed ({failure}): Okta shows its generic error, not a {case.expect}"
            )
        created = f'eventType eq "user.lifecycle.create" and target.alternateId eq "{email}"'
        if case.expect == Expect.ALLOW:
            okta_target.wait_for_event(started, created, f"user.lifecycle.create for {email}")
        else:
            assert okta_target.log_events(started, created) == [], f"the System Log shows {email} created"
    except AssertionError as exc:
        raise AssertionError(f"case {case.name!r}: {exc}\n{okta_target.explain(email)}") from None


def through_the_profile_update_form(case: RegistrationCase, sign_in: SignInPage, target: Target) -> None:
    """A progressive-profile case on the mock: a user with the case's `profile` signs in, the policy asks for the
    attributes of its `update:` (required, progressive profiling on), the user submits them on the widget's
    "Additional Profile information" form, and the page, the stored profile and the hook's call must be as the case
    says. On a real org (or Classic, which has no progressive profile) the policy is the admin's: `mock-okta verify`
    and --okta-hook-url check these cases there."""
    if not isinstance(target, MockTarget) or sign_in.engine == Engine.CLASSIC:
        pytest.skip("progressive profile through the page runs on the mock's Identity Engine org; on a real org or "
                    "Classic, `mock-okta verify` and --okta-hook-url check it")  # fmt: skip
    uid = target.uid()
    case = case.with_uid(uid)
    email = case.form(uid)["email"]
    target.track(case.profile["email"], email)
    update = {name: str(value).replace("{uid}", uid) for name, value in (case.update or fake_profile_update()).items()}
    unknown = sorted(set(update) - set(target.org.user_schema.names()))
    if unknown:
        pytest.skip(f"the org's user schema has no {', '.join(unknown)}: no policy can ask for it on a form")
    profile = {k: v for k, v in case.form(uid).items() if k not in update and k != "password"}
    target.users.json(
        "POST",
        "/api/v1/users",
        json={"profile": {**profile, "login": email}, "credentials": {"password": {"value": PROFILE_PASSWORD}}},
    )
    started = datetime.now(UTC)
    with policy_asking_for(target, update):
        form = sign_in.sign_in(email, PROFILE_PASSWORD).profile_update()
        form.submit(**update)
        try:
            # What the page shows first: `submit` returns once the form is sent, before the org has answered.
            shown = form.outcome(email)
            stored = (target.users.find_user_by_email(email) or {}).get("profile", {})
            if case.expect == Expect.ALLOW:
                assert shown == "signed in", f"the update of {update} was refused on the page, not allowed"
                for attribute, value in {**update, **case.profile_updates}.items():
                    assert stored.get(attribute) == value, f"the user's {attribute} is not {value!r} after the update"
            else:
                assert shown == "refused", f"the update of {update} signed the user in: not a {case.expect}"
                if case.field is not None:
                    form.expect_field_error(case.field, case.message or "")
                elif case.message is not None:
                    sign_in.expect_message(case.message)
                for attribute, value in update.items():
                    assert stored.get(attribute) != value, f"a {case.expect} case stored {attribute} = {value!r}"
            target.wait_for_event(started, HOOK_EVENTS, "call of the inline hook")
            failure = target.hook_failure(started, email)
            if case.expect == Expect.FAILURE:
                assert failure is not None, "the update was refused, but the hook call did not fail"
            else:
                assert failure is None, f"the hook call failed ({failure}): Okta refuses the update: not {case.expect}"
        except AssertionError as exc:
            raise AssertionError(f"case {case.name!r}: {exc}\n{target.explain(email)}") from None


# The password of the users progressive-profile cases sign in with (the org's default password policy accepts it).
PROFILE_PASSWORD = "Progressive-Profile-2026"


@contextmanager
def policy_asking_for(target: MockTarget, update: dict[str, str]) -> Iterator[None]:
    """The profile enrollment policy with the update's attributes required and progressive profiling on; put back
    afterwards (the mock org is this run's own)."""
    store = target.org.store
    before = store.policy()
    present = {attribute.name for attribute in before.profile_attributes}
    added = tuple(ProfileAttribute(name, name, True) for name in update if name not in present)
    asked = tuple(replace(a, required=True) if a.name in update else a for a in before.profile_attributes)
    store.update_policy(
        profile_attributes=asked + added,
        rule=replace(before.rule, progressive_profiling=ProgressiveProfiling.ENABLED),
    )
    try:
        yield
    finally:
        store.update_policy(profile_attributes=before.profile_attributes, rule=before.rule)
