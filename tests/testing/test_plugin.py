"""The pytest plugin as another project uses it: fixtures arrive through the pytest11 entry point.

A pytest process costs a Python start, the plugins and (for a browser test) Chromium, so each real run here proves
several rules, each checked on its own test's outcome with the rule in the message; what only reads the
configuration (a usage error at collection, the `okta_hook_url` ini option, the engine, a cases file, the org-target
preflight's header) runs in this process (`runpytest_inprocess`: the plugin's same hooks, a fresh pytest config)
once a real process has shown the same door.

The three real runs differ in what a run takes once (the plugins installed, the hook under test, the target), so they
stay three, and start side by side in one test: most of a run is waiting (a Python start, Chromium's, the org's
preflight), so the three take little longer than the slowest (one per test would start them on whichever xdist
worker each lands on, one after the other). Each rule's assertions say which rule failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.testing.child_runs import NO_BROWSER_PLUGIN, UNRELATED_PLUGINS, expect_outcome

pytest_plugins = ["pytester"]

EXAMPLE = """
import re
import pytest
from mock_okta import assert_allowed, assert_denied

def test_allowed(mock_okta):
    assert_allowed(mock_okta.fire(domain="example.com"))

def test_denied(mock_okta):
    assert_denied(mock_okta.fire(domain="gmail.com"), field="email", message=re.compile("Only example.com"))

def test_factory_is_seeded_per_test(registration_request, mock_okta):
    first, second = registration_request(), registration_request(domain="example.com")
    assert first["data"]["userProfile"] != second["data"]["userProfile"]
    assert_allowed(mock_okta.fire(second))

def test_failure_message_shows_the_exchange(mock_okta):
    run = mock_okta.fire(domain="gmail.com")
    with pytest.raises(AssertionError) as info:
        assert_allowed(run)
    text = str(info.value)
    assert "expected Okta to ALLOW" in text and "attempt 1: status=200" in text
    assert "end user sees: 'Only example.com emails can register.' under email" in text
