"""The example CI workflows (examples/ci: a Python hook and a Node hook) exercised step by step, as GitHub would run
them, on loopback: every `run:` step of both jobs in order, in a copy of the hook's repository, with the workflow's
`env:` and the secrets given test values. The org job's steps talk to `mock-okta serve` standing in for the
developer org, and its "staging" hook is the one the contract job started. Skipped: steps that need GitHub (the
`uses:` actions: checkout, setup, upload; installing mock-okta from its git URL: the one under test is installed).

Once the hook answers, the steps that only call it run side by side (GitHub runs them one after another; none reads
what another wrote): the contract job's verify, pytest items and browser steps, and the org job, whose own steps
keep their order (it attaches, checks, signs up, cleans up and restores one org). Most of each step is waiting for a
Python, a Chromium or a page; run one after another they took 45 to 75 s a workflow.

Issue 19 item 13: the health check must fail the job when the hook never answers; cleanup and restore are separate
steps, each `if: always()`; failure screenshots are uploaded; the browser step adds no `verify` check items."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from mock_okta.org.web.hosted_page import widget_installed

from .test_rehearsal import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / "examples" / "ci"
BIN = Path(sys.executable).parent
TOKEN = "workflow-token"
SECRETS = {
    "HOOK_AUTH_HEADER": "Authorization: Basic b2t0YTpmbGFzay1ob29rLXNlY3JldA==",  # examples/flask_hook's default
    "HOOK_API_KEY": "acme-node-hook-key-for-ci",
    "OKTA_API_TOKEN": TOKEN,
}
# The hook's repository: what each example's own repository would hold (not this project's tests of it).
REPOSITORY = {
    "python-hook.yml": ["flask_hook/__init__.py", "flask_hook/app.py", "flask_hook/hook-cases.yaml"],
    "node-hook.yml": ["node_hook/server.js", "node_hook/package.json", "node_hook/hook-cases.yaml"],
}

# The pytest plugins a runner has: the workflow installs mock-okta[browser] and the hook's own dependencies, so its
# pytest loads mock-okta's, pytest-playwright's and their dependencies' (Faker, anyio), not those of this project's
# development tools in this venv (load tests, API fuzzing, property tests, parallel runs: 1.6 s of every pytest start
# on 2 cores). No cache: steps running side by side in one folder would write one .pytest_cache at once.
RUNNER_PYTEST = "-p no:locust -p no:schemathesis -p no:hypothesispytest -p no:xdist -p no:xdist.looponfail"
# Nor this source tree's conftest.py (its test tiers, Hypothesis' settings: 1 s of a start): an installed mock-okta
# has none, but pytest loads the conftest.py files above a collected module in another tree, here the browser
# steps' `mock_okta.testing.signup_cases`. Cut at mock_okta/, whose parents hold it; the repository's own are kept.
SOURCE_CONFTEST = f"--confcutdir={ROOT / 'mock_okta'}"
NO_CACHE = "-p no:cacheprovider"
# The contract job's step after which the rest of the run only calls the hook (and the org job's own org).
START_HOOK = "Start the hook"
# The steps whose output the test reads, by the names both workflows give them.
VERIFY = "Conformance checks and cases (mock-okta verify)"
PYTEST_ITEMS = "The same as pytest items, and your own tests"
MOCK_BROWSER = "The cases through the Sign Up page of a mock org (Gen2 and Gen3; the checks above are not run again)"
ORG_BROWSER = "The cases through the org's Sign Up page"

pytestmark = [
    pytest.mark.skipif(not widget_installed(), reason="the Sign-In Widget is not installed: run 'make widget'"),
    pytest.mark.subprocess,
]


def load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    return document


def expand(value: str, secrets: dict[str, str]) -> str:
    """`${{ secrets.NAME }}` as GitHub fills it in."""
    return re.sub(r"\$\{\{\s*secrets\.(\w+)\s*\}\}", lambda m: secrets[m.group(1)], str(value))


def needs_github(step: dict[str, Any]) -> bool:
    return "uses" in step or "git+https://github.com" in step.get("run", "")


class Runner:
    """Runs `run:` steps with bash -e, each in its own session so what a step leaves running (the hook) is stopped
    at the end, by its process group."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir, self.env, self.groups = workdir, env, []

    def step(self, step: dict[str, Any], extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        process = subprocess.Popen(
            ["bash", "-e", "-c", step["run"]],
            cwd=self.workdir,
            env={**self.env, **extra_env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.groups.append(process.pid)
        output, _ = process.communicate(timeout=300)
        return subprocess.CompletedProcess(step["run"], process.returncode, output, "")

    def stop(self) -> None:
        for group in self.groups:
            with contextlib.suppress(ProcessLookupError):  # the step's processes have all exited
                os.killpg(group, signal.SIGTERM)


@pytest.fixture(scope="module")
def serve() -> Iterator[str]:
    """One `mock-okta serve` for the module: both workflows' org jobs talk to it, each from a reset org."""
    port = free_port()
    org = subprocess.Popen(
        [str(BIN / "mock-okta"), "serve", "--port", str(port), "--api-token", TOKEN, "--no-sample-hook"],
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url + "/healthz", org)
        yield url
    finally:
        org.terminate()
        org.wait(timeout=10)


@pytest.fixture
def stand_in_org(serve: str) -> str:
    """The stand-in org as `serve` started it (no hooks, users or log; the API token kept): the control API's reset."""
    httpx.post(serve + "/_mock/reset").raise_for_status()
    return serve


def repository(tmp_path: Path, name: str) -> Path:
    work = tmp_path / "repo"
    for file in REPOSITORY[name]:
        (work / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "examples" / file, work / file)
    return work


def workflow_env(workflow: dict[str, Any], org_url: str) -> tuple[dict[str, str], dict[str, str]]:
    """The workflow's env, secrets filled in and its hook on a free loopback port instead of the fixed one."""
    secrets = {**SECRETS, "OKTA_ORG_URL": org_url}
    env = {key: expand(value, secrets) for key, value in workflow["env"].items()}
    port = str(free_port())
    fixed = re.search(r"--port (\d+)", env["HOOK_START"]).group(1)  # type: ignore[union-attr]
    env["HOOK_START"], env["HOOK_URL"] = env["HOOK_START"].replace(fixed, port), env["HOOK_URL"].replace(fixed, port)
    secrets["STAGING_HOOK_URL"] = env["HOOK_URL"]  # the org job's hook: the one the contract job started
    return env, secrets


def run_steps(runner: Runner, job_name: str, steps: list[dict[str, Any]], env: dict[str, str]) -> dict[str, str]:
    """Steps of one job in their order, each to succeed; what each printed, by step name."""
    said: dict[str, str] = {}
    for step in steps:
        result = runner.step(step, env)
        assert result.returncode == 0, f"{job_name}: {step.get('name')}:\n{result.stdout[-4000:]}"
        said[str(step.get("name"))] = result.stdout
        if "--pyargs mock_okta.testing.signup_cases" in step["run"]:
            # The browser step runs the cases through the page only: verify's checks ran in their own step.
            assert "okta-hook check" not in result.stdout and " passed" in result.stdout, result.stdout[-4000:]
    return said


@pytest.mark.parametrize("name", sorted(REPOSITORY))
def test_the_example_workflow_runs_step_by_step(name, stand_in_org, tmp_path):
    workflow = load(name)
    env, secrets = workflow_env(workflow, stand_in_org)
    base = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTEST_ADDOPTS": f"{RUNNER_PYTEST} {NO_CACHE} {SOURCE_CONFTEST}",
        **env,
    }
    runner = Runner(repository(tmp_path, name), base)
    jobs = {
        job_name: (
            [step for step in workflow["jobs"][job_name]["steps"] if not needs_github(step)],
            {key: expand(value, secrets) for key, value in (workflow["jobs"][job_name].get("env") or {}).items()},
        )
        for job_name in ("contract", "real-org")
    }
    contract, contract_env = jobs["contract"]
    org_steps, org_job_env = jobs["real-org"]
    started = next(i for i, step in enumerate(contract) if str(step.get("name")).startswith(START_HOOK)) + 1
    org_env = {**base, "OKTA_ORG_URL": stand_in_org, "OKTA_API_TOKEN": TOKEN}

    def org_check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["mock-okta", "org", "check"], env=org_env, capture_output=True, text=True)

    def org_job() -> dict[str, str]:
        not_ready = before_attach.result()
        assert not_ready.returncode == 1 and "FAIL no registration inline hook is attached" in not_ready.stdout
        return run_steps(runner, "real-org", org_steps, org_job_env)

    said: dict[str, str] = {}
    pool = ThreadPoolExecutor(max_workers=len(contract) + 1)
    try:
        # The org is not ready before the org job attaches the hook (checked while the contract job starts its hook).
        before_attach = pool.submit(org_check)
        said |= run_steps(runner, "contract", contract[:started], contract_env)
        # The hook answers: verify, the pytest items, the browser steps and the org job only call it from here on.
        side_by_side: list[Future[dict[str, str]]] = [
            pool.submit(run_steps, runner, "contract", [step], contract_env) for step in contract[started:]
        ]
        org = pool.submit(org_job)
        done, _ = wait([*side_by_side, org], return_when=FIRST_EXCEPTION)
        for future in done:
            said |= future.result()  # the first failed step's assertion, naming its job and step
        org_said = org.result()
    finally:
        runner.stop()
        pool.shutdown(wait=True)
    ran = list(org_said)
    # Every step of both jobs ran (and passed), none twice.
    assert set(said) == {str(step.get("name")) for step in contract + org_steps}, sorted(said)
    assert ran[-2:] == ["Delete the users the run signed up", "Put back the org's hook"]
    # The team's hook, not the sample, answered the pytest items; every browser run proved something (a run whose
    # cases were all skipped would pass too); the org run deleted its own users, so cleanup found none left.
    assert f"mock-okta: hook under test {env['HOOK_URL']} (--okta-hook-url)" in said[PYTEST_ITEMS]
    for step_name in (MOCK_BROWSER, ORG_BROWSER):
        assert int(re.search(r"(\d+) passed", said[step_name]).group(1)) >= 1, said[step_name]  # type: ignore[union-attr]
    # Every case ran: verify's and the pytest items' checks all passed, and on the mock every case (progressive
    # profile too) went through a page; only the org skips (one widget generation; the admin's policy).
    assert re.search(r"\d+ passed, 0 failed", said[VERIFY]), said[VERIFY]
    assert "skipped" not in said[MOCK_BROWSER] and "failed" not in said[PYTEST_ITEMS], said[MOCK_BROWSER]
    assert "deleted 0 user(s)" in said["Delete the users the run signed up"]
    hooks = httpx.get(stand_in_org + "/api/v1/inlineHooks", headers={"Authorization": f"SSWS {TOKEN}"}).json()
    users = httpx.get(stand_in_org + "/api/v1/users", headers={"Authorization": f"SSWS {TOKEN}"}).json()
    assert hooks == [] and users == [], "the org job leaves the org as it found it"


@pytest.mark.parametrize("name", sorted(REPOSITORY))
def test_the_workflows_keep_what_issue_19_asked_of_them(name):
    """Cleanup and restore are separate steps that run whatever happened; failure screenshots are uploaded."""
    jobs = load(name)["jobs"]
    steps = {step.get("name"): step for step in jobs["real-org"]["steps"]}
    cleanup, restore = steps["Delete the users the run signed up"], steps["Put back the org's hook"]
    assert cleanup["if"] == "always()" and restore["if"] == "always()" and cleanup is not restore
    uploads = [s for job in jobs.values() for s in job["steps"] if "upload-artifact" in s.get("uses", "")]
    assert {"test-results/"} <= {s["with"]["path"] for s in uploads if s.get("if") == "failure()"}


@pytest.mark.parametrize("start", ["false"])
def test_the_health_check_fails_the_job_when_the_hook_never_answers(start, tmp_path):
    """A hook that exits at once fails the step at once (the old loop ended its 50 tries and passed); one that
    never listens fails it after its 10 s."""
    [step] = [s for s in load("node-hook.yml")["jobs"]["contract"]["steps"] if s.get("name", "").startswith("Start")]
    env = {**os.environ, "HOOK_START": start, "HOOK_URL": f"http://127.0.0.1:{free_port()}/okta/registration"}
    runner = Runner(tmp_path, env)
    try:
        result = runner.step(step, {})
    finally:
        runner.stop()
    assert result.returncode == 1
    assert ("exited before answering" if start == "false" else "did not answer") in result.stdout
