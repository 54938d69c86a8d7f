"""pytest fixtures and options for testing Okta's hooks (registered through the `pytest11` entry point).

`pytest --okta-hook-url URL [--okta-hook-auth-header 'Name: value'] [--okta-cases FILE]` points the fixtures at your
hook and adds one test item per conformance check and per case (what `mock-okta verify` runs). The hook under test
can also come from the `okta_hook_url` ini option or a conftest.py override of the fixtures. Without any of them, a
fixture that needs the hook under test errors with one line saying how to point it at yours: a green run against
someone else's hook would mean nothing. The bundled sample hook is used only when asked for by name
(`--okta-hook-url sample`), and the report names the tests that ran against it.
Everything heavy is imported inside the fixtures and items, so a pytest run that uses none of them pays nothing.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from .doors import check_door_type, door_type, in_door

if TYPE_CHECKING:
    from hook_under_test.running import RunningHook

    from ..hook.cases import CaseSet
    from ..hook.verify import Result
    from ..org import Org
    from ..org.models import InlineHook
    from .harness import MockOkta
    from .pages import SignInPage
    from .tokens import Issuer

SAMPLE_HOOK_PROPERTY = "okta_hook_under_test"
SAMPLE = "the bundled sample hook"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mock-okta", "Okta hooks (mock-okta)")
    group.addoption("--okta-hook-url", help="the hook under test: adds its conformance checks and cases as tests")
    group.addoption("--okta-hook-auth-header", help="the hook's authScheme header, 'Name: value'")
    group.addoption("--okta-cases", help="YAML cases file for --okta-hook-url (default: the guide's two cases)")
    parser.addini("okta_hook_url", "the hook under test when --okta-hook-url is not given (`sample`: the bundled one)")
    group.addoption(
        "--okta-hook-timeout",
        type=float,
        default=3.0,
        help="seconds the mock org gives the hook under test per attempt in the Sign Up page cases (Okta: 3; a "
        "shorter one fails a legal hook that answers within Okta's deadline)",
    )
    group.addoption(
        "--okta-hook-type",
        help="the type of the hook under test: registration (default), token, or as the cases file's `type:` says",
    )
    group.addoption(
        "--okta-engine",
        choices=("ie", "classic"),
        default=os.environ.get("OKTA_ENGINE", "ie"),
        help="the org's engine: Identity Engine (default; IDX sign-up, Gen2/Gen3 widget) or Classic Engine "
        "(self-service registration, v1 widget, requests without requestType)",
    )
    group.addoption(
        "--okta-target",
        choices=("mock", "org"),
        default=os.environ.get("OKTA_TARGET", "mock"),
        help="where Sign Up scenarios run: a mock org on loopback (default) or a real org (OKTA_ORG_URL, "
        "OKTA_API_TOKEN)",
    )


BASE_URL_DEPRECATION = (
    "ignore:(?s)Session-scoped fixtures defined as instance methods.*'base_url' fixture:pytest.PytestRemovedIn10Warning"
)


def pytest_configure(config: pytest.Config) -> None:
    hook_type = config.getoption("okta_hook_type", None)
    if hook_type is not None and not hook_type.strip():
        # An empty value (an unset variable in CI, `--okta-hook-type "$TYPE"`) would silently mean registration.
        from ..hooktypes import REGISTRY

        raise pytest.UsageError(f"--okta-hook-type: empty: choose {', '.join(REGISTRY.names())}")
    door = door_type(config)
    if door is not None and hook_type is not None:
        check_door_type(door, hook_type)
    # Registered now, after every entry-point plugin, so this fixture wraps pytest-playwright's own.
    if config.pluginmanager.has_plugin("playwright"):
        from . import chromium

        config.pluginmanager.register(chromium, "mock_okta_system_chromium")
        # pytest-base-url 2.1.0 (pytest-playwright's dependency, its latest release) defines its session fixture
        # `base_url` as a method, which pytest 8.4 deprecates: upstream, so only that one warning is silenced.
        config.addinivalue_line("filterwarnings", BASE_URL_DEPRECATION)
    # --okta-target org: check the org before any browser opens (once, not in every xdist worker); a wrong URL or
    # token stops the run with one line and creates nothing.
    if config.getoption("okta_target") == "org" and not hasattr(config, "workerinput"):
        from .targets import preflight

        # The hook under test on an org is the one named on the command line (an ini `sample` names a hook on
        # this machine, which an org cannot call), else the one `mock-okta org attach` created.
        named = config.getoption("okta_hook_url")
        found = preflight(
            os.environ.get("OKTA_ORG_URL"),
            os.environ.get("OKTA_API_TOKEN"),
            hook_url=named if named and named != SAMPLE_NAME else None,
            hook_type=_org_run_type(config),
        )
        if found.problem:
            pytest.exit(f"--okta-target org: {found.problem}", returncode=2)
        config.stash[ORG_HOOK] = found.calls or "the org calls no hook"


def _org_run_type(config: pytest.Config) -> str:
    """Which hook an org run tests, for its preflight: `token` when `--okta-hook-type` or the cases file's `type:`
    says so, or (neither given) when the state file is a token attach's (`mock-okta org attach --type token`)."""
    name = _hook_type_name(config)
    if name is None and config.getoption("okta_cases"):
        from ..hook.cases import CasesError, load_cases
        from ..hooktypes import REGISTRY

        try:
            name = load_cases(config.getoption("okta_cases"), REGISTRY).hook_type.name
        except CasesError:
            name = None  # the run's collection says what is wrong with the file
    if name is not None:
        return name
    from ..okta_org import STATE_FILE
    from ..okta_org.token_rule import TOKEN_STATE, attached_by_state

    url = os.environ.get("OKTA_ORG_URL", "")
    return TOKEN_STATE if url and attached_by_state(STATE_FILE, url) is not None else "registration"


