"""The Sign Up page cases give the hook under test Okta's deadline (issue: the mock imposed an undocumented 1 s, so
a legal hook that answers in 1.5 s passed `verify` and failed every browser case). A shorter test deadline is an
explicit option, `--okta-hook-timeout`, and a case that fails under it says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CASES = """cases:
  - {name: a slow but legal hook lets example.com in, profile: {email: '{uid}@example.com'}, expect: allow}
"""


def signup_cases(tmp_path: Path, hook_url: str, *options: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "cases.yaml").write_text(CASES)
    command = [
        str(Path(sys.executable).parent / "pytest"), "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
        "--pyargs", "mock_okta.testing.signup_cases", "--okta-hook-url", hook_url, "--okta-cases", "cases.yaml",
        "-k", "gen2", *options,
    ]  # fmt: skip
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_a_hook_answering_in_1_5_s_passes_the_sign_up_page(scripted, tmp_path):
    result = signup_cases(tmp_path, f"{scripted[1]}/slow/1500")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 passed" in result.stdout


def test_a_shorter_test_deadline_is_asked_for_and_its_failure_says_why(scripted, tmp_path):
    result = signup_cases(tmp_path, f"{scripted[1]}/slow/1500", "--okta-hook-timeout", "1")
    assert result.returncode == 1
    assert "no complete response within 1 s" in result.stdout
    assert "the mock org's deadline is 1 s per attempt (--okta-hook-timeout); Okta's is 3 s" in result.stdout
