"""Two rules of the Sign Up page cases, each proved by whole pytest runs through the genuine widget (runs are
folded so each one proves several things: a run costs a browser's start).

- A failed hook never passes as a deny (issue: a message-less `expect: deny` case passed with the hook down, on
  Gen2, on the mock and on an org target, though `verify` failed it), and a failure case needs a failed call. On
  screen a deny and a failure can look alike; what Okta recorded (the journal on the mock, the System Log's
  `inline_hook.*` outcome on an org) tells them apart.
- The hook under test gets Okta's deadline (issue: an undocumented 1 s made a legal 1.5 s hook fail every browser
  case); a shorter test deadline is an explicit option, `--okta-hook-timeout`, and a failure under it says so.

The four runs differ in what a run takes once (the hook's URL, the engine, the deadline), so they stay four, and
start side by side: most of a run is waiting (Chromium's start, a 1.5 s hook, a case that fails only when the
page's 10 s wait for a view runs out), so the four take little longer than the slowest. One test holds them (one
per rule would start its runs on whichever xdist worker it lands on, one after the other); each rule's assertions
say which rule failed.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.testing.child_runs import UNRELATED_PLUGINS

# Nor this source tree's conftest.py (its test tiers, Hypothesis' settings: 1 s of each run's start), which a user's
# installed mock-okta does not have: pytest loads the conftest.py files above a collected module that lies in another
# tree (here `mock_okta.testing.signup_cases`). Cut at mock_okta/, whose parents hold it.
NO_SOURCE_CONFTEST = ("--confcutdir", str(Path(__file__).resolve().parents[2] / "mock_okta"))

DOWN = "http://127.0.0.1:9/registrationHook"
DENY = "  - {name: gmail is turned away, profile: {email: '{uid}@gmail.com'}, expect: deny}\n"
FAILURE = "  - {name: the hook call fails, profile: {email: '{uid}@example.com'}, expect: failure}\n"
ALLOW = "  - {name: a slow but legal hook lets example.com in, profile: {email: '{uid}@example.com'}, expect: allow}\n"
CONNECTION_FAILURE = "the hook call failed (connection): Okta shows its generic error, not a deny"


@dataclass
class Run:
    """`pytest --pyargs mock_okta.testing.signup_cases` under way in a folder of its own, its output in files there (a
    pipe nobody reads while the other run is awaited could fill up and stall it)."""

    folder: Path
    process: subprocess.Popen[str]

    def finish(self) -> subprocess.CompletedProcess[str]:
        try:
            returncode = self.process.wait(timeout=300)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        stdout, stderr = (self.folder / "stdout").read_text(), (self.folder / "stderr").read_text()
        return subprocess.CompletedProcess(self.process.args, returncode, stdout, stderr)


def start(folder: Path, cases: str, hook_url: str, *options: str) -> Run:
    folder.mkdir()
    (folder / "cases.yaml").write_text("cases:\n" + cases)
    command = [
        str(Path(sys.executable).parent / "pytest"), "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
        *UNRELATED_PLUGINS, *NO_SOURCE_CONFTEST, "--pyargs", "mock_okta.testing.signup_cases",
        "--okta-hook-url", hook_url, "--okta-cases", "cases.yaml", "--okta-hook-auth-header", "Authorization: x",
        "-k", "gen2", *options,
    ]  # fmt: skip
    with (folder / "stdout").open("w") as stdout, (folder / "stderr").open("w") as stderr:
        return Run(folder, subprocess.Popen(command, cwd=folder, stdout=stdout, stderr=stderr, text=True))


def test_a_failed_hook_never_passes_as_a_deny_and_the_hook_gets_oktas_deadline(scripted, tmp_path):
    slow = f"{scripted[1]}/slow/1500"
    runs = (
        # Rule 1: a hook that is down fails a deny case on either engine and passes a failure case.
        start(tmp_path / "ie", DENY + FAILURE, DOWN),
        # The v1 widget's banner for a failed call is the same text as for a deny without causes.
        start(tmp_path / "classic", DENY, DOWN, "--okta-engine", "classic"),
        # Rule 2: the hook gets Okta's deadline, and a shorter one is asked for and says why.
        start(tmp_path / "okta-deadline", ALLOW + FAILURE, slow),
        start(tmp_path / "shorter", ALLOW, slow, "--okta-hook-timeout", "1"),
    )
    ie, classic, okta_deadline, shorter = (run.finish() for run in runs)

    assert "1 failed, 1 passed" in ie.stdout, f"Identity Engine, hook down: {ie.stdout[-3000:]}"
    assert CONNECTION_FAILURE in ie.stdout, (
        f"Identity Engine: the deny case fails on the failed call\n{ie.stdout[-3000:]}"
    )
    # Issue 19 item 14: every browser run in a user's project printed pytest-playwright deprecation warnings (this
    # plugin's own session fixtures were methods; pytest-base-url's `base_url` is one upstream, filtered by name).
    assert "PytestRemovedIn10Warning" not in ie.stdout and "deprecated" not in ie.stdout, ie.stdout[-3000:]

    assert classic.returncode == 1, f"Classic Engine, hook down: the deny case fails\n{classic.stdout[-3000:]}"
    assert CONNECTION_FAILURE in classic.stdout, f"Classic Engine: why the deny case failed\n{classic.stdout[-3000:]}"

    # Okta's 3 s: a hook answering in 1.5 s lets the user in, and a failure case fails when the call did not fail.
    assert "1 failed, 1 passed" in okta_deadline.stdout, f"Okta's deadline: {okta_deadline.stdout[-3000:]}"
    failed = okta_deadline.stdout.split("short test summary")[-1]
    assert "a slow but legal hook lets example.com in" not in failed, f"a 1.5 s hook failed under Okta's 3 s: {failed}"

    # `--okta-hook-timeout 1`: the same hook fails, and the failure says the deadline was the test's, not Okta's.
    assert shorter.returncode == 1, f"--okta-hook-timeout 1: a 1.5 s hook fails\n{shorter.stdout[-3000:]}"
    assert "no complete response within 1 s" in shorter.stdout, shorter.stdout[-3000:]
    expected = "the mock org's deadline is 1 s per attempt (--okta-hook-timeout); Okta's is 3 s"
    assert expected in shorter.stdout, shorter.stdout[-3000:]
