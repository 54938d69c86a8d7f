"""Helpers for the tests that run pytest as another project does (tests/testing/test_plugin.py,
tests/testing/test_signup_page_rules.py, test_signup_page_profile_update.py, tests/hooktypes/token/test_plugin.py).

A child pytest process spends most of its start importing the entry-point plugins this repository's venv installs
for its own tests (load tests, API fuzzing, fake data, property tests, async tests, parallel runs): 3 to 4 s of each
run on 2 cores, against about 1 s without them. mock-okta's plugin uses none of them (it imports the Faker and
Hypothesis libraries itself where it needs them, not their pytest plugins), so most child runs turn them off, and the
plugin under test still arrives through its pytest11 entry point. One run keeps every installed plugin, as a user's
venv would have it: the fresh project's run in `test_real_runs_of_a_users_project` (tests/testing/test_plugin.py).
"""

from __future__ import annotations

import re

import pytest

UNRELATED_PLUGINS = (
    "-p", "no:locust", "-p", "no:schemathesis", "-p", "no:faker", "-p", "no:hypothesispytest", "-p", "no:anyio",
    "-p", "no:xdist", "-p", "no:xdist.looponfail",
)  # fmt: skip

# For a run in this process (`runpytest_inprocess`) whose tests run: pytest-playwright opens a soft-assertion scope
# around every test, and the one of this process's own test is open already (its scopes do not nest).
NO_BROWSER_PLUGIN = ("-p", "no:playwright")

# A `-rA` run's short test summary: "PASSED test_x.py::test_y", "ERROR test_x.py::test_y - Failed: ...".
_SUMMARY_LINE = re.compile(r"^(PASSED|FAILED|ERROR|XPASS|XFAIL) (\S+)")


def outcomes(result: pytest.RunResult) -> dict[str, str]:
    """Each test's outcome in a `-rA` run, by node id: a run that proves several rules reports each one's test."""
    found: dict[str, str] = {}
    for line in result.stdout.lines:
        match = _SUMMARY_LINE.match(line)
        if match:
            found[match.group(2)] = match.group(1)
    return found


def expect_outcome(result: pytest.RunResult, nodeid: str, outcome: str, rule: str) -> None:
    """Fail naming the rule, with the end of the run's output, when `nodeid` did not end as `outcome`."""
    got = outcomes(result).get(nodeid, "not run")
    assert got == outcome, f"{rule}: {nodeid} is {got}, not {outcome}\n{result.stdout.str()[-3000:]}"