"""
EXAMPLE_TESTS = (
    "test_allowed",
    "test_denied",
    "test_factory_is_seeded_per_test",
    "test_failure_message_shows_the_exchange",
)
MINE = "def test_mine(mock_okta):\n    mock_okta.fire(domain='example.com')\n"


@pytest.mark.server  # the plugin's sample_hook fixture starts the sample hook in this process
def test_the_sample_hook_only_by_name_and_the_report_says_so(pytester):
    """`--okta-hook-url sample` (or the `okta_hook_url` ini option `sample`) tests the bundled sample hook, and the
    report names the tests that did (it was the fallback: a green run of someone else's hook). In this process: the
    plugin reads the option and the ini the same way; the real run of the option is in
    test_real_runs_of_a_users_project."""
    pytester.makepyfile(test_example=EXAMPLE, test_mine=MINE)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", *NO_BROWSER_PLUGIN, "--okta-hook-url", "sample")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(
        ["*hook under test: the bundled sample hook (asked for by name)*", "*5 test(s) ran against the bundled*"]
    )
    result.stdout.fnmatch_lines(["*test_mine.py::test_mine*"])  # among the tests the report names
    pytester.makeini("[pytest]\nokta_hook_url = sample\n")
    from_ini = pytester.runpytest_inprocess("-p", "no:cacheprovider", *NO_BROWSER_PLUGIN, "test_mine.py")
    from_ini.assert_outcomes(passed=1)
    from_ini.stdout.fnmatch_lines(
        ["*hook under test: the bundled sample hook (asked for by name)*", "*1 test(s) ran against the bundled*"]
    )


OVERRIDE = """
import pytest

@pytest.fixture
def okta_hook_url():
    return "{base}/respond/deny-without-error"

@pytest.fixture
def okta_hook_auth_header():
    return None
"""
OWN_HOOK = """
from mock_okta import assert_denied

def test_own_hook(mock_okta):
    assert_denied(mock_okta.fire(), message="Registration denied.")
"""
ATTACH = """
def test_attach(okta_org):
    hook = okta_org.attach_hook("{base}/respond/allow")
    assert okta_org.org.store.policy().inline_hook_id == hook.id and hook.active
    events = [e.event_type for e in okta_org.org.store.log_events()]
    assert events == ["inline_hook.created"]
"""
BROWSER = """
def test_the_sign_up_form(okta_sign_in):
    form = okta_sign_in.go_to_sign_up()
    form.fill(firstName="Pat", lastName="Doe", email="pat@gmail.com")
    assert form.field("email").input_value() == "pat@gmail.com"
"""


@dataclass
class Child:
    """A pytest process started in its own folder, as a user runs pytest in a project; its output in files."""

    folder: Path
    process: subprocess.Popen[str]
    started: float

    def finish(self) -> pytest.RunResult:
        self.process.wait(timeout=300)
        out, err = ((self.folder / name).read_text().splitlines() for name in ("stdout", "stderr"))
        return pytest.RunResult(self.process.returncode, out, err, time.monotonic() - self.started)


def start(folder: Path, *args: str, env: dict[str, str] | None = None) -> Child:
    """`python -m pytest ARGS` in `folder`, as `runpytest_subprocess` runs it (this test's environment: pytester's
    HOME, no PYTEST_ADDOPTS), with a folder of its own so that runs side by side do not share output files."""
    command = [sys.executable, "-mpytest", f"--basetemp={folder / 'basetemp'}", "-p", "no:cacheprovider", *args]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.getenv("PYTHONPATH")]))}
    with (folder / "stdout").open("w") as stdout, (folder / "stderr").open("w") as stderr:
        process = subprocess.Popen(
            command, cwd=folder, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, text=True,
            env={**environment, **(env or {})},
        )  # fmt: skip
    return Child(folder, process, time.monotonic())


def test_real_runs_of_a_users_project(pytester, scripted, sample_hook, okta_org):
    """Three real pytest processes in a user's project, side by side; the rules each proves:

    A fresh project, with every plugin the venv installs, as a user's project has it:
    - the fixtures arrive through the pytest11 entry point;
    - `--okta-hook-url URL` turns the conformance checks and the cases into tests, and the header names the hook.

    A project without a hook URL option (on the command line or in the ini), each rule its own test:
    - a conftest.py override of `okta_hook_url` (here in a folder of its own) is the hook the fixtures call;
    - a fixture that needs the hook under test, with none configured, errors with one line (issue: the fixtures
      fell back to the bundled sample hook and exited 0, a green run of someone else's hook);
    - `okta_org.attach_hook` attaches an active hook to the policy, logged as Okta logs it;
    - a user's own pytest-playwright test on a machine where Playwright has no browser of its own: the plugin points
      it at Debian's Chromium, and `okta_sign_in` opens the org's hosted page with the genuine widget.

    On an org target (issue 19 item 4: a run whose org calls another hook than the one under test went ahead): the
    preflight stops the run in one line, before any browser, with exit status 2."""
    base = scripted[1]
    fresh = pytester.mkdir("fresh")
    (fresh / "test_example.py").write_text(EXAMPLE)
    (fresh / "test_mine.py").write_text(MINE)
    without = pytester.mkdir("without")
    own = without / "own"
    own.mkdir()
    (own / "conftest.py").write_text(OVERRIDE.format(base=base))
    (own / "test_own_hook.py").write_text(OWN_HOOK)
    (without / "test_mine.py").write_text(MINE)
    (without / "test_org.py").write_text(ATTACH.format(base=base))
    (without / "test_browser.py").write_text(BROWSER)
    okta_org.attach_hook(f"{base}/respond/allow", name="The old hook")
    org = {"OKTA_ORG_URL": okta_org.url, "OKTA_API_TOKEN": okta_org.api_token}
    hook = ("--okta-hook-url", sample_hook.hook_url, "--okta-hook-auth-header", sample_hook.auth_header)
    children = (
        start(fresh, "-rA", *hook),
        start(without, *UNRELATED_PLUGINS, "-rA"),
        start(
            pytester.mkdir("wrong"), *ORG_TARGET, *UNRELATED_PLUGINS, "--okta-hook-url", "https://hooks.acme.test/okta",
            env=org,
        ),
    )  # fmt: skip
    result, no_url, wrong = (child.finish() for child in children)

    for name in EXAMPLE_TESTS:
        expect_outcome(result, f"test_example.py::{name}", "PASSED", "the fixtures of the pytest11 entry point")
    expect_outcome(result, "test_mine.py::test_mine", "PASSED", "the fixtures of the pytest11 entry point")
    result.stdout.fnmatch_lines([f"mock-okta: hook under test {sample_hook.hook_url} (--okta-hook-url)"])
    # No --okta-cases: the guide's two cases; with the 10 conformance checks, 12 tests, all passing.
    items = [line.split("okta-hook ", 1)[1] for line in result.stdout.lines if line.startswith("PASSED ::okta-hook ")]
    kinds = sorted(item.split(":")[0] for item in items)
    assert kinds == ["case"] * 2 + ["check"] * 10, (
        f"--okta-hook-url turns the checks and cases into tests:\n{result.stdout.str()[-3000:]}"
    )
    result.assert_outcomes(passed=5 + 12)
    assert "sample hook" not in result.stdout.str(), "the hook under test is the one named, not the bundled sample"

    expect_outcome(no_url, "own/test_own_hook.py::test_own_hook", "PASSED", "a conftest.py override of okta_hook_url")
    expect_outcome(no_url, "test_mine.py::test_mine", "ERROR", "no hook under test: the fixture errors")
    no_url.stdout.fnmatch_lines(["*mock-okta: no hook under test: pass --okta-hook-url URL*"])
    expect_outcome(no_url, "test_org.py::test_attach", "PASSED", "okta_org.attach_hook")
    expect_outcome(
        no_url, "test_browser.py::test_the_sign_up_form", "PASSED", "pytest-playwright on the system Chromium"
    )
    no_url.assert_outcomes(passed=3, errors=1)
    assert "Traceback" not in no_url.stdout.str(), "the missing hook under test is one line, not a traceback"

    assert wrong.ret == 2, f"the org calls another hook: exit 2\n{wrong.stdout.str()[-3000:]}{wrong.stderr.str()}"
    wrong.stderr.fnmatch_lines(
        ["*--okta-target org: the org calls 'The old hook' (*/respond/allow), not the hook under test "
         "https://hooks.acme.test/okta*"]
    )  # fmt: skip


CLASSIC_EXAMPLE = """
from mock_okta import assert_denied

def test_classic_requests(mock_okta, registration_request, okta_org):
    assert "requestType" not in registration_request()
    run = mock_okta.fire(domain="gmail.com")
    assert "requestType" not in run.request
    assert_denied(run, message="Only example.com emails can register.")
    assert okta_org.org.settings.engine == "classic"
"""


def test_okta_engine_classic_switches_requests_and_the_org(pytester, sample_hook):
    """`--okta-engine classic`: the fixtures send a Classic Engine org's requests and the mock org is a Classic one;
    with `--okta-hook-url` the progressive-profile check is skipped. In this process: the same options and fixtures
    as the real runs above, with another engine."""
    pytester.makepyfile(test_classic=CLASSIC_EXAMPLE)
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", *NO_BROWSER_PLUGIN, "--okta-engine", "classic",
        "--okta-hook-url", sample_hook.hook_url, "--okta-hook-auth-header", sample_hook.auth_header,
    )  # fmt: skip
    result.assert_outcomes(passed=12, skipped=1)


def test_a_case_the_hook_breaks_fails_with_the_exchange(pytester, scripted):
    # In this process: the items of the fresh project's real run in test_real_runs_of_a_users_project.
    cases = pytester.makefile(
        ".yaml",
        cases="cases:\n  - name: gmail is denied\n    profile: {email: '{uid}@gmail.com'}\n    expect: deny\n",
    )
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", *NO_BROWSER_PLUGIN, "--okta-hook-url", f"{scripted[1]}/respond/allow",
        "--okta-cases", str(cases),
    )  # fmt: skip
    result.assert_outcomes(passed=8, failed=1, skipped=2)
    result.stdout.fnmatch_lines(["*expected DENY, but Okta's outcome is ALLOW*", "*POST *respond/allow*"])


def test_a_bad_cases_file_is_a_usage_error(pytester, scripted):
    # In this process (nothing is called: the run stops at collection), a subprocess would cost a Python start.
    cases = pytester.makefile(".yaml", cases="cases: [{name: x}]\n")
    result = pytester.runpytest_inprocess("--okta-hook-url", scripted[1], "--okta-cases", str(cases))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*case 'x': expect: required*"])


def test_the_sign_up_page_cases_refuse_an_address_cleanup_could_not_find(pytester, scripted):
    """Issue 19 item 9: every user the browser cases sign up must be found by the run's cleanup and by
    `mock-okta org cleanup`, which search by prefix (Okta's user search has no "contains"); a fixed address is
    refused in one line before any browser opens, and `{uid}` after other text is accepted. In this process: both
    runs stop after collection."""
    fixed = pytester.makefile(".yaml", fixed="cases:\n  - {name: pat, profile: {email: pat@acme.test}, expect: deny}\n")
    result = pytester.runpytest_inprocess(
        "--pyargs", "mock_okta.testing.signup_cases", "--okta-hook-url", scripted[1], "--okta-cases", str(fixed),
        "--collect-only", "-q",
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: *fixed.yaml: case 'pat': the email 'pat@acme.test' has no {uid}*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    slow_case = "cases:\n  - {name: s, profile: {email: 'slow.{uid}@acme.test'}, expect: deny}\n"
    slow = pytester.makefile(".yaml", slow=slow_case)
    accepted = pytester.runpytest_inprocess(
        "--pyargs", "mock_okta.testing.signup_cases", "--okta-hook-url", scripted[1], "--okta-cases", str(slow),
        "--collect-only", "-q",
    )  # fmt: skip
    assert accepted.ret == pytest.ExitCode.OK, accepted.stdout.str()


ORG_TARGET = ("--pyargs", "mock_okta.testing.signup_cases", "--okta-target", "org")


def test_on_an_org_target_the_run_names_the_hook_the_org_calls(pytester, okta_org, scripted, monkeypatch):
    """Issue 19 item 4: the org-target run's header talked about the bundled sample hook. The run that goes ahead
    stops after collection, in this process; the one that stops (the org calls another hook) is a real process, for
    its exit status, in test_real_runs_of_a_users_project."""
    okta_org.attach_hook(f"{scripted[1]}/respond/allow", name="The old hook")
    monkeypatch.setenv("OKTA_ORG_URL", okta_org.url)
    monkeypatch.setenv("OKTA_API_TOKEN", okta_org.api_token)
    right = pytester.runpytest_inprocess(
        *ORG_TARGET, "-p", "no:cacheprovider", "--okta-hook-url", f"{scripted[1]}/respond/allow", "--collect-only"
    )
    assert right.ret == 0, right.stdout.str()
    right.stdout.fnmatch_lines(
        ["mock-okta: --okta-target org: the org calls 'The old hook' (*): the hook under test (--okta-hook-url)"]
    )
    assert "sample hook" not in right.stdout.str()
