"""No false green from the token cases module on the mock (`pytest --pyargs mock_okta.testing.token_cases`): a case
fails, naming why, whenever the app got something other than what the case expects through the hook, and an
error-expecting case passes through the browser when the hook answers its error object.

Sources: okta-developer-docs `docs/reference/token-hook/index.md` (last full version, `git show 982a3bc1c1^:...`):
"Troubleshoot" (a failed call, or a response Okta cannot apply, such as a patch of a reserved claim, leaves the tokens
as minted: the hook's work is lost, not done), "Reserved claims" (`sub` may not be patched), "error" / "Sample error
response" (the error object fails the whole flow: the requester gets `server_error` with the `errorSummary`).

The rules are proved by whole runs through the genuine widget, folded: one hook (the scripted hook's
`/token-by-login`) answers each case's user as that user's login names, so one run (one browser) proves four rules;
the hook that is down is a second run (nothing listens on its port), started beside the first (most of a run is
waiting for Chromium and the pages). Each run is its own pytest process: an inner sync Playwright cannot start in
this process once an earlier browser test of the worker left one running.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_okta.org.web.hosted_page import widget_installed
from mock_okta.serving.thread import ServerThread
from mock_okta.testing.scripted_hook import ScriptedHook
from tests.testing.child_runs import UNRELATED_PLUGINS

pytestmark = pytest.mark.skipif(not widget_installed(), reason="the Sign-In Widget is not installed: run 'make widget'")

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
  - name: uid-in-the-claims
    user: {{login: "token-other-patient+{{uid}}@example.com"}}
    expect: patched
    identity: {{extPatientId: "4321"}}
    access: {{sub: "token-other-patient+{{uid}}@example.com"}}
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


def start(folder: Path, cases: str, hook_url: str, *extra: str) -> subprocess.Popen[str]:
    """The packaged module on the mock, Gen2 (the rules are the judge's, not a widget generation's), `-rA` so each
    case's outcome is reported by node id; its output in a file (a pipe nobody reads while the other run is awaited
    could fill up and stall it)."""
    folder.mkdir()
    (folder / "cases.yaml").write_text(cases)
    command = [
        str(Path(sys.executable).parent / "pytest"), "-q", "-rA", "-p", "no:cacheprovider", "-p", "no:randomly",
        *UNRELATED_PLUGINS, "--pyargs", "mock_okta.testing.token_cases", "--okta-hook-url", hook_url,
        "--okta-cases", "cases.yaml", "-k", "gen2", *extra,
    ]  # fmt: skip
    with (folder / "output").open("w") as output:
        return subprocess.Popen(command, cwd=folder, stdout=output, stderr=subprocess.STDOUT, text=True)


def finish(process: subprocess.Popen[str], folder: Path) -> str:
    try:
        process.wait(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
    return (folder / "output").read_text()


def outcome(output: str, case: str) -> str:
    """How the case's test ended in a `-rA` run ("not run" when the summary has no line for it)."""
    found = re.search(rf"^(PASSED|FAILED|ERROR) \S*::{TEST}\[{re.escape(case)}-gen2-chromium\]", output, re.M)
    return found.group(1) if found else "not run"


def why(output: str, case: str) -> str:
    """The lines a failed case's AssertionError gives (the judge's problems), up to the hook's call it shows."""
    begin = output.find(f"AssertionError: case {case!r}:")
    assert begin >= 0, f"case {case!r} did not fail with the judge's message\n{output[-3000:]}"
    return output[begin : output.find("the hook's call:", begin)]