_CALL_REPORT = pytest.StashKey[pytest.TestReport]()
# --okta-target org: which hook the org will call, found by the preflight, for the report header.
ORG_HOOK = pytest.StashKey[str]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keeps the call's report on the item, so a fixture's teardown can tell whether its test failed.
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


def failed(item: pytest.Item) -> bool:
    report = item.stash.get(_CALL_REPORT, None)
    return report is not None and report.failed


SAMPLE_NAME = "sample"
NO_HOOK = (
    "mock-okta: no hook under test: pass --okta-hook-url URL (or set okta_hook_url in your pytest ini, or override "
    "the okta_hook_url fixture in conftest.py); --okta-hook-url sample tests the bundled sample hook"
)


def hook_url_option(config: pytest.Config) -> str | None:
    """The hook under test as configured: `--okta-hook-url`, else the `okta_hook_url` ini option; `sample` names
    the bundled sample hook."""
    url = config.getoption("okta_hook_url") or config.getini("okta_hook_url")
    return str(url) if url else None


def pytest_report_header(config: pytest.Config) -> str:
    if ORG_HOOK in config.stash:  # --okta-target org: the hook is the one the org calls, whatever the ini says
        return f"mock-okta: --okta-target org: {config.stash[ORG_HOOK]}"
    url = hook_url_option(config)
    if url == SAMPLE_NAME:
        return f"mock-okta: hook under test: {SAMPLE} (asked for by name)"
    if url:
        return f"mock-okta: hook under test {url} (--okta-hook-url)"
    return "mock-okta: no hook under test configured (--okta-hook-url URL, or a conftest.py override)"


# Cases the Sign Up page cases refuse to run (`signup_cases`: an address cleanup could not find), one line each.
REFUSED_CASES = pytest.StashKey[list[str]]()


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    refused = config.stash.get(REFUSED_CASES, [])
    if refused:
        raise pytest.UsageError(refused[0])
    url = config.getoption("okta_hook_url")
    if not url or url == SAMPLE_NAME:
        return
    if any(in_door(item) for item in items):
        return  # a browser module's run: the checks and cases as calls are `verify`'s (or a plain pytest run's)
    from ..hook.cases import CasesError
    from ..hook.verify import result_names

    try:
        case_set = _case_set(config)
    except CasesError as exc:
        raise pytest.UsageError(str(exc)) from None
    names = result_names(case_set.hook_type, case_set.cases)
    items.extend(
        OktaHookItem.from_parent(session, name=f"okta-hook {kind}: {name}", kind=kind, title=name)
        for kind, name in names
    )


