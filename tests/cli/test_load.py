"""`mock-okta load`: Locust, headless, with a master and local workers, against hooks on loopback (bounded runs, real
processes); its usage errors in-process.

The four runs are bounded by `--run-time`: most of each is waiting for its clock, so they start side by side in one
test (one per rule would wait on whichever xdist worker it lands on, one after the other: 25 to 45 s) and each
rule's assertions name it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
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


@dataclass
class Run:
    """A `mock-okta load` process started in its own folder, its output in files (a full pipe would stall it)."""

    folder: Path
    process: subprocess.Popen[str]

    @property
    def prefix(self) -> Path:
        return self.folder / "run"

    def lasted(self, said: str) -> float:
        """From Locust's own log: seconds from the run time's start to its end."""
        stamps = []
        for pattern in ("Run time limit set to", "--run-time limit reached"):
            found = re.search(rf"^\[([^\]]+)\].*{pattern}", said, re.M)
            assert found, f"{self.folder.name}: no {pattern!r} in Locust's log:\n{said[-3000:]}"
            stamps.append(datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S,%f"))
        return (stamps[1] - stamps[0]).total_seconds()

    def finish(self) -> subprocess.CompletedProcess[str]:
        self.process.wait(timeout=120)
        out, err = ((self.folder / name).read_text() for name in ("stdout", "stderr"))
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, out, err)


def start(folder: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    folder.mkdir()
    command = [str(BIN / "mock-okta"), "load", *args, "--json-file", str(folder / "run")]
    environment = {**os.environ, "COLUMNS": "120", **(env or {})}
    with (folder / "stdout").open("w") as stdout, (folder / "stderr").open("w") as stderr:
        return Run(folder, subprocess.Popen(command, stdout=stdout, stderr=stderr, text=True, env=environment))


@pytest.mark.subprocess
def test_locust_runs_count_outcomes_budget_timeouts_and_sign_ups(okta_org, sample_hook, scripted, tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text(GUIDE_CASES)
    okta_org.attach_hook(sample_hook.hook_url, sample_hook.auth_header)
    slow_before = scripted[0].calls["/slow/200"]
    runs = (
        # Rule 1: a master and 2 local worker processes; the cases alternate, so ALLOW and DENY are both counted,
        # and the outcome table is Locust's own final stats.
        start(
            tmp_path / "workers", "--hook-url", sample_hook.hook_url, "--auth-header", AUTH, "--cases", str(cases),
            "--users", "8", "--spawn-rate", "8", "--run-time", "3s", "--workers", "2",
        ),
        # Rule 2: answers slower than the budget (here 0.1 s of a 1 s deadline) are failures of their own, and exit 1.
        start(
            tmp_path / "slow", "--hook-url", f"{scripted[1]}/slow/200", "--timeout", "1", "--budget", "0.1",
            "--users", "4", "--run-time", "3s", "--workers", "2",
        ),
        # Rule 3: a hook that never answers is counted as `timeout`, after Okta's one retry. Locust's own setting
        # lets a call in flight when the run time ends finish (and be counted): on a loaded machine the 4 s could
        # end before the first call's two 0.3 s attempts did, and the run counted nothing.
        start(
            tmp_path / "hang", "--hook-url", f"{scripted[1]}/hang", "--timeout", "0.3",
            "--users", "2", "--run-time", "4s", env={"LOCUST_STOP_TIMEOUT": "10"},
        ),
        # Rule 4: the second shape, whole sign-ups through the org's IDX API (page, introspect, enroll, enroll/new);
        # the users alternate example.com (allowed) and gmail.com (denied by the sample hook).
        start(tmp_path / "signup", "--org-url", okta_org.url, "--users", "4", "--run-time", "3s"),
    )  # fmt: skip
    workers, slow, hang, signup = (run.finish() for run in runs)
    workers_report, slow_report, hang_report, signup_report = (read_report(run.prefix) for run in runs)

    # Every run lasts its --run-time, measured from its start (a run on one process lasted from nothing to 2.2 s of
    # 3 s: the clock of Locust's timer was from before the set-up; mock_okta/load/locustfile.py reads it afresh).
    for run, result, seconds in zip(runs, (workers, slow, hang, signup), (3, 3, 4, 3), strict=True):
        lasted = run.lasted(result.stderr)
        assert lasted >= seconds - 0.05, f"{run.folder.name}: the run lasted {lasted} s of --run-time {seconds}s"

    # Rule 1. Both outcomes counted many times; not a throughput figure (that is benchmarks/), so a loaded machine
    # passes too.
    said = workers.stdout + workers.stderr
    assert workers.returncode == 0, f"two workers: {said[-3000:]}"
    assert workers_report.count("ALLOW") > 10 and workers_report.count("DENY") > 10, f"two workers: {workers_report}"
    assert abs(workers_report.count("ALLOW") - workers_report.count("DENY")) <= 0.2 * workers_report.calls, (
        f"two workers: the cases alternate: {workers_report}"
    )
    assert workers_report.failed_calls == 0, f"two workers: {workers_report}"
    lines = workers.stdout.splitlines()
    assert lines[0].split() == ["outcome", "calls", "share", "p50", "ms", "p95", "ms", "p99", "ms", "per", "s"]
    assert lines[-1].split()[:2] == ["total", str(workers_report.calls)], "two workers: the table's total"

    # Rule 2.
    assert slow.returncode == 1, f"over budget: exit 1\n{(slow.stdout + slow.stderr)[-3000:]}"
    assert 0 < slow_report.count("over budget") == slow_report.calls, f"over budget: every call: {slow_report}"
    # With workers, every call the hook answered before the run ended is in the table, whichever worker made it (a
    # worker's last report, sent on Locust's `quit`, came too late on a loaded machine): at most the 4 users' calls
    # in flight at the end are not.
    answered = scripted[0].calls["/slow/200"] - slow_before
    assert answered - 4 <= slow_report.calls <= answered, f"over budget: the hook answered {answered}: {slow_report}"
    assert "answers were over the latency budget" in slow.stdout, f"over budget: {slow.stdout[-3000:]}"

    # Rule 3.
    assert hang.returncode == 1, f"timeouts: exit 1\n{(hang.stdout + hang.stderr)[-3000:]}"
    assert 0 < hang_report.count("timeout") == hang_report.calls, f"timeouts: every call: {hang_report}"
    [timeout] = [o for o in hang_report.outcomes if o.name == "timeout"]
    assert timeout.p50_ms >= 550, "two attempts of 0.3 s each: Okta retries once after a timeout"

    # Rule 4.
    assert signup.returncode == 0, f"sign-ups: {(signup.stdout + signup.stderr)[-3000:]}"
    assert signup_report.count("ALLOW") > 5 and signup_report.count("DENY") > 5, f"sign-ups: {signup_report}"
    assert signup_report.failed_calls == 0, f"sign-ups: {signup_report}"
    created = okta_org.org.users.find(q="mokta")
    # A sign-up still in flight when the run ends creates its user but is not counted: at most one per user.
    assert 0 <= len(created) - signup_report.count("ALLOW") <= 4, f"sign-ups: {len(created)} users, {signup_report}"
    # Like a browser, each user sends back the device cookie its first page set: the transactions of all its
    # sign-ups are bound to one device (mock_okta/org/idx.py `start`), 4 users to 4 devices.
    [(devices, transactions)] = okta_org.org.store._execute(
        "SELECT COUNT(DISTINCT device), COUNT(*) FROM idx_flow_devices"
    )
    assert transactions >= signup_report.calls and devices == 4, f"sign-ups: {transactions} on {devices} devices"


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


# A worker still busy when the run ends (here: 1.5 s in its own test_stop listener, as a loaded machine makes it),
# past the 0.5 s Locust's master waits after `quit` for the workers' last reports.
LATE_WORKER = """
import gevent
from locust import events
from locust.runners import WorkerRunner