def test_a_case_fails_naming_why_whenever_the_hook_s_work_did_not_reach_the_app(scripted, tmp_path):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{closed.getsockname()[1]}/tokenHook"
    runs = (
        (start(tmp_path / "routed", ROUTED_CASES, f"{scripted}/token-by-login"), tmp_path / "routed"),
        (start(tmp_path / "down", DOWN_CASES, down), tmp_path / "down"),
        # The module is the token type's door: another type beside it is a usage error before any browser opens.
        (start(tmp_path / "typed", DOWN_CASES, down, "--okta-hook-type", "registration"), tmp_path / "typed"),
    )
    routed, failed, typed = (finish(process, folder) for process, folder in runs)

    # Issue 22, D1: with `--okta-hook-url` and no `--okta-hook-type`, the plugin added a registration hook's
    # `verify` checks and cases as items against the token hook (`8 failed, 8 passed` for 4 sign-ins). The module's
    # run is its cases through the browser alone, as `signup_cases`' is (README, "The cases through the Sign Up
    # page": the browser step adds no verify check items).
    # `-k gen2` deselects such items, so the summary's deselected count shows them (13 for the down run before).
    for output in (routed, failed):
        assert "okta-hook" not in output, f"the run added check or case items\n{output[-3000:]}"
    assert re.search(r"^1 failed, 1 deselected\b", failed, re.M), f"the down run is its one case\n{failed[-2000:]}"
    assert re.search(r"^3 failed, 2 passed, 5 deselected\b", routed, re.M), (
        f"the routed run is its 5 cases\n{routed[-2000:]}"
    )
    usage = typed.strip().splitlines()
    assert usage == [
        "ERROR: --okta-hook-type registration: mock_okta.testing.token_cases runs the cases of a token hook; leave "
        "--okta-hook-type out or give token"
    ], typed

    def ended(output: str, case: str, expected: str, rule: str) -> None:
        assert outcome(output, case) == expected, f"{rule}: {case} is {outcome(output, case)}\n{output[-3000:]}"

    # "Reserved claims" + "Troubleshoot": Okta drops the whole patch (its allowed claim too) and issues the tokens as
    # minted; the case fails on the dropped patch, not (only) on the missing claim.
    ended(routed, "dropped-patch-vs-claims", "FAILED", "a patch Okta drops fails a claims case")
    dropped = why(routed, "dropped-patch-vs-claims")
    assert "the hook's call failed (the whole patch was not applied" in dropped, dropped
    assert "'sub' is a reserved claim of the ID token" in dropped, f"the failure names the reserved claim: {dropped}"
    # The error object: the app gets server_error with the hook's errorSummary, never the claims the case expects.
    ended(routed, "error-object-vs-claims", "FAILED", "an error object fails a claims case")
    refused = why(routed, "error-object-vs-claims")
    assert f"the app got server_error: {ERROR_TEXT}; the case expects patched" in refused, (
        f"the claims case says the app got the hook's server_error: {refused}"
    )
    # An `expect: error` case against a hook that patched: the app got tokens, which is not what the case expects.
    ended(routed, "error-case-vs-a-patch", "FAILED", "an error case fails when the hook does not error")
    patched = why(routed, "error-case-vs-a-patch")
    assert "the app got tokens; the case expects server_error (the hook's error object)" in patched, (
        f"the error case says the app got tokens: {patched}"
    )
    # The browser path of an error case that holds: sign-in on the hosted page, the code exchanged, server_error with
    # the errorSummary as error_description.
    ended(routed, "error-case-vs-the-error-object", "PASSED", "an error case passes on the hook's error object")
    # Issue 22, D3: `{uid}` in the claims is the uid the user signed in with (README: "`{uid}`: unique per run"); the
    # access token's `sub` is the user's login (token hook reference, "Sample request").
    ended(routed, "uid-in-the-claims", "PASSED", "a claim naming the user's {uid} login holds")

    # "Troubleshoot": a call that fails leaves the tokens as minted; the case says the call failed, and how.
    ended(failed, "hook-down-vs-claims", "FAILED", "a hook that is down fails a claims case")
    down_why = why(failed, "hook-down-vs-claims")
    assert "the hook's call failed (connection): Okta issued the tokens as minted" in down_why, (
        f"the case says the call failed on the connection: {down_why}"
    )
