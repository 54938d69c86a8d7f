"""The token hook's cases file vocabulary: every expectation holds for the answer it describes, and fails when the
hook failed, was not called, or answered something else (the verdict's rules: token hook reference, okta-developer-
docs `docs/reference/token-hook/index.md` at 982a3bc1c1^)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mock_okta.hook.cases import CasesError, judge, parse_cases
from mock_okta.hook.channel import Attempt, Exchange, Failure
from mock_okta.hook.outcome import HookRun
from mock_okta.hooktypes import REGISTRY, TOKEN

ID, AT = "com.okta.identity.patch", "com.okta.access.patch"


def case(body: str) -> Any:
    [parsed] = parse_cases(f"type: token\ncases:\n  - name: c\n{body}", REGISTRY).cases
    return parsed


def run_of(
    the_case: Any, answer: Any = None, *, status: int | None = 200, failure: Failure | None = None, ms: float = 5.0
) -> HookRun:
    request = the_case.request("u1", seed=1)
    raw = b"" if answer is None else json.dumps(answer).encode()
    exchange = Exchange("https://hook.example/t", request, {}, [Attempt(1, status, ms, len(raw), failure)], status)
    exchange.body = raw
    return HookRun(exchange, TOKEN.decide(request, exchange))


def add(token: str, claim: str, value: Any) -> dict[str, Any]:
    return {"commands": [{"type": token, "value": [{"op": "add", "path": f"/claims/{claim}", "value": value}]}]}


LIFETIME = {
    "commands": [{"type": AT, "value": [{"op": "replace", "path": "/token/lifetime/expiration", "value": 7200}]}]
}
# (the case's keys, an answer it describes, another answer it must reject)
EXPECTATIONS = [
    ("    expect: patched\n    identity: {extPatientId: '1235'}\n", add(ID, "extPatientId", "1235"),
     add(ID, "extPatientId", 1235)),
    ("    expect: patched\n    access: {tier: gold}\n", add(AT, "tier", "gold"), add(ID, "tier", "gold")),
    ("    expect: unchanged\n    absent: [identity.extPatientId]\n", None, add(AT, "other", 1)),
    ("    expect: patched\n    absent: [identity.extPatientId]\n    access: {a: 1}\n", add(AT, "a", 1),
     {"commands": [*add(AT, "a", 1)["commands"], *add(ID, "extPatientId", "1")["commands"]]}),
    ("    expect: patched\n    lifetime: {access: 7200}\n", LIFETIME, add(AT, "a", 1)),
    ("    expect: error\n    error: Patient record locked\n", {"error": {"errorSummary": "Patient record locked"}},
     {"error": {"errorSummary": "Other"}}),
    ("    expect: error\n    error: The callback service returned an error\n", {"error": {}}, add(AT, "a", 1)),
    ("    expect: failure\n    patch_dropped: reserved claim\n", add(ID, "sub", "x"), add(ID, "nope/x", 1)),
    ("    expect: failure\n    patch_dropped: true\n", add(ID, "iss", "x"), None),
]  # fmt: skip


@pytest.mark.parametrize(("keys", "good", "other"), EXPECTATIONS, ids=[k.split("\n")[1].strip() for k, _, _ in
                                                                       EXPECTATIONS])  # fmt: skip
def test_each_expectation_holds_only_for_the_answer_it_describes(keys, good, other):
    the_case = case(keys)
    assert judge(the_case, run_of(the_case, good, status=200 if good is not None else 204)) == []
    assert judge(the_case, run_of(the_case, other, status=200 if other is not None else 204))
    # A hook that timed out, or that could not be called at all, meets no expectation (not even `failure` with
    # patch_dropped: the patch was never answered).
    for failure in (Failure.TIMEOUT, Failure.CONNECTION):
        assert judge(the_case, run_of(the_case, None, status=None, failure=failure)), failure


def test_the_problems_say_what_the_tokens_carry():
    the_case = case("    expect: patched\n    identity: {extPatientId: '1235'}\n    lifetime: {identity: 600}\n")
    problems = judge(the_case, run_of(the_case, add(ID, "extPatientId", "9")))
    assert problems == [
        'expected the ID token to carry extPatientId="1235"; it carries extPatientId="9"',
        "expected the ID token to live 600 s; it lives 3600 s",
    ]
    error = judge(the_case, run_of(the_case, {"error": {"errorSummary": "no"}}))
    assert error[0] == "expected PATCHED, but Okta's outcome is ERROR"
    assert 'expected the ID token to carry extPatientId="1235"; no token is issued (server_error)' in error


def test_a_case_builds_its_request_from_its_inputs():
    the_case = case(
        "    user: {login: '{uid}@clinic.example'}\n    scopes: [openid, email]\n"
        "    client: {id: 0oaPortal, name: Portal, type: PUBLIC}\n    expect: unchanged\n"
    )
    request = the_case.request("abc", seed=2)
    context = request["data"]["context"]
    assert context["user"]["profile"]["login"] == "abc@clinic.example"
    assert context["protocol"]["client"] == {"id": "0oaPortal", "name": "Portal", "type": "PUBLIC"}
    assert list(request["data"]["access"]["scopes"]) == ["openid", "email"]
    service = case("    grant_type: client_credentials\n    expect: unchanged\n").request("x")
    assert "identity" not in service["data"] and "user" not in service["data"]["context"]


@pytest.mark.parametrize(
    ("keys", "words"),
    [
        ("    expect: patch\n", "expect: required, one of patched, unchanged, error, failure (did you mean patched"),
        ("    expect: patched\n    grant_type: password\n", "grant_type: one of authorization_code"),
        ("    expect: patched\n    grant_type: client_credentials\n    user: {login: a}\n", "user: client credentials"),
        ("    expect: patched\n    error: x\n", "error: only `expect: error`"),
        ("    expect: error\n    identity: {a: 1}\n", "identity: `expect: error` issues no patched token"),
        ("    expect: patched\n    patch_dropped: true\n", "patch_dropped: a dropped patch"),
        ("    expect: patched\n    absent: [id_token.a]\n", "absent: a list of token.claim"),
        ("    expect: patched\n    lifetime: {access: '1h'}\n", "lifetime: a mapping"),
        ("    expect: patched\n    client: {name: x}\n", "client: a mapping {id, name, type"),
        ("    expect: patched\n    scopes: openid\n", "scopes: a list of scope names"),
        ("    expect: patched\n    profile: {email: a}\n", "profile: unknown key"),
        # Review of issue 22, defects 6 and 9: an empty expectation asserts nothing; client credentials mint no ID
        # token (TOKREF, "Sample request"), so an expectation of one could never hold, or would hold vacuously.
        ("    expect: patched\n    access: {}\n", "access: empty: name the claims the access token must carry"),
        ("    grant_type: client_credentials\n    expect: patched\n    identity: {a: 1}\n", "identity: client cre"),
        ("    grant_type: client_credentials\n    expect: unchanged\n    absent: [identity.a]\n", "absent: client cr"),
        ("    grant_type: client_credentials\n    expect: patched\n    lifetime: {identity: 600}\n", "lifetime: cli"),
    ],
)
def test_a_case_the_type_cannot_read_names_its_key(keys, words):
    with pytest.raises(CasesError) as raised:
        case(keys)
    assert words in str(raised.value)


def test_the_readme_and_docstring_examples_are_cases_files_the_type_reads():
    # Review of issue 22, defect 6: the README's token cases file had `access: {}`, which the loader refuses.
    import pathlib

    from mock_okta.hooktypes.token import cases as token_cases

    readme = (pathlib.Path(__file__).parents[3] / "README.md").read_text()
    block = readme.split("A token cases file:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    docstring = (token_cases.__doc__ or "").split("```yaml\n", 1)[1].split("```", 1)[0]
    for text in (block, docstring):
        assert len(parse_cases(text, REGISTRY).cases) == 3


def test_a_failure_case_is_not_judged_on_the_default_budget_but_on_its_own_max_ms():
    """Issue 22, P2, as for a registration hook (tests/hook/test_cases.py): a token hook that hangs fails at the
    3 s deadline (concept page "Timeout behavior"; no retry for this type), always past the default 2400 ms budget;
    `expect: failure` holds, and only a `max_ms` the case states judges the time."""
    hangs = case("    expect: failure\n")
    timed_out = run_of(hangs, None, status=None, failure=Failure.TIMEOUT, ms=3003)
    assert judge(hangs, timed_out) == []
    bounded = case("    expect: failure\n    max_ms: 1000\n")
    assert judge(bounded, run_of(bounded, None, status=None, failure=Failure.TIMEOUT, ms=3003)) == [
        "answered in 3003 ms, over the 1000 ms budget"
    ]
    patched = case("    expect: unchanged\n")
    slow = run_of(patched, None, status=204, ms=3003)
    assert judge(patched, slow) == ["answered in 3003 ms, over the 2400 ms budget"]


def test_uid_is_filled_in_the_expectations_as_in_the_inputs():
    """Issue 22, D3: README "`{uid}`: unique per run" holds for the whole case: the claims, the absent claims, the
    error text and the dropped patch's reason get the value the user's login got, so `access: {sub: ...}` can name
    the user the case signs in (the access token's `sub` is the login: token hook reference, "Sample request")."""
    the_case = case(
        "    user: {login: 'kim-{uid}@example.com'}\n    expect: unchanged\n"
        "    access: {sub: 'kim-{uid}@example.com', tags: ['{uid}', {of: '{uid}'}]}\n"
        "    absent: ['identity.x-{uid}']\n"
    )
    filled = the_case.with_uid("mokta1-1-abc")
    assert filled.user == {"login": "kim-mokta1-1-abc@example.com"}
    assert filled.claims == {
        "access": {"sub": "kim-mokta1-1-abc@example.com", "tags": ["mokta1-1-abc", {"of": "mokta1-1-abc"}]}
    }
    assert filled.absent == (("identity", "x-mokta1-1-abc"),)
    assert the_case.claims["access"]["sub"] == "kim-{uid}@example.com", "the case itself is unchanged"
    error = case("    expect: error\n    error: 'record {uid} locked'\n").with_uid("u7")
    assert error.error == "record u7 locked"
    dropped = case("    expect: failure\n    patch_dropped: 'x {uid}'\n").with_uid("u8")
    assert dropped.patch_dropped == "x u8"
