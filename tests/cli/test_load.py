"""`mock-okta load`: Locust, headless, with a master and local workers, against hooks on loopback (bounded runs, real
processes); its usage errors in-process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mock_okta.load.outcomes import read_report

from .helpers import cli

BIN = Path(sys.executable).parent
AUTH = "Authorization: Basic YWRtaW46c3VwZXJzZWNyZXQ="
GUIDE_CASES = """
cases:
  - name: example.com is allowed
    profile: {email: "{uid}@example.com"}
    expect: allow
  - name: other domains are denied under Email
    profile: {email: "{uid}@gmail.com"}
    expect: deny
    message: "Only example.com emails can register."
    field: email
"""


def load(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "mock-okta"), "load", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "120"},
    )


@pytest.mark.subprocess
def test_two_workers_report_every_outcome_of_the_cases(sample_hook, tmp_path):
    """A master and 2 local worker processes; the cases alternate, so ALLOW and DENY are both counted, and the
    outcome table is Locust's own final stats."""
    cases = tmp_path / "cases.yaml"
    cases.write_text(GUIDE_CASES)
    prefix = tmp_path / "run"
    result = load(
        "--hook-url", sample_hook.hook_url, "--auth-header", AUTH, "--cases", str(cases),
        "--users", "8", "--spawn-rate", "8", "--run-time", "3s", "--workers", "2", "--json-file", str(prefix),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    report = read_report(prefix)
    # Both outcomes counted many times; not a throughput figure (that is benchmarks/), so a loaded machine passes too.
    assert report.count("ALLOW") > 10 and report.count("DENY") > 10
    assert abs(report.count("ALLOW") - report.count("DENY")) <= 0.2 * report.calls
    assert report.failed_calls == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["outcome", "calls", "share", "p50", "ms", "p95", "ms", "p99", "ms", "per", "s"]
    assert lines[-1].split()[:2] == ["total", str(report.calls)]


@pytest.mark.subprocess
def test_a_slow_hook_breaks_the_latency_budget(scripted, tmp_path):
    """Answers slower than the budget (here 0.1 s of a 1 s deadline) are failures of their own, and exit 1."""
    prefix = tmp_path / "slow"
    result = load(
        "--hook-url", f"{scripted[1]}/slow/200", "--timeout", "1", "--budget", "0.1",
        "--users", "4", "--run-time", "3s", "--workers", "2", "--json-file", str(prefix),
    )  # fmt: skip
    assert result.returncode == 1
    report = read_report(prefix)
    assert report.count("over budget") > 0 and report.count("over budget") == report.calls
    assert "answers were over the latency budget" in result.stdout


@pytest.mark.subprocess
def test_a_hook_that_times_out_is_counted_as_timeout_after_the_retry(scripted, tmp_path):
    prefix = tmp_path / "hang"
    result = load(
        "--hook-url", f"{scripted[1]}/hang", "--timeout", "0.3",
        "--users", "2", "--run-time", "4s", "--json-file", str(prefix),
    )  # fmt: skip
    assert result.returncode == 1
    report = read_report(prefix)
    assert report.count("timeout") > 0 and report.count("timeout") == report.calls
    [timeout] = [o for o in report.outcomes if o.name == "timeout"]
    assert timeout.p50_ms >= 550, "two attempts of 0.3 s each: Okta retries once after a timeout"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hook-url", "ftp://x"], "--hook-url"),
        (["--hook-url", "http://127.0.0.1:1/h", "--org-url", "http://127.0.0.1:2"], "not both"),
        (["--hook-url", "http://127.0.0.1:1/h", "--auth-header", "Authorization Basic sekrit"], "Name: value"),
        (["--hook-url", "http://127.0.0.1:1/h", "--timeout", "0"], "--timeout"),
        (["--hook-url", "http://127.0.0.1:1/h", "--cases", "/nonexistent.yaml"], "nonexistent"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args, message):
    result = cli("load", *args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr and "sekrit" not in result.stderr


@pytest.mark.subprocess
def test_sign_ups_through_a_mock_org_load_the_org_and_its_hook(okta_org, sample_hook, tmp_path):
    """The second shape: whole sign-ups through the org's IDX API (page, introspect, enroll, enroll/new); the
    users alternate example.com (allowed) and gmail.com (denied by the sample hook)."""
    okta_org.attach_hook(sample_hook.hook_url, sample_hook.auth_header)
    prefix = tmp_path / "signup"
    result = load("--org-url", okta_org.url, "--users", "4", "--run-time", "3s", "--json-file", str(prefix))
    assert result.returncode == 0, result.stdout + result.stderr
    report = read_report(prefix)
    assert report.count("ALLOW") > 5 and report.count("DENY") > 5 and report.failed_calls == 0
    created = okta_org.org.users.find(q="mokta")
    # A sign-up still in flight when the run ends creates its user but is not counted: at most one per user.
    assert 0 <= len(created) - report.count("ALLOW") <= 4
