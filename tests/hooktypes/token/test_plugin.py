"""The pytest plugin with `--okta-hook-type token`: the conformance checks and cases of `verify --type token` as test
items, and the `mock_okta` fixture firing token requests (at the sample hook's token route when it is asked for by
name)."""

from __future__ import annotations

import pytest

from tests.testing.child_runs import NO_BROWSER_PLUGIN, UNRELATED_PLUGINS

pytest_plugins = ["pytester"]

EXAMPLE = """
def test_a_patient(mock_okta):
    run = mock_okta.fire(email="jessie.smith@example.com")
    assert run.request["eventType"] == "com.okta.oauth2.tokens.transform"
    assert run.outcome == "PATCHED" and run.verdict.claims("identity")["extPatientId"] == "1235"
    assert len(run.exchange.attempts) == 1


def test_a_service(mock_okta):
    assert mock_okta.fire(request_type="client_credentials").outcome == "UNCHANGED"
"""


def test_okta_hook_type_token_turns_the_token_checks_and_cases_into_tests(pytester, sample_hook):
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", *UNRELATED_PLUGINS, "-v", "--okta-hook-type", "token",
        "--okta-hook-url", sample_hook.token_hook_url, "--okta-hook-auth-header", sample_hook.auth_header,
    )  # fmt: skip
    result.stdout.fnmatch_lines(
        [
            "*okta-hook check: no answer patches a reserved claim PASSED*",
            "*okta-hook case: a patient gets extPatientId in the ID token PASSED*",
        ]
    )
    result.assert_outcomes(passed=14)  # 11 checks, the guide's 2 cases, and test_nothing


@pytest.mark.server  # the sample hook, started by the run in this process
def test_the_mock_okta_fixture_fires_token_requests_at_the_samples_token_route(pytester):
    # In this process: the plugin's same fixtures; a real process has shown the token door above.
    pytester.makepyfile(test_token=EXAMPLE)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", *NO_BROWSER_PLUGIN, "--okta-hook-url", "sample",
                                          "--okta-hook-type", "token")  # fmt: skip
    result.assert_outcomes(passed=2)


def test_an_unknown_hook_type_is_one_line(pytester):
    pytester.makepyfile(test_token=EXAMPLE)
    # In this process (nothing is called: the run stops at collection), a subprocess would cost a Python start.
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--okta-hook-url", "http://127.0.0.1:9/t",
                                          "--okta-hook-type", "saml", "-k", "patient")  # fmt: skip
    result.stderr.fnmatch_lines(["*--okta-hook-type: unknown hook type 'saml': choose registration, token*"])
    assert result.ret == 4  # pytest's usage error: nothing ran


def test_an_empty_hook_type_is_one_line_not_registration(pytester):
    # Review of issue 22, defect 9: `--okta-hook-type ""` (an unset CI variable) ran the registration checks.
    pytester.makepyfile(test_token=EXAMPLE)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--okta-hook-url", "http://127.0.0.1:9/t",
                                          "--okta-hook-type", "")  # fmt: skip
    result.stderr.fnmatch_lines(["*--okta-hook-type: empty: choose registration, token*"])
    assert result.ret == 4


def test_a_cases_file_with_a_yaml_date_is_one_line(pytester):
    # Review of issue 22, defect 4: a YAML date (or bytes, a set) in a case's expectations raised a TypeError in
    # every item. Claims are JSON values (TOKREF: `value` "JSON value"); the file is refused at collection.
    cases = pytester.makefile(".yaml", cases="type: token\ncases:\n  - name: born\n    expect: patched\n"
                                             "    identity: {birthdate: 1990-05-01}\n")  # fmt: skip
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--okta-hook-url", "http://127.0.0.1:9/t",
                                          "--okta-cases", str(cases))  # fmt: skip
    result.stderr.fnmatch_lines(
        ["*$.cases[[]0[]].identity.birthdate: 1990-05-01 is a date, not a JSON value: quote it*"]
    )
    assert result.ret == 4


BROKEN_VERIFY = """
import mock_okta.hook.verify

RUNS = []


async def broken(*args, **kwargs):
    RUNS.append(1)
    raise RuntimeError("the verification broke")


ORIGINAL = mock_okta.hook.verify.verify
mock_okta.hook.verify.verify = broken


def pytest_unconfigure():
    # The run is in the test's own process: the module is put back as it was for the tests that follow.
    mock_okta.hook.verify.verify = ORIGINAL


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"verification runs: {len(RUNS)}")
"""


def test_a_verification_that_cannot_run_runs_once_per_session(pytester):
    # Review of issue 22, defect 4: every item re-ran the whole verification (a few hundred calls) when it raised.
    # In this process (the verification breaks before any call), a subprocess would cost a Python start.
    pytester.makeconftest(BROKEN_VERIFY)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", *NO_BROWSER_PLUGIN, "--okta-hook-url",
                                          "http://127.0.0.1:9/t", "--okta-hook-type", "token")  # fmt: skip
    result.stdout.fnmatch_lines(["*the verification could not run (RuntimeError*", "*verification runs: 1*"])
    result.assert_outcomes(failed=13)
