"""The pre-release path against a real org, rehearsed: `mock-okta serve` stands in for the org in a separate process,
and a hook that is not the sample (examples/flask_hook: its own message, field and profile update) is run through
the public commands as a team runs them against a real developer org.

The whole path (org check → org attach → org check → verify → the pytest doors → the browser cases on the mock and
on the org → org cleanup → org restore) is walked by tests/cli/test_ci_workflows.py, step by step from the example
CI workflows; here are the ways it stops (a browser case the hook breaks, a wrong org URL or token), and the token
hook's path (`--type token`: attach to a rule of the `default` authorization server → check → check another hook →
restore → check) with the sample hook's token route."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from mock_okta.org.web.hosted_page import widget_installed
from tests.testing.child_runs import UNRELATED_PLUGINS

from .helpers import cli

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "examples" / "flask_hook"
TOKEN = "rehearsal-token"
HOOK_AUTH = "Authorization: Basic b2t0YTpmbGFzay1ob29rLXNlY3JldA=="  # okta:flask-hook-secret, the example's default

pytest_plugins = ["pytester"]

pytestmark = [
    pytest.mark.skipif(not widget_installed(), reason="the Sign-In Widget is not installed: run 'make widget'"),
    pytest.mark.subprocess,
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{process.args} exited with {process.returncode}"
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture(scope="module")
def processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One stand-in org (`mock-okta serve`, no hook) for the module, the team's Flask hook recording what it
    receives, and the sample hook (`hook-under-test`: the token hook guide's `/tokenHook`), each its own process;
    every test starts from a reset org (`stand_in`, `token_stand_in`)."""
    org_port, hook_port, sample_port = free_port(), free_port(), free_port()
    records = tmp_path_factory.mktemp("records")
    started = [
        subprocess.Popen(
            [str(BIN / "mock-okta"), "serve", "--port", str(org_port), "--api-token", TOKEN, "--no-sample-hook"],
            stdout=subprocess.DEVNULL,
            text=True,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "flask_hook.app", "--port", str(hook_port), "--record", str(records)],
            cwd=ROOT / "examples",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        ),
        subprocess.Popen(
            [str(BIN / "hook-under-test"), "--port", str(sample_port)], stderr=subprocess.DEVNULL, text=True
        ),
    ]
    try:
        org_url = f"http://127.0.0.1:{org_port}"
        urls = (org_url + "/healthz", f"http://127.0.0.1:{hook_port}/okta/registration")
        for url, process in zip((*urls, f"http://127.0.0.1:{sample_port}/healthz"), started, strict=True):
            wait_until_up(url, process)
        yield {
            "org_url": org_url,
            "hook_url": urls[1],
            "token_hook_url": f"http://127.0.0.1:{sample_port}/tokenHook",
            "records": str(records),
        }
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=10)


def reset(processes: dict[str, str]) -> None:
    """The org as `serve` started it (no hooks, users or log; the API token kept): the control API's reset."""
    httpx.post(processes["org_url"] + "/_mock/reset").raise_for_status()
    assert users({"org_url": processes["org_url"]}) == []


