"""A hook in another language, tested from its own folder as its team would: `mock-okta verify` with the team's
cases file, the pytest options of the plugin in a project that has only that file, and the cases through the Sign Up
page of a mock org in a real browser. A wrong key, a missing case expectation or a broken hook must turn each red."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CASES = Path(__file__).with_name("hook-cases.yaml")
BIN = Path(sys.executable).parent


def run(*command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True, timeout=300, cwd=cwd)


def test_verify_passes_the_hooks_own_cases(okta_hook_url, okta_hook_auth_header):
    result = run(
        str(BIN / "mock-okta"), "verify", "--hook-url", okta_hook_url, "--auth-header", okta_hook_auth_header,
        "--cases", str(CASES),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "14 passed, 0 failed" in result.stdout


def test_verify_is_red_with_the_wrong_key_or_a_wrong_expectation(okta_hook_url, okta_hook_auth_header, tmp_path):
    verify = (str(BIN / "mock-okta"), "verify", "--hook-url", okta_hook_url, "--json")
    wrong_key = run(*verify, "--cases", str(CASES), "--auth-header", "X-Api-Key: nope")
    problems = [p for r in json.loads(wrong_key.stdout)["results"] for p in r["problems"]]
    assert wrong_key.returncode == 1 and "expected ALLOW, but the hook call failed (http_status)" in problems
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(CASES.read_text().replace('employeeNumber: "12"}', 'employeeNumber: "123457"}'))
    result = run(*verify, "--cases", str(wrong), "--auth-header", okta_hook_auth_header)
    by_name = {r["name"]: r["problems"] for r in json.loads(result.stdout)["results"]}
    assert result.returncode == 1
    assert (
        by_name["a short employee number is refused under its field"][0] == "expected DENY, but Okta's outcome is ALLOW"
    )


def test_the_pytest_options_in_a_project_of_its_own(okta_hook_url, okta_hook_auth_header, tmp_path):
    """What the team's CI runs: pytest with the plugin's options in a folder holding nothing but the cases file."""
    project = tmp_path / "acme-hook"
    project.mkdir()
    (project / "hook-cases.yaml").write_text(CASES.read_text())
    result = run(
        str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", "--okta-hook-url", okta_hook_url,
        "--okta-hook-auth-header", okta_hook_auth_header, "--okta-cases", "hook-cases.yaml", "-p", "no:randomly",
        cwd=project,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert "14 passed" in result.stdout


def test_the_cases_through_the_sign_up_page(okta_hook_url, okta_hook_auth_header, tmp_path):
    """The same cases file through the genuine widget on a mock org (Gen2): the registration cases on the Sign Up
    form, the progressive-profile ones on the form a signed-in user is asked to complete (their `update:` typed)."""
    result = run(
        str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", "--pyargs", "mock_okta.testing.signup_cases",
        "--okta-hook-url", okta_hook_url, "--okta-hook-auth-header", okta_hook_auth_header,
        "--okta-cases", str(CASES), "-k", "gen2", "--browser-channel", "", "-p", "no:randomly",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert "4 passed" in result.stdout and "skipped" not in result.stdout
