"""Issue 19 item 2: a progressive-profile case says what the signed-in user submits (`update:`), and the Sign Up page
cases run it through the widget's "Additional Profile information" form on the mock (the policy asks for the
update's attributes, progressive profiling on): before, every such case was skipped in the browser, and the value
sent was a random `employeeNumber`, so an allow case passed without exercising the rule.

One pytest run through the genuine widget (Gen2) against the sample hook, whose rule is the guide's: an
employeeNumber of 4 digits, else "Employee numbers must have 4 digits." under the field (okta-developer-docs
`docs/guides/registration-inline-hook/nodejs/main/`, progressive profile). Each rule is proved by a case that must
pass and one that must fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .child_runs import UNRELATED_PLUGINS

# Nor this source tree's conftest.py (its test tiers, Hypothesis' settings: 1 s of each run's start), which a user's
# installed mock-okta does not have: pytest loads the conftest.py files above a collected module that lies in another
# tree (here `mock_okta.testing.signup_cases`). Cut at mock_okta/, whose parents hold it.
NO_SOURCE_CONFTEST = ("--confcutdir", str(Path(__file__).resolve().parents[2] / "mock_okta"))

CASE = "  - {{name: {name}, request_type: profile-update, profile: {{email: '{{uid}}@example.com'}}, {rest}}}\n"
CASES = "cases:\n" + "".join(
    CASE.format(name=name, rest=rest)
    for name, rest in [
        ("four digits are taken", "update: {employeeNumber: '1234'}, expect: allow"),
        (
            "two digits are refused under the field",
            "update: {employeeNumber: '12'}, expect: deny, field: employeeNumber, "
            "message: Employee numbers must have 4 digits.",
        ),
        ("WRONG two digits said allowed", "update: {employeeNumber: '12'}, expect: allow"),
        ("WRONG four digits said denied", "update: {employeeNumber: '1234'}, expect: deny"),
    ]
)


def test_profile_update_cases_run_through_the_widgets_form_and_fail_when_the_hook_disagrees(sample_hook, tmp_path):
    (tmp_path / "cases.yaml").write_text(CASES)
    command = [
        str(Path(sys.executable).parent / "pytest"), "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
        "--pyargs", "mock_okta.testing.signup_cases", "--okta-hook-url", sample_hook.hook_url,
        "--okta-hook-auth-header", sample_hook.auth_header, "--okta-cases", "cases.yaml", "-k", "gen2",
        *UNRELATED_PLUGINS, *NO_SOURCE_CONFTEST,
    ]  # fmt: skip
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    summary = result.stdout.split("short test summary")[-1]
    assert "2 failed, 2 passed" in result.stdout, result.stdout[-3000:]
    assert "WRONG two digits said allowed" in summary and "WRONG four digits said denied" in summary
    assert "four digits are taken" not in summary.replace("WRONG four digits", "")
    assert "the update of {'employeeNumber': '12'} was refused on the page, not allowed" in result.stdout
    assert "the update of {'employeeNumber': '1234'} signed the user in: not a deny" in result.stdout
