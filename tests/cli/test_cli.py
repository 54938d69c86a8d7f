"""`mock-okta` against real servers on loopback: argument handling and output in-process (`cli`, typer's
CliRunner: fast), and the program as a user runs it as real processes (`mock_okta`, marked `subprocess`). Both
answer a CompletedProcess, so an assertion reads the same whichever way the command ran."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .helpers import BIN, cli, fire_at, mock_okta


@pytest.mark.subprocess
def test_fire_json_allowed(sample_hook):
    result = fire_at(
        sample_hook,
        "--domain",
        "example.com",
        "--json",
        "--expect",
        "allow",
        run=mock_okta,
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["registration"] == "ALLOW"
    assert doc["messages"] == [] and doc["violations"] == []
    assert doc["attempts"][0]["status"] == 200 and doc["attempts"][0]["error"] is None
    assert doc["profile"]["email"].endswith("@example.com")
    assert doc["request"]["body"]["eventType"] == "com.okta.user.pre-registration"
    assert doc["request"]["headers"]["Authorization"] == "<redacted>"
    assert "YWRtaW46c3VwZXJzZWNyZXQ" not in result.stdout, "the secret is never echoed"


def test_fire_json_denied_with_set_override(sample_hook):
    result = fire_at(
        sample_hook,
        "--json",
        "--set",
        "data.userProfile.email=x@evil.test",
    )
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert doc["registration"] == "DENY"
    assert doc["messages"] == [{"field": "email", "text": "Only example.com emails can register."}]
    assert doc["response"]["body"]["error"]["errorCauses"][0]["location"] == "data.userProfile.email"


def test_fire_expect_mismatch_exits_1(sample_hook):
    result = fire_at(
        sample_hook,
        "--domain",
        "gmail.com",
        "--expect",
        "allow",
    )
    assert result.returncode == 1
    assert "expected ALLOW, but Okta's outcome is DENY" in result.stderr
    assert "DENY" in result.stdout and "Only example.com emails can register." in result.stdout


def test_fire_readable_output_shows_request_response_and_outcome(sample_hook):
    result = fire_at(sample_hook, "--email", "a@example.com")
    assert result.returncode == 0
    for text in ("Request", "Response", "What Okta does", "ALLOW", "a@example.com"):
        assert text in result.stdout


def test_fire_progressive_profile(sample_hook):
    result = fire_at(
        sample_hook,
        "--request-type",
        "profile-update",
        "--set",
        'data.userProfileUpdate.employeeNumber="12"',
        "--json",
    )
    doc = json.loads(result.stdout)
    assert doc["registration"] == "DENY"
    assert doc["messages"] == [{"field": "employeeNumber", "text": "Employee numbers must have 4 digits."}]


def test_fire_classic_sends_the_classic_request_and_shows_the_banner_text(sample_hook):
    """A Classic Engine org's request has no requestType and a null action; its widget shows one banner text."""
    result = fire_at(sample_hook, "--engine", "classic", "--domain", "gmail.com", "--json", "--expect", "deny")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    body = doc["request"]["body"]
    assert "requestType" not in body and body["data"]["action"] is None
    assert body["data"]["context"]["request"]["url"]["value"] == f"/api/v1/registration/{body['source']}/register"
    assert doc["messages"] == [{"field": None, "text": "Only example.com emails can register."}]


def test_fire_without_auth_is_a_401_failure(sample_hook):
    result = fire_at(sample_hook, "--json", auth=False)
    doc = json.loads(result.stdout)
    assert result.returncode == 0
    assert doc["failure"] == "http_status" and doc["attempts"][0]["status"] == 401 and len(doc["attempts"]) == 1


def test_fire_many_prints_a_summary(sample_hook):
    result = fire_at(
        sample_hook,
        "--count",
        "200",
        "--concurrency",
        "8",
        "--json",
        "--seed",
        "1",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["count"] == 200
    assert summary["outcomes"] == {"ALLOW": 200}
    assert 0 < summary["latencyMs"]["p50"] <= summary["latencyMs"]["p95"] <= summary["latencyMs"]["p99"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hook-url", "not a url"], "whitespace"),
        (["--hook-url", "http://hooks.example.com/h"], "https"),
        (["--hook-url", "http://127.0.0.1:9/h", "--strict-https"], "strict HTTPS"),
        (["--hook-url", "http://127.0.0.1:9/h", "--set", "oops"], "path=value"),
        (["--hook-url", "http://127.0.0.1:9/h", "--auth-header", "nocolon"], "Name: value"),
        (["--hook-url", "http://127.0.0.1:9/h", "--expect", "maybe"], "--expect"),
        (["--hook-url", "http://127.0.0.1:9/h", "--request-type", "login"], "--request-type"),
        (["--hook-url", "http://127.0.0.1:9/h", "--engine", "v1"], "--engine must be ie or classic"),
        (["--hook-url", "http://127.0.0.1:9/h", "--engine", "classic", "--request-type", "profile-update"], "Classic"),
        (["--hook-url", "http://127.0.0.1:9/h", "--timeout", "0"], "timeout"),
        # Issue 9 #10: these printed a traceback and exited 1.
        (["--hook-url", "http://127.0.0.1:abc/x"], "not a valid URL"),
        (["--hook-url", "http://[::1/x"], "not a valid URL"),
        (["--hook-url", "http://127.0.0.1:99999/x"], "not a valid URL"),
        (["--hook-url", "http://127.0.0.1:9/h", "--header", "X-A:café"], "printable ASCII"),
        (["--hook-url", "http://127.0.0.1:9/h", "--auth-header", "Authorization:café"], "printable ASCII"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args, message):
    result = cli("fire", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["fire", "--hook-url", "http://127.0.0.1:9/h", "--auth-header", "Authorization Basic s3cr3tV4lue"],
        ["fire", "--hook-url", "http://127.0.0.1:9/h", "--auth-header", "Authorization: Basic s3cr3tV4lue\u0007"],
        [
            "serve",
            "--port",
            "0",
            "--hook-url",
            "http://127.0.0.1:9/h",
            "--hook-auth-header",
            "Authorization s3cr3tV4lue",
        ],
        ["verify", "--hook-url", "http://127.0.0.1:9/h", "--auth-header", "Authorization s3cr3tV4lue"],
    ],
)
def test_a_malformed_secret_is_never_printed_back(command):
    """Issue 9 #3: a header argument without its colon used to be echoed, secret and all."""
    result = cli(*command)
    assert result.returncode == 2 and "s3cr3tV4lue" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_hook_url_is_a_usage_error():
    result = cli("fire")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_schema_command():
    result = cli("schema", "response")
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == "RegistrationHookResponse"
    bad = cli("schema", "other")
    assert bad.returncode == 2 and "unknown schema" in bad.stderr


def demo(folder: Path, *args: str) -> subprocess.Popen[str]:
    """`mock-okta demo` started as a user runs it, its screenshots and its output (a file: a full pipe would stall
    it) in `folder`."""
    folder.mkdir()
    command = [str(BIN / "mock-okta"), "demo", "--screenshots", str(folder), *args]
    environment = {**os.environ, "COLUMNS": "120"}
    with (folder / "output").open("w") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, text=True, env=environment)