@pytest.fixture
def stand_in(processes: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The stand-in org, reset, and the team's Flask hook; commands run in this test's own folder."""
    reset(processes)
    return {"org_url": processes["org_url"], "hook_url": processes["hook_url"], "records": processes["records"],
            "dir": str(tmp_path)}  # fmt: skip


def run(
    stand_in: dict[str, str], *command: str, token: str = TOKEN, url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "OKTA_ORG_URL": url or stand_in["org_url"],
        "OKTA_API_TOKEN": token,
        "COLUMNS": "200",
        "CHROMIUM_PATH": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        # A team's venv has mock-okta, not this repository's own test tools (tests/testing/child_runs.py).
        "PYTEST_ADDOPTS": " ".join(UNRELATED_PLUGINS),
    }
    return subprocess.run(list(command), capture_output=True, text=True, timeout=300, env=env, cwd=stand_in["dir"])


def mock_okta(stand_in: dict[str, str], *args: str, **kwargs: str) -> subprocess.CompletedProcess[str]:
    return run(stand_in, str(BIN / "mock-okta"), *args, **kwargs)


def browser_cases(
    stand_in: dict[str, str], cases: Path = EXAMPLE / "hook-cases.yaml", **kwargs: str
) -> subprocess.CompletedProcess[str]:
    """`pytest --pyargs mock_okta.testing.signup_cases` against the stand-in org, as a team runs it."""
    return run(
        stand_in,
        sys.executable,
        "-m",
        "pytest",
        "--pyargs",
        "mock_okta.testing.signup_cases",
        "--okta-target",
        "org",
        "--okta-cases",
        str(cases),
        "--output",
        str(Path(stand_in["dir"]) / "test-results"),
        "-q",
        **kwargs,
    )


def users(stand_in: dict[str, str]) -> list[dict]:
    headers = {"Authorization": f"SSWS {TOKEN}"}
    return httpx.get(stand_in["org_url"] + "/api/v1/users", params={"q": "mokta"}, headers=headers).json()


def test_a_browser_case_the_hook_breaks_fails_and_leaves_no_user(stand_in, tmp_path):
    """The hook lets example.com in but files the user under Eng, not the Sales the case expects: the case fails on
    the user the sign-up created (Users API), so cleanup has a user to delete, and deletes it. (A case whose outcome
    on screen is wrong waits out the page's 10 s instead; tests/testing/test_signup_page_rules.py proves those.)"""
    mock_okta(stand_in, "org", "attach", "--hook-url", stand_in["hook_url"], "--auth-header", HOOK_AUTH)
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        "cases:\n  - name: example.com staff join Sales\n    profile: {email: '{uid}@example.com'}\n"
        "    expect: allow\n    profile_updates: {department: Sales}\n"
    )
    browser = browser_cases(stand_in, wrong)
    assert browser.returncode == 1
    assert "1 failed, 1 skipped" in browser.stdout
    assert "the user's department is not 'Sales'" in browser.stdout, browser.stdout[-3000:]
    assert users(stand_in) == [], "the run deletes the user its failed case created"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"url": "http://127.0.0.1:9"}, "cannot reach http://127.0.0.1:9: connection refused"),
        ({"token": "wrong"}, "the API token was refused (E0000011): check OKTA_API_TOKEN"),
    ],
)
def test_a_wrong_org_url_or_token_stops_with_one_line_and_creates_nothing(stand_in, override, message):
    mock_okta(stand_in, "org", "attach", "--hook-url", stand_in["hook_url"], "--auth-header", HOOK_AUTH)
    check = mock_okta(stand_in, "org", "check", **override)
    assert check.returncode == 1 and check.stdout.strip() == f"FAIL {message}"
    browser = browser_cases(stand_in, **override)
    assert browser.returncode == 2
    assert f"--okta-target org: {message}" in browser.stdout + browser.stderr
    assert "Traceback" not in browser.stdout + browser.stderr
    assert users(stand_in) == []


