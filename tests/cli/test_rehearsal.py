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
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mock_okta.org.web.hosted_page import widget_installed

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "examples" / "flask_hook"
TOKEN = "rehearsal-token"
HOOK_AUTH = "Authorization: Basic b2t0YTpmbGFzay1ob29rLXNlY3JldA=="  # okta:flask-hook-secret, the example's default

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
