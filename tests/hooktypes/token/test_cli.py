"""`mock-okta fire|verify|schema --type token` and a cases file of `type: com.okta.oauth2.tokens.transform`, in this
process, against the sample hook's token route (the token inline hook guide's patients hook) and hooks that get
Okta's contract wrong (token hook reference: okta-developer-docs `docs/reference/token-hook/index.md` at
982a3bc1c1^)."""

from __future__ import annotations

import itertools
import json
import re
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mock_okta.serving.thread import ServerThread
from tests.cli.helpers import AUTH, cli

CASES = """
type: com.okta.oauth2.tokens.transform
cases:
  - name: a patient gets extPatientId
    user: {login: kim.sato@example.com}
    expect: patched
    identity: {extPatientId: "6789"}
  - name: a wrong patient id is caught
    user: {login: kim.sato@example.com}
    expect: patched
    identity: {extPatientId: "0000"}
  - name: a service token is left alone
    grant_type: client_credentials
    expect: unchanged
    absent: [access.extPatientId]
"""


def fire(url: str, *args: str) -> Any:
    return cli("fire", "--type", "token", "--hook-url", url, "--auth-header", AUTH, *args)


def test_fire_sends_a_token_request_and_shows_the_issued_tokens(sample_hook):
    result = fire(sample_hook.token_hook_url, "--email", "jessie.smith@example.com", "--json")
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    assert run["request"]["body"]["eventType"] == "com.okta.oauth2.tokens.transform"
    assert (run["outcome"], run["tokens"], run["failure"]) == ("PATCHED", "PATCHED", None)
    assert run["identity"]["claims"]["extPatientId"] == "1235"
    assert run["patch"] == {"identity": [{"op": "add", "path": "/claims/extPatientId", "value": "1235"}]}


def test_fire_renders_a_token_run_as_panels(sample_hook):
    result = fire(sample_hook.token_hook_url, "--email", "jessie.smith@example.com")
    assert result.returncode == 0, result.stderr
    assert "tokens" in result.stdout and "PATCHED" in result.stdout and "extPatientId" in result.stdout


def test_fire_expect_uses_the_token_outcomes_and_a_mismatch_exits_1(sample_hook):
    url = sample_hook.token_hook_url
    assert fire(url, "--request-type", "client_credentials", "--expect", "unchanged").returncode == 0
    mismatch = fire(url, "--request-type", "client_credentials", "--expect", "patched")
    assert mismatch.returncode == 1 and "expected PATCHED, but Okta's outcome is UNCHANGED" in mismatch.stderr
    bad = fire(url, "--expect", "allow")
    assert bad.returncode == 2 and "--expect must be patched, unchanged, error or failure" in bad.stderr
    kind = fire(url, "--request-type", "password")
    assert kind.returncode == 2 and "authorization_code or client_credentials or refresh_token" in kind.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_token_hook_is_called_once_even_when_the_call_fails():
    # Inline hooks concept page, "Time out and retry": "The token inline hook and the telephony inline hook don't
    # support retries." A registration hook at the same dead URL is retried once.
    url = f"http://127.0.0.1:{free_port()}/tokenHook"
    token = json.loads(cli("fire", "--type", "token", "--hook-url", url, "--json").stdout)
    registration = json.loads(cli("fire", "--hook-url", url, "--json").stdout)
    assert (len(token["attempts"]), token["failure"], token["outcome"]) == (1, "connection", "UNCHANGED")
    assert len(registration["attempts"]) == 2


def test_verify_type_token_passes_the_guides_hook(sample_hook):
    result = cli("verify", "--type", "token", "--hook-url", sample_hook.token_hook_url, "--auth-header", AUTH,
                 "--json")  # fmt: skip
    report = json.loads(result.stdout)
    failed = {r["name"]: r["problems"] for r in report["results"] if not r["passed"] and not r["skipped"]}
    assert result.returncode == 0 and failed == {}
    names = [r["name"] for r in report["results"]]
    assert "no answer patches a reserved claim" in names
    assert "the same request sent twice gets a patch of the same shape" in names
    assert "a patient gets extPatientId in the ID token" in names  # the guide's cases, without a cases file
    assert "progressive-profile requests do not break it" not in names


def test_a_cases_file_of_the_token_type_judges_each_case(sample_hook, tmp_path):
    cases = tmp_path / "token-cases.yaml"
    cases.write_text(CASES)
    result = cli("verify", "--hook-url", sample_hook.token_hook_url, "--auth-header", AUTH, "--cases", str(cases),
                 "--json")  # fmt: skip
    outcome = {r["name"]: (r["passed"], r["problems"]) for r in json.loads(result.stdout)["results"]}
    assert outcome["a patient gets extPatientId"] == (True, [])
    assert outcome["a service token is left alone"] == (True, [])
    assert outcome["a wrong patient id is caught"] == (
        False,
        ['expected the ID token to carry extPatientId="0000"; it carries extPatientId="6789"'],
    )
    assert result.returncode == 1
    short = tmp_path / "short.yaml"
    short.write_text(CASES.replace("com.okta.oauth2.tokens.transform", "token"))
    assert cli("verify", "--hook-url", sample_hook.token_hook_url, "--cases", str(short), "--type", "token",
               "--auth-header", AUTH).returncode == 1  # fmt: skip


UID_CASES = """
type: token
cases:
  - name: the access token names the user the case signed in
    user: {login: "kim-{uid}@example.com"}
    expect: unchanged
    access: {sub: "kim-{uid}@example.com"}
  - name: another user's sub is caught
    user: {login: "kim-{uid}@example.com"}
    expect: unchanged
    access: {sub: "lee-{uid}@example.com"}
"""


