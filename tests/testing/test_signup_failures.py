"""A failed hook never passes as a deny in the Sign Up page cases (issue: a message-less `expect: deny` case passed
with the hook down, on Gen2, on the mock and on an org target, though `verify` failed it). On screen a deny and a
failure can look alike; what Okta recorded (the journal on the mock, the System Log's `inline_hook.*` outcome on an
org) tells them apart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DENY_WITHOUT_MESSAGE = "cases:\n  - {name: gmail is turned away, profile: {email: '{uid}@gmail.com'}, expect: deny}\n"
FAILURE = "cases:\n  - {name: the hook is down, profile: {email: '{uid}@example.com'}, expect: failure}\n"


def signup_cases(tmp_path: Path, cases: str, hook_url: str, *options: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "cases.yaml").write_text(cases)
    command = [
        str(Path(sys.executable).parent / "pytest"), "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
        "--pyargs", "mock_okta.testing.signup_cases", "--okta-hook-url", hook_url, "--okta-cases", "cases.yaml",
        "--okta-hook-auth-header", "Authorization: x", *options,
    ]  # fmt: skip
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("engine", ["ie", "classic"])
def test_a_hook_that_is_down_fails_a_deny_case(tmp_path, engine):
    result = signup_cases(
        tmp_path, DENY_WITHOUT_MESSAGE, "http://127.0.0.1:9/registrationHook", "-k", "gen2", "--okta-engine", engine
    )
    assert result.returncode == 1, result.stdout[-3000:]
    assert "the hook call failed (connection): Okta shows its generic error, not a deny" in result.stdout


def test_a_failure_case_passes_only_when_the_call_failed(tmp_path, scripted):
    down = signup_cases(tmp_path, FAILURE, "http://127.0.0.1:9/registrationHook", "-k", "gen2")
    assert down.returncode == 0, down.stdout[-3000:]
    answered = signup_cases(tmp_path, FAILURE, f"{scripted[1]}/respond/allow", "-k", "gen2")
    assert answered.returncode == 1
