"""A hook in another language, tested from its own folder as its team would. The green path (`mock-okta verify` with
the team's cases file, the plugin's pytest options, the cases through the Sign Up page of a mock org in a real
browser, then the org job) is the example CI workflow `examples/ci/node-hook.yml`, run step by step by
tests/cli/test_ci_workflows.py; here: a wrong key or a wrong case expectation must turn `verify` red."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CASES = Path(__file__).with_name("hook-cases.yaml")
BIN = Path(sys.executable).parent


def run(*command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True, timeout=300, cwd=cwd)


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