def test_uid_in_a_claim_expectation_is_the_uid_the_user_got(sample_hook, tmp_path):
    """Issue 22, D3: `verify --cases` (and `pytest --okta-hook-url`, the same runner) filled `{uid}` in the user but
    not in the claims, so a case naming the user's own `sub` failed. The access token's `sub` is the user's login
    (token hook reference, "Sample request": `data.access.claims.sub`); the guide's hook answers a non-patient 204."""
    cases = tmp_path / "uid-cases.yaml"
    cases.write_text(UID_CASES)
    result = cli("verify", "--type", "token", "--hook-url", sample_hook.token_hook_url, "--auth-header", AUTH,
                 "--cases", str(cases), "--json")  # fmt: skip
    outcome = {r["name"]: (r["passed"], r["problems"]) for r in json.loads(result.stdout)["results"]}
    assert outcome["the access token names the user the case signed in"] == (True, [])
    passed, [problem] = outcome["another user's sub is caught"]
    assert not passed and "{uid}" not in problem, problem
    assert re.fullmatch(r'expected the access token to carry sub="lee-(mokta[\w-]+)@example\.com"; '
                        r'it carries sub="kim-\1@example\.com"', problem), problem  # fmt: skip


def test_a_cases_file_with_a_word_of_another_type_is_one_line(tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text("type: token\ncases:\n  - {name: a, expect: allow}\n")
    result = cli("verify", "--hook-url", "http://127.0.0.1:9/t", "--cases", str(cases))
    assert result.returncode == 2
    assert "expect: required, one of patched, unchanged, error, failure" in result.stderr


def test_schema_type_token_prints_the_request_and_response_schemas():
    response = json.loads(cli("schema", "response", "--type", "token").stdout)
    assert response["title"] == "TokenHookResponse"
    assert set(response["$defs"]["PatchOperation"]["properties"]["op"]["enum"]) == {"add", "replace", "remove"}
    request = json.loads(cli("schema", "request", "--type", "com.okta.oauth2.tokens.transform").stdout)
    assert request["title"] == "TokenInlineHookRequest"


# -- hooks that get the contract wrong --------------------------------------------------------------------------
def _patch(token: str, path: str, value: Any) -> dict[str, Any]:
    return {"commands": [{"type": token, "value": [{"op": "add", "path": path, "value": value}]}]}


async def reserved(request: Request) -> Response:
    # Reserved claims (reference, "Reserved claims for Token Hooks"): `sub` of the ID token, `scp` of the access token.
    body = await request.json()
    if "identity" in body["data"]:
        return JSONResponse(_patch("com.okta.identity.patch", "/claims/sub", "someone-else"))
    return JSONResponse(_patch("com.okta.access.patch", "/claims/scp", ["admin"]))


_CALLS = itertools.count()


async def moody(request: Request) -> Response:
    # Patches every other call: the same request gets a patch one time and none the next.
    if next(_CALLS) % 2:
        return Response(status_code=204)
    return JSONResponse(_patch("com.okta.access.patch", "/claims/mood", "sunny"))


async def runtime(request: Request) -> Response:
    # A correct hook adding a value "calculated at runtime" (TOKREF, "Token inline hook"): a fresh id each call.
    return JSONResponse(_patch("com.okta.access.patch", "/claims/requestId", str(uuid.uuid4())))


async def refuser(request: Request) -> Response:
    # The review's hook: `error` to service tokens, refreshes and requests with fields it does not know. TOKREF,
    # "Sample error response": "the entire token inline hook flow fails with no token generated".
    body = await request.json()
    known = {"source", "eventId", "eventTime", "eventTypeVersion", "cloudEventVersion", "contentType", "eventType"}
    if (
        set(body) - {*known, "data"}
        or body["data"]["context"]["protocol"]["request"]["grant_type"] != "authorization_code"
    ):
        return JSONResponse({"error": {"errorSummary": "not for this hook"}})
    return Response(status_code=204)


@pytest.fixture(scope="module")
def bad_hooks() -> Iterator[str]:
    routes = [("/reserved", reserved), ("/moody", moody), ("/runtime", runtime), ("/refuser", refuser)]
    app = Starlette(routes=[Route(path, endpoint, methods=["POST"]) for path, endpoint in routes])
    with ServerThread(app) as server:
        yield server.url


@pytest.mark.parametrize(
    ("path", "check", "problem"),
    [
        ("/reserved", "no answer patches a reserved claim", "the hook patches reserved claims (identity:/claims/sub"),
        ("/moody", "the same request sent twice gets a patch of the same shape", "first answer"),
        ("/refuser", "client credentials requests (no user, no ID token) do not break it", "the hook answered ERROR"),
        ("/refuser", "refresh token requests do not break it", "the hook answered ERROR"),
        ("/refuser", "unknown extra request fields are tolerated", "the hook answered ERROR"),
    ],
)
def test_verify_names_the_broken_rule(bad_hooks, path, check, problem):
    result = cli("verify", "--type", "token", "--hook-url", bad_hooks + path, "--json")
    report = {r["name"]: r for r in json.loads(result.stdout)["results"]}
    assert result.returncode == 1
    assert not report[check]["passed"] and report[check]["problems"][0].startswith(problem)


def test_a_patch_with_a_runtime_value_passes_the_same_shape_check(bad_hooks):
    # TOKREF, "Token inline hook": the hook may add "data ... calculated at runtime"; only the patch's shape (its
    # operations and paths) must repeat for the same request.
    result = cli("verify", "--type", "token", "--hook-url", bad_hooks + "/runtime", "--json")
    report = {r["name"]: r for r in json.loads(result.stdout)["results"]}
    assert report["the same request sent twice gets a patch of the same shape"]["passed"]