@pytest.fixture
def token_stand_in(processes: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The stand-in org, reset, and the sample hook's token route (the guide's `/tokenHook`)."""
    reset(processes)
    return {"org_url": processes["org_url"], "hook_url": processes["token_hook_url"], "dir": str(tmp_path)}


def test_the_token_hook_s_org_path(token_stand_in):
    """The token hook on a rule of a named authorization server (spec TokenAuthorizationServerPolicyRuleAction
    `inlineHook.id`), with the sample hook's default auth header (the guide's Basic admin:supersecret)."""
    stand_in = token_stand_in
    place = "rule 'Default Policy Rule' of policy 'Default Policy' of authorization server 'default' (default)"
    auth = ("--auth-header", "Authorization: Basic YWRtaW46c3VwZXJzZWNyZXQ=")
    attached = mock_okta(stand_in, "org", "attach", "--type", "token", "--authorization-server", "default",
                         "--hook-url", stand_in["hook_url"], *auth)  # fmt: skip
    assert attached.returncode == 0, attached.stderr
    ready = mock_okta(stand_in, "org", "check", "--type", "token", "--hook-url", stand_in["hook_url"])
    assert ready.returncode == 0, ready.stdout
    assert (
        ready.stdout.splitlines()[-1]
        == "ok   Okta reaches the hook: a generated authorization_code grant gets UNCHANGED"
    )

    other = "https://hooks.acme.test/tokenHook"
    wrong = mock_okta(stand_in, "org", "check", "--type", "token", "--hook-url", other)
    assert wrong.returncode == 1
    assert wrong.stdout.splitlines()[-1] == (
        f"FAIL the org calls 'mock-okta: token hook under test' ({stand_in['hook_url']}), not the hook under test "
        f"{other}: mock-okta org attach --type token --hook-url URL"
    )

    restored = mock_okta(stand_in, "org", "restore")
    assert restored.returncode == 0, restored.stderr
    gone = mock_okta(stand_in, "org", "check", "--type", "token", "--authorization-server", "default")
    assert gone.returncode == 1
    assert gone.stdout.splitlines()[-1] == (
        f"FAIL no token inline hook is attached to {place} (mock-okta org attach --type token)"
    )
    hooks = httpx.get(stand_in["org_url"] + "/api/v1/inlineHooks", headers={"Authorization": f"SSWS {TOKEN}"}).json()
    assert hooks == []


@dataclass
class Ran:
    returncode: int
    stdout: str


def cli_here(*args: str) -> subprocess.CompletedProcess[str]:
    """`mock-okta` in this process (typer's CliRunner), with this process's environment and folder: a re-attach
    costs no program's start (a second on 2 cores); the first attach runs as the program."""
    return cli(*args)


def failure(ran: Ran, test: str) -> str:
    """The failure report of the run's test whose name contains `test` (its section under FAILURES)."""
    sections = re.split(r"^_+ (.+?) _+$", ran.stdout, flags=re.MULTILINE)
    found = [text for name, text in zip(sections[1::2], sections[2::2], strict=True) if test in name]
    assert found, f"no failure of {test} in the run\n{ran.stdout[-3000:]}"
    return found[0]


MY_TOKEN_TESTS = """
def test_a_patient_gets_the_hook_s_claim(okta_tokens):
    tokens = okta_tokens(user="jessie.smith@example.com")
    assert tokens.id_token["extPatientId"] == "1235"
    assert tokens.hook_call["source"] == "System Log" and tokens.hook_call["failure"] is None


def test_anyone_else_gets_none(okta_tokens):
    assert "extPatientId" not in okta_tokens().id_token


def test_a_service_gets_an_access_token_through_the_hook(okta_tokens):
    assert okta_tokens(grant="client_credentials").id_token is None
"""


def test_the_token_hook_s_org_run_passes_with_the_sample_and_fails_when_the_hook_fails(
    processes, pytester, monkeypatch
):
    """`okta_tokens` and the token cases module on `--okta-target org`, after `org attach --type token`: the
    sample's `/tokenHook` passes (sign-in in the browser on the org's page; the hook's calls read from the System
    Log: `inline_hook.response.processed`, `app.oauth2.as.token.grant.access_token`, event catalog
    `data/event-types.json`), and a hook whose call fails, whose patch Okta drops (token hook reference
    "Troubleshoot": the tokens are then issued as minted), that answers an error object ("the entire token inline
    hook flow fails"), that the minting rule does not name (a rule evaluated first: docs authorization-servers
    "Policy priority") or that is not the one attach created fails the run. The rule's policy names its clients
    (docs authorization-servers `conditions.clients.include`): the run adds its app for the run and takes it out
    again; no app or user with the run tag is left (docs api/apps: an app is deactivated, then deleted)."""
    from mock_okta.serving.thread import ServerThread
    from mock_okta.testing import org_tokens
    from mock_okta.testing.scripted_hook import ScriptedHook

    # The runs are in this process (pytester: a pytest process costs seconds to start); the org stays a process.
    # Its System Log is written as it mints: the hook's events are there when the grant is, and the settle wait for
    # events a real org indexes late only delays the not-called run (the rule it proves is not the wait's length).
    monkeypatch.setattr(org_tokens, "LOG_SETTLE_SECONDS", 0.5)
    reset(processes)
    stand_in = {"org_url": processes["org_url"], "hook_url": processes["token_hook_url"], "dir": str(pytester.path)}
    monkeypatch.setenv("OKTA_ORG_URL", stand_in["org_url"])
    monkeypatch.setenv("OKTA_API_TOKEN", TOKEN)
    monkeypatch.setenv("CHROMIUM_PATH", os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    headers = {"Authorization": f"SSWS {TOKEN}"}
    api = httpx.Client(base_url=stand_in["org_url"], headers=headers)
    server = "/api/v1/authorizationServers/default"
    [policy] = api.get(f"{server}/policies").json()
    admins_app = {"name": "oidc_client", "label": "Admin's portal", "signOnMode": "OPENID_CONNECT",
                  "settings": {"oauthClient": {"application_type": "service", "grant_types": ["client_credentials"]}},
                  "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_basic"}}}  # fmt: skip
    portal = api.post("/api/v1/apps", json=admins_app).json()["credentials"]["oauthClient"]["client_id"]
    policy["conditions"]["clients"]["include"] = [portal]
    assert api.put(f"{server}/policies/{policy['id']}", json=policy).status_code == 200
    assert api.post(f"{server}/scopes", json={"name": "customScope"}).status_code in (200, 201)
    auth = ("--auth-header", "Authorization: Basic YWRtaW46c3VwZXJzZWNyZXQ=")
    Path(stand_in["dir"], "test_mine.py").write_text(MY_TOKEN_TESTS)

    def attach(url: str, *extra: str, run: Callable[..., subprocess.CompletedProcess[str]] = cli_here) -> None:
        attached = run("org", "attach", "--type", "token", "--authorization-server", "default", "--hook-url", url,
                       *extra)  # fmt: skip
        assert attached.returncode == 0, attached.stderr

    def in_process(*args: str) -> Ran:
        # A service's client credentials open no browser: such runs are in this process, without pytest-playwright
        # (an inner sync Playwright cannot start beside the one an earlier browser test of this worker left running).
        found = pytester.runpytest_inprocess(
            "--okta-target", "org", "-q", "-p", "no:cacheprovider", "-p", "no:playwright", "test_mine.py", *args
        )  # fmt: skip
        return Ran(found.ret, found.stdout.str() + found.stderr.str())

    def in_a_browser(*args: str) -> Ran:
        # A user's sign-in opens Chromium: its own pytest process, as a team runs it (without the entry-point
        # plugins this repository's venv adds for its own tests: seconds of each start, tests/testing/child_runs.py).
        found = pytester.runpytest_subprocess(
            "--okta-target", "org", "-q", "-p", "no:cacheprovider", *UNRELATED_PLUGINS, *args
        )  # fmt: skip
        return Ran(found.ret, found.stdout.str() + found.stderr.str())

    both = ("-rA", "test_mine.py", "--pyargs", "mock_okta.testing.token_cases")
    attach(stand_in["hook_url"], *auth, run=lambda *args: mock_okta(stand_in, *args))  # as a team runs it
    passed = in_a_browser(*both)
    assert passed.returncode == 0, "okta_tokens and the guide's cases pass on the org\n" + passed.stdout[-3000:]
    # Gen3 skips: a real org shows its admin's widget.
    assert "5 passed, 2 skipped" in passed.stdout, passed.stdout[-1500:]
    ran = (
        passed.stdout.count("PASSED test_mine.py::"),
        passed.stdout.count("PASSED ::test_token_case_through_the_app_s_sign_in["),
    )
    assert ran == (3, 2), f"my 3 tests and the guide's 2 cases on Gen2 passed: {ran}\n{passed.stdout[-1500:]}"

    with ServerThread(ScriptedHook()) as scripted:
        attach(f"{scripted.url}/respond/token-reserved")
        dropped = in_a_browser(*both, "-k", "patient")
        assert dropped.returncode == 1 and "2 failed" in dropped.stdout, (
            "a patch Okta drops fails okta_tokens and the case\n" + dropped.stdout[-3000:]
        )
        mine_dropped = failure(dropped, "test_a_patient_gets_the_hook_s_claim")
        assert "the call failed" in mine_dropped and "inline_hook.response.processed FAILURE" in mine_dropped, (
            "okta_tokens says the call failed, with the System Log's event\n" + dropped.stdout[-3000:]
        )
        assert "the hook's call failed" in failure(dropped, "test_token_case_through_the_app_s_sign_in"), (
            "the case says why\n" + dropped.stdout[-3000:]
        )

        attach(f"{scripted.url}/respond/token-error")
        refused = in_process("-k", "service")
        assert refused.returncode == 1 and "server_error: Human-readable summary of the error" in refused.stdout, (
            "an error object fails okta_tokens with Okta's server_error\n" + refused.stdout[-3000:]
        )

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{closed.getsockname()[1]}/tokenHook"
    attach(down)
    failed = in_process("-k", "service")
    assert failed.returncode == 1 and "the call failed" in failed.stdout, (
        "a hook that is down fails okta_tokens\n" + failed.stdout[-3000:]
    )

    # A rule evaluated before the attached one mints without the hook: the preflight is satisfied, the hook is
    # never called, and only the System Log can tell.
    attach(stand_in["hook_url"], *auth)
    rule = api.get(f"{server}/policies/{policy['id']}/rules").json()[0]
    first = {k: v for k, v in rule.items() if k not in ("id", "_links", "created", "lastUpdated", "system")}
    first.update(name="Evaluated first", priority=1)
    first["actions"]["token"].pop("inlineHook", None)
    shadow = api.post(f"{server}/policies/{policy['id']}/rules", json=first)
    assert shadow.status_code in (200, 201), shadow.text
    not_called = in_process("-k", "service")
    assert not_called.returncode == 1 and "was not called" in not_called.stdout, (
        "a hook the minting rule does not name fails okta_tokens\n" + not_called.stdout[-3000:]
    )
    api.delete(f"{server}/policies/{policy['id']}/rules/{shadow.json()['id']}")

    other = api.post("/api/v1/inlineHooks", json={
        "name": "another token hook", "type": "com.okta.oauth2.tokens.transform", "version": "1.0.0",
        "channel": {"type": "HTTP", "version": "1.0.0", "config": {"uri": stand_in["hook_url"], "method": "POST"}},
    }).json()  # fmt: skip
    rule = api.get(f"{server}/policies/{policy['id']}/rules").json()[0]
    rule["actions"]["token"]["inlineHook"] = {"id": other["id"]}
    api.put(f"{server}/policies/{policy['id']}/rules/{rule['id']}", json=rule)
    # The run's preflight (what `pytest --okta-target org` runs before anything, in the folder of the state file;
    # its `pytest.exit` cannot run in this process) stops the run in one line.
    from mock_okta.testing.targets import preflight

    monkeypatch.chdir(pytester.path)
    stopped = preflight(stand_in["org_url"], TOKEN, hook_type="token").problem
    assert stopped is not None and "not the hook `mock-okta org attach` created" in stopped, (
        f"a rule naming another hook stops the run: {stopped}"
    )

    left = api.get(f"{server}/policies/{policy['id']}").json()["conditions"]["clients"]["include"]
    assert left == [portal], "the run takes its apps out of the policy's clients again"
    assert api.get("/api/v1/apps", params={"q": "mokta"}).json() == [], "no app of a run is left"
    assert users(stand_in) == [], "no user of a run is left"
    assert api.get("/api/v1/users", params={"search": 'profile.login eq "jessie.smith@example.com"'}).json() == []
