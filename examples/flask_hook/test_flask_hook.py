"""This team's hook under Okta's contract: the plugin's `mock_okta` fixture, the assertions, and `verify` with the
team's cases file, all without an Okta org."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mock_okta import MockOkta, assert_allowed, assert_denied, assert_failed, assert_no_violations

from .app import DENIED

CASES = Path(__file__).with_name("hook-cases.yaml")


def test_example_com_is_allowed_into_eng(mock_okta: MockOkta):
    run = mock_okta.fire(domain="example.com")
    assert_allowed(run, profile={"department": "Eng"})
    assert_no_violations(run)


def test_other_domains_are_denied_under_email(mock_okta: MockOkta):
    run = mock_okta.fire(domain="gmail.com")
    assert_denied(run, field="email", message=DENIED)
    assert_no_violations(run)


def test_without_the_secret_okta_would_fail_the_call(okta_hook_url: str):
    assert_failed(MockOkta(okta_hook_url).fire(domain="example.com"), "http_status")


def test_verify_with_the_cases_file(okta_hook_url: str, okta_hook_auth_header: str):
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "mock-okta"),
            "verify",
            "--hook-url",
            okta_hook_url,
            "--auth-header",
            okta_hook_auth_header,
            "--cases",
            str(CASES),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout
    assert "13 passed, 0 failed" in result.stdout
