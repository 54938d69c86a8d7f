"""No false green from the token cases module on the mock (`pytest --pyargs mock_okta.testing.token_cases`): a case
fails, naming why, whenever the app got something other than what the case expects through the hook, and an
error-expecting case passes through the browser when the hook answers its error object.

Sources: okta-developer-docs `docs/reference/token-hook/index.md` (last full version, `git show 982a3bc1c1^:...`):
"Troubleshoot" (a failed call, or a response Okta cannot apply, such as a patch of a reserved claim, leaves the tokens
as minted: the hook's work is lost, not done), "Reserved claims" (`sub` may not be patched), "error" / "Sample error
response" (the error object fails the whole flow: the requester gets `server_error` with the `errorSummary`).

The rules are proved by whole runs through the genuine widget, in this process (a pytest process costs seconds to
start), folded: one hook (the scripted hook's `/token-by-login`) answers each case's user as that user's login names,
so one run (one browser) proves four rules; the hook that is down is a second run (nothing listens on its port).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest

from mock_okta.org.web.hosted_page import widget_installed
from mock_okta.serving.thread import ServerThread
from mock_okta.testing.scripted_hook import ScriptedHook
from tests.testing.child_runs import UNRELATED_PLUGINS, expect_outcome

pytest_plugins = ["pytester"]

pytestmark = [
    pytest.mark.skipif(not widget_installed(), reason="the Sign-In Widget is not installed: run 'make widget'"),
    pytest.mark.browser,  # the inner runs drive Chromium through pytest-playwright
]

TEST = "test_token_case_through_the_app_s_sign_in"
ERROR_TEXT = "Human-readable summary of the error"  # the reference's "Sample error response"
# A case's user names the scripted hook's answer for it (`<canned answer>+{uid}@example.com`).
ROUTED_CASES = f"""type: token
cases:
  - name: dropped-patch-vs-claims
    user: {{login: "token-reserved+{{uid}}@example.com"}}
    expect: patched
    identity: {{extPatientId: "1235"}}
  - name: error-object-vs-claims
    user: {{login: "token-error+{{uid}}@example.com"}}
    expect: patched
    identity: {{extPatientId: "1235"}}
  - name: error-case-vs-a-patch
    user: {{login: "token-other-patient+{{uid}}@example.com"}}
    expect: error
    error: "{ERROR_TEXT}"
  - name: error-case-vs-the-error-object
    user: {{login: "token-error+{{uid}}@example.com"}}
    expect: error
    error: "{ERROR_TEXT}"
"""
DOWN_CASES = """type: token
cases:
  - name: hook-down-vs-claims
    user: {login: "jessie.smith@example.com"}
    expect: patched
    identity: {extPatientId: "1235"}
"""


@pytest.fixture
def scripted() -> Iterator[str]:
    with ServerThread(ScriptedHook()) as server:
        yield server.url


def token_cases(pytester: pytest.Pytester, cases: str, hook_url: str) -> pytest.RunResult:
    """The packaged module on the mock, Gen2 (the rules are the judge's, not a widget generation's), `-rA` so each
    case's outcome is reported by node id."""
    # pytest-playwright opens a soft-assertion scope around every test, and refuses to nest one: the inner run's tests
    # get theirs while this test's is set aside (a module global of Playwright's).
    from playwright._impl import _assertions as soft

    path = pytester.path / f"cases-{len(list(pytester.path.glob('cases-*')))}.yaml"
    path.write_text(cases)
    outer, soft._soft_errors = soft._soft_errors, None
    try:
        return pytester.runpytest_inprocess(
            "-q", "-rA", "-p", "no:cacheprovider", "-p", "no:randomly", *UNRELATED_PLUGINS,
            "--pyargs", "mock_okta.testing.token_cases", "--okta-hook-url", hook_url, "--okta-cases", str(path),
            "-k", "gen2",
        )  # fmt: skip
    finally:
        soft._soft_errors = outer


def node(case: str) -> str:
    return f"::{TEST}[{case}-gen2-chromium]"


def why(result: pytest.RunResult, case: str) -> str:
    """The lines a failed case's AssertionError gives (the judge's problems), up to the hook's call it shows."""
    text = result.stdout.str()
    start = text.find(f"AssertionError: case {case!r}:")
    assert start >= 0, f"case {case!r} did not fail with the judge's message\n{text[-3000:]}"
    return text[start : text.find("the hook's call:", start)]


def test_a_case_fails_naming_why_whenever_the_hook_s_work_did_not_reach_the_app(pytester, scripted, monkeypatch):
    monkeypatch.setenv("CHROMIUM_PATH", os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    routed = token_cases(pytester, ROUTED_CASES, f"{scripted}/token-by-login")

    # "Reserved claims" + "Troubleshoot": Okta drops the whole patch (its allowed claim too) and issues the tokens as
    # minted; the case fails on the dropped patch, not (only) on the missing claim.
    expect_outcome(routed, node("dropped-patch-vs-claims"), "FAILED", "a patch Okta drops fails a claims case")
    dropped = why(routed, "dropped-patch-vs-claims")
    assert "the hook's call failed (the whole patch was not applied" in dropped, dropped
    assert "'sub' is a reserved claim of the ID token" in dropped, f"the failure names the reserved claim: {dropped}"
    # The error object: the app gets server_error with the hook's errorSummary, never the claims the case expects.
    expect_outcome(routed, node("error-object-vs-claims"), "FAILED", "an error object fails a claims case")
    refused = why(routed, "error-object-vs-claims")
    assert f"the app got server_error: {ERROR_TEXT}; the case expects patched" in refused, (
        f"the claims case says the app got the hook's server_error: {refused}"
    )
    # An `expect: error` case against a hook that patched: the app got tokens, which is not what the case expects.
    expect_outcome(routed, node("error-case-vs-a-patch"), "FAILED", "an error case fails when the hook does not error")
    patched = why(routed, "error-case-vs-a-patch")
    assert "the app got tokens; the case expects server_error (the hook's error object)" in patched, (
        f"the error case says the app got tokens: {patched}"
    )
    # The browser path of an error case that holds: sign-in on the hosted page, the code exchanged, server_error with
    # the errorSummary as error_description.
    expect_outcome(routed, node("error-case-vs-the-error-object"), "PASSED", "an error case passes on the error object")

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{closed.getsockname()[1]}/tokenHook"
    failed = token_cases(pytester, DOWN_CASES, down)
    # "Troubleshoot": a call that fails leaves the tokens as minted; the case says the call failed, and how.
    expect_outcome(failed, node("hook-down-vs-claims"), "FAILED", "a hook that is down fails a claims case")
    down_why = why(failed, "hook-down-vs-claims")
    assert "the hook's call failed (connection): Okta issued the tokens as minted" in down_why, (
        f"the case says the call failed on the connection: {down_why}"
    )