@pytest.mark.subprocess
def test_demo_runs_the_guides_two_cases_on_either_engine(tmp_path):
    """The two demos start side by side: most of each is Chromium's start and the widget's pages."""
    identity_engine = demo(tmp_path / "ie")
    classic_engine = demo(tmp_path / "classic", "--engine", "classic")
    identity_engine.wait(timeout=120)
    classic_engine.wait(timeout=120)
    said, said_classic = ((tmp_path / name / "output").read_text() for name in ("ie", "classic"))

    assert identity_engine.returncode == 0, f"demo: {said}"
    assert "ALLOW (expected ALLOW)" in said, f"demo: {said}"
    assert "DENY (expected DENY)" in said, f"demo: {said}"
    assert "Only example.com emails can register." in said, f"demo: {said}"
    assert "Employee numbers must have 4 digits." in said, f"demo: the guide's progressive profile case\n{said}"
    assert "mock-okta demo --engine classic" in said, f"demo: {said}"

    assert classic_engine.returncode == 0, f"demo --engine classic: {said_classic}"
    assert "on a Classic Engine org" in said_classic, f"demo --engine classic: {said_classic}"
    assert "DENY (expected DENY)" in said_classic, f"demo --engine classic: {said_classic}"


def test_demo_usage_error():
    bad = cli("demo", "--engine", "v1")
    assert bad.returncode == 2 and "--engine must be ie or classic" in bad.stderr


def test_fire_and_verify_with_an_oauth_client(tmp_path):
    """`--oauth-*`: the token comes from the token endpoint and goes to the hook as a Bearer token; the secret is
    never printed; `verify` checks that the hook refuses a missing and a forged token."""
    from hook_under_test import HookSettings
    from hook_under_test.running import serve_sample_hook
    from mock_okta.org import Org, OrgSettings
    from mock_okta.org.web import create_app
    from mock_okta.serving.thread import ServerThread

    org = Org(settings=OrgSettings(api_token="t"))
    with ServerThread(create_app(org)) as server:
        issuer = server.url + "/oauth2/default"
        client, secret = org.custom_authorization_server.register(
            {"name": "cli", "tokenEndpointAuthMethod": "client_secret_post", "scopes": ["okta.hooks"]}
        )
        oauth = ("--oauth-token-url", issuer + "/v1/token", "--oauth-client-id", client.client_id)
        oauth += ("--oauth-client-secret", secret, "--oauth-scope", "okta.hooks")
        with serve_sample_hook(HookSettings.build(oauth_issuer=issuer, oauth_scope="okta.hooks")) as hook:
            fired = cli("fire", "--hook-url", hook.hook_url, *oauth, "--domain", "example.com", "--json")
            assert fired.returncode == 0, fired.stderr
            doc = json.loads(fired.stdout)
            assert doc["registration"] == "ALLOW" and doc["request"]["headers"]["Authorization"] == "Bearer <redacted>"
            assert secret not in fired.stdout + fired.stderr
            verified = cli("verify", "--hook-url", hook.hook_url, *oauth, "--json")
            assert verified.returncode == 0, verified.stdout
            results = {r["name"]: r for r in json.loads(verified.stdout)["results"]}
            assert results["a missing auth header is refused"]["passed"]
            assert results["a wrong auth header is refused"]["passed"]
            refused = cli("fire", "--hook-url", hook.hook_url, *oauth[:4], "--oauth-client-secret", "nope")
            assert refused.returncode == 0 and "token" in refused.stdout
    bad = cli("fire", "--hook-url", "http://127.0.0.1:9/h", "--oauth-client-id", "x")
    assert bad.returncode == 2 and "--oauth-token-url" in bad.stderr