class OktaHookItem(pytest.Item):
    """One conformance check or case of --okta-hook-url. The whole verification runs once per process (it is a few
    hundred calls at most); each item reports its own result, with the exchange on failure."""

    def __init__(self, *, kind: str, title: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind
        self.title = title
        self.user_properties.append((SAMPLE_HOOK_PROPERTY, self.config.getoption("okta_hook_url")))

    def runtest(self) -> None:
        result = _verification(self.config).get((self.kind, self.title))
        if result is None:
            raise AssertionError(f"{self.kind} {self.title!r} did not run")
        if result.skipped:
            pytest.skip(result.skipped)
        if result.problems:
            from ..hook.describe import describe

            exchanges = "\n\n".join(describe(run) for run in result.runs[:1])
            raise OktaHookFailure("\n".join(result.problems) + ("\n\n" + exchanges if exchanges else ""))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, OktaHookFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[str, int, str]:
        return "okta-hook", 0, f"{self.kind}: {self.title}"


class OktaHookFailure(AssertionError):
    pass


_RESULTS = pytest.StashKey[dict[tuple[str, str], "Result"]]()
_BROKEN = pytest.StashKey[str]()


def _case_set(config: pytest.Config) -> CaseSet:
    """The cases of --okta-cases for the type of --okta-hook-type (or the file's `type:`), through the registry."""
    from ..hook.cases import CasesError, load_cases
    from ..hook.registry import UnknownHookType
    from ..hooktypes import REGISTRY

    name = config.getoption("okta_hook_type")
    try:
        hook_type = REGISTRY.get(name) if name else None
    except UnknownHookType as exc:
        raise CasesError(f"--okta-hook-type: {exc}") from None
    return load_cases(config.getoption("okta_cases"), REGISTRY, hook_type=hook_type)


def _verification(config: pytest.Config) -> dict[tuple[str, str], Result]:
    """The results of the one verification of the session. When it cannot run, the first item shows why and the
    others say so in one line, without running it again (a few hundred calls each)."""
    if _BROKEN in config.stash:
        raise OktaHookFailure(config.stash[_BROKEN])
    if _RESULTS not in config.stash:
        try:
            config.stash[_RESULTS] = _verify(config)
        except Exception as exc:
            config.stash[_BROKEN] = f"the verification could not run ({type(exc).__name__}: {exc}): see the first item"
            raise
    return config.stash[_RESULTS]


def _verify(config: pytest.Config) -> dict[tuple[str, str], Result]:
    from ..hook.cases import new_run_tag
    from ..hook.channel import ChannelConfig
    from ..hook.run import run_sync
    from ..hook.verify import verify

    case_set = _case_set(config)
    channel = case_set.hook_type.channel_config(
        ChannelConfig.from_header_lines(config.getoption("okta_hook_url"), config.getoption("okta_hook_auth_header"))
    )
    engine = config.getoption("okta_engine")
    results = run_sync(verify(channel, case_set.hook_type, case_set.cases, run_tag=new_run_tag(), engine=engine))
    return {(r.kind, r.name): r for r in results}


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Say which tests exercised the bundled sample hook instead of the team's own."""
    on_sample = [
        report.nodeid
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        and (SAMPLE_HOOK_PROPERTY, SAMPLE) in getattr(report, "user_properties", [])
    ]
    if on_sample:
        terminalreporter.write_sep("-", "mock-okta")
        terminalreporter.write_line(
            f"{len(on_sample)} test(s) ran against {SAMPLE}, not your hook: override okta_hook_url in conftest.py "
            "or pass --okta-hook-url URL"
        )
        for nodeid in on_sample[:10]:
            terminalreporter.write_line(f"  {nodeid}")


@pytest.fixture(scope="session")
def sample_hook() -> Iterator[RunningHook]:
    """The sample hook (`hook_under_test`) serving on 127.0.0.1 at a free port, ready when yielded."""
    from hook_under_test.running import serve_sample_hook

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

    def attach_hook(self, url: str, auth_header: str | None = None, *, name: str = "Hook under test") -> InlineHook:
        """Create an ACTIVE registration inline hook and attach it to the profile enrollment policy (a Classic org:
        to self-service registration), with the same validation and System Log events as the Management API."""
        return self.org.inline_hooks.create_and_attach(name, url, auth_header)


@pytest.fixture(scope="session")
def mock_okta_server(request: pytest.FixtureRequest) -> Iterator[RunningOrg]:
    """One mock Okta org per session (per xdist worker), on a free loopback port, of the `--okta-engine` engine."""
    from ..org import Org, OrgSettings
    from ..org.web import create_app
    from ..serving.thread import ServerThread

    org = Org(settings=OrgSettings(engine=request.config.getoption("okta_engine")))
    with ServerThread(create_app(org)) as server:
        yield RunningOrg(server.url, org.settings.api_token, org)


@pytest.fixture
def okta_org(mock_okta_server: RunningOrg) -> RunningOrg:
    """The session's mock org, reset (no hooks, users, journal or log; Okta's default settings) for this test."""
    mock_okta_server.org.reset()
    return mock_okta_server


@pytest.fixture
def okta_hook_url(request: pytest.FixtureRequest) -> str:
    """The hook under test: `--okta-hook-url` (or the `okta_hook_url` ini option); `sample` is the bundled sample
    hook, asked for by name (and the report says so). Without one, the test errors with how to name yours."""
    url = hook_url_option(request.config)
    if not url:
        pytest.fail(NO_HOOK, pytrace=False)
    if url != SAMPLE_NAME:
        return url
    request.node.user_properties.append((SAMPLE_HOOK_PROPERTY, SAMPLE))
    sample: RunningHook = request.getfixturevalue("sample_hook")
    # The sample serves one route per hook type: the token hook's for `--okta-hook-type token`.
    return sample.token_hook_url if _hook_type_name(request.config) == "token" else sample.hook_url


def _hook_type_name(config: pytest.Config) -> str | None:
    """The short name of the `--okta-hook-type` type, else of the browser module the run names (None: neither, or
    not a type the registry holds)."""
    name = config.getoption("okta_hook_type")
    if not name:
        return door_type(config)
    from ..hooktypes import REGISTRY

    found = REGISTRY.find(name)
    return found.name if found is not None else None


@pytest.fixture
def okta_hook_auth_header(request: pytest.FixtureRequest) -> str | None:
    if hook_url_option(request.config) == SAMPLE_NAME:
        sample: RunningHook = request.getfixturevalue("sample_hook")
        return sample.auth_header
    header: str | None = request.config.getoption("okta_hook_auth_header")
    return header


@pytest.fixture
def okta_sign_in(request: pytest.FixtureRequest, okta_org: RunningOrg) -> SignInPage:
    """The org's hosted sign-in page, open in pytest-playwright's `page`, ready for `.go_to_sign_up()`."""
    from ..org.web.hosted_page import widget_installed
    from .pages import SignInPage

    if not widget_installed():
        pytest.skip("the Sign-In Widget is not installed: see the README's 'Use from another project'")
    return SignInPage(request.getfixturevalue("page"), okta_org.url + "/", engine=okta_org.org.settings.engine).open()


@pytest.fixture
def mock_okta(request: pytest.FixtureRequest, okta_hook_url: str, okta_hook_auth_header: str | None) -> MockOkta:
    """A mock Okta bound to the hook under test: `mock_okta.fire(domain="example.com")` returns a HookRun
    (requests of the `--okta-engine` engine, of the `--okta-hook-type` type: registration by default)."""
    from ..hook.registry import UnknownHookType
    from ..hooktypes import REGISTRATION, REGISTRY
    from .harness import MockOkta

    name = request.config.getoption("okta_hook_type")
    try:
        hook_type = REGISTRY.get(name) if name else REGISTRATION
    except UnknownHookType as exc:
        pytest.fail(f"--okta-hook-type: {exc}", pytrace=False)
    engine = request.config.getoption("okta_engine")
    return MockOkta(okta_hook_url, auth_header=okta_hook_auth_header, engine=engine, hook_type=hook_type)


@pytest.fixture
def registration_request(request: pytest.FixtureRequest) -> Callable[..., dict[str, Any]]:
    """Factory of Okta-shaped hook requests; seeded from the test's id so every run sends the same people."""
    from ..hooktypes.registration.payloads import build_request

    base = zlib.crc32(request.node.nodeid.encode())
    counter = iter(range(1_000_000))

    def make(request_type: str = "registration", **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("seed", base + next(counter))
        kwargs.setdefault("engine", request.config.getoption("okta_engine"))
        return build_request(request_type, **kwargs)

    return make


@pytest.fixture
def okta_tokens(request: pytest.FixtureRequest) -> Iterator[Issuer]:
    """Decoded, signature-checked tokens: `okta_tokens(user="kim@example.com")` → `OktaTokens` (`.id_token`,
    `.access_token` claims, `.hook_call`); `grant="client_credentials"|"refresh_token"`, `scopes=`. Raises
    `TokenHookFailed` when the hook was not called or its call failed, `OktaTokenError` on Okta's refusal.
    On the mock org: the hook under test attached to the `default` server's rule. With `--okta-target org`: the rule
    `mock-okta org attach --type token` set (checked by the preflight), a run app and users deleted afterwards, the
    sign-in in the browser (pytest-playwright's `context`), the hook's calls read from the System Log."""
    name = _hook_type_name(request.config)
    if request.config.getoption("okta_hook_type") and name != "token":
        pytest.fail(f"okta_tokens needs a token hook; --okta-hook-type is {name or 'unknown'}", pytrace=False)
    if request.config.getoption("okta_target") == "org":
        yield from _org_tokens(request)
        return
    from .tokens import TokenIssuer

    okta_org: RunningOrg = request.getfixturevalue("okta_org")
    url: str = request.getfixturevalue("okta_hook_url")
    auth: str | None = request.getfixturevalue("okta_hook_auth_header")
    if hook_url_option(request.config) == SAMPLE_NAME:
        sample: RunningHook = request.getfixturevalue("sample_hook")
        if url == sample.hook_url:  # the sample serves the token hook guide's route beside the registration one
            url = sample.token_hook_url
    issuer = TokenIssuer(okta_org.url, okta_org.api_token, url, auth)
    try:
        yield issuer
    finally:
        issuer.close()


def _org_tokens(request: pytest.FixtureRequest) -> Iterator[Issuer]:
    """`okta_tokens` on the org the preflight checked; what it created is deleted whatever the test did."""
    from ..okta_org import STATE_FILE
    from ..okta_org.client import OrgClient, OrgError
    from .org_tokens import OrgTokenIssuer, token_place
    from .pages import browser_sign_in
    from .tokens import REDIRECT_URI

    def sign_in(authorize: str, login: str, password: str) -> str:
        # The browser starts only for a user's sign-in: a service's client credentials need none.
        if not request.config.pluginmanager.has_plugin("playwright"):
            pytest.fail("okta_tokens on --okta-target org signs a user in through a browser: install "
                        "pytest-playwright (mock-okta[browser])", pytrace=False)  # fmt: skip
        return browser_sign_in(request.getfixturevalue("context"), REDIRECT_URI)(authorize, login, password)

    client = OrgClient(os.environ["OKTA_ORG_URL"], os.environ["OKTA_API_TOKEN"])
    try:
        place = token_place(client, STATE_FILE)
    except OrgError as exc:
        pytest.fail(f"--okta-target org: {exc}", pytrace=False)
    issuer = OrgTokenIssuer(client, place, sign_in)
    try:
        yield issuer
    finally:
        issuer.close()
