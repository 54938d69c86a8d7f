"""The pytest plugin with `--okta-hook-type token`: the conformance checks and cases of `verify --type token` as test
items, and the `mock_okta` fixture firing token requests (at the sample hook's token route when it is asked for by
name)."""

from __future__ import annotations

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
        "-p", "no:cacheprovider", "-v", "--okta-hook-type", "token", "--okta-hook-url", sample_hook.token_hook_url,
        "--okta-hook-auth-header", sample_hook.auth_header,
    )  # fmt: skip
    result.stdout.fnmatch_lines(
        [
            "*okta-hook check: no answer patches a reserved claim PASSED*",
            "*okta-hook case: a patient gets extPatientId in the ID token PASSED*",
        ]
    )
    result.assert_outcomes(passed=14)  # 11 checks, the guide's 2 cases, and test_nothing


def test_the_mock_okta_fixture_fires_token_requests_at_the_samples_token_route(pytester):
    pytester.makepyfile(test_token=EXAMPLE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--okta-hook-url", "sample", "--okta-hook-type",
                                           "token")  # fmt: skip
    result.assert_outcomes(passed=2)


def test_an_unknown_hook_type_is_one_line(pytester):
    pytester.makepyfile(test_token=EXAMPLE)
    # In this process (nothing is called: the run stops at collection), a subprocess would cost a Python start.
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--okta-hook-url", "http://127.0.0.1:9/t",
                                          "--okta-hook-type", "saml", "-k", "patient")  # fmt: skip
    result.stderr.fnmatch_lines(["*--okta-hook-type: unknown hook type 'saml': choose registration, token*"])
    assert result.ret == 4  # pytest's usage error: nothing ran