@events.test_stop.add_listener
def _busy(environment, **_):
    if isinstance(environment.runner, WorkerRunner):
        gevent.sleep(1.5)
"""


@pytest.mark.subprocess
def test_with_workers_a_late_worker_s_calls_are_counted(scripted, tmp_path):
    """Locust's own CLI with mock-okta's locustfile and two worker processes, as `mock-okta load --workers 2` runs
    it: the table holds every call the hook answered (bar the 2 users' calls in flight at the end), not only what the
    workers reported every 3 s (a 2 s run: nothing) before the master quit."""
    from mock_okta.cli.load import locust_command

    (tmp_path / "late_worker.py").write_text(LATE_WORKER)
    command = locust_command(
        shape="hook", url=f"{scripted[1]}/slow/100", users=2, spawn_rate=2, run_time="2s", workers=2,
        json_prefix=str(tmp_path / "run"), csv_prefix=None, html=None, okta_options=[],
    )  # fmt: skip
    command[command.index("-f") + 1] += f",{tmp_path / 'late_worker.py'}"
    before = scripted[0].calls["/slow/100"]
    ran = subprocess.run(command, capture_output=True, text=True, timeout=120)
    answered = scripted[0].calls["/slow/100"] - before
    report = read_report(tmp_path / "run")
    assert answered > 4, f"the hook answered {answered} calls\n{ran.stderr[-2000:]}"
    assert answered - 2 <= report.calls <= answered, f"the hook answered {answered}: {report}\n{ran.stderr[-2000:]}"
