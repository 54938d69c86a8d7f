"""What Okta issues for each token hook answer, rule by rule. TOKREF below is okta-developer-docs
`packages/@okta/vuepress-site/docs/reference/token-hook/index.md` at 982a3bc1c1^ (its last full version; the same
text is the management spec's `createTokenInlineHook` description and `TokenHookResponse` schema)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mock_okta.hook.channel import Attempt, Exchange, Failure
from mock_okta.hooktypes.token import MintedToken, TokenMinting, build_request, generate_minting
from mock_okta.hooktypes.token.contract import (
    DEFAULT_ERROR_SUMMARY,
    RESERVED_ACCESS_CLAIMS,
    RESERVED_IDENTITY_CLAIMS,
)
from mock_okta.hooktypes.token.verdict import Outcome, Verdict, decide

ID, AT = "com.okta.identity.patch", "com.okta.access.patch"


def minting(grant_type: str = "authorization_code", **claims: Any) -> TokenMinting:
    base = generate_minting(grant_type, seed=5)
    if base.identity is None or not claims:
        return base
    identity = MintedToken({**base.identity.claims, **claims}, base.identity.lifetime)
    return TokenMinting(**{**base.__dict__, "identity": identity})


def answer(body: Any, status: int = 200, *, of: TokenMinting | None = None) -> tuple[Verdict, TokenMinting]:
    of = of or minting()
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    exchange = Exchange("https://hook.example/t", build_request(of), {}, [Attempt(1, status, 5.0, len(raw))], status)
    exchange.body = raw
    return decide(exchange.request, exchange), of


def patch(token: str, *ops: dict[str, Any]) -> dict[str, Any]:
    return {"type": token, "value": list(ops)}


def test_the_guides_answer_adds_the_claim_to_the_id_token_only():
    # docs/guides/token-inline-hook/main/nodejs/send-response.md: the patients hook's answer.
    verdict, of = answer({"commands": [patch(ID, {"op": "add", "path": "/claims/extPatientId", "value": "1235"})]})
    assert verdict.outcome == Outcome.PATCHED and verdict.failure is None
    minted = verdict.apply(of)
    assert minted.identity is not None and minted.identity.claims["extPatientId"] == "1235"
    assert minted.access is not None and "extPatientId" not in minted.access.claims
    assert {k: v for k, v in minted.identity.claims.items() if k != "extPatientId"} == dict(of.identity.claims)


def test_204_issues_the_tokens_as_minted():
    # The guide's hook answers 204 for users outside its store; the spec's createTokenInlineHook lists 204.
    verdict, of = answer(b"", 204)
    assert (verdict.outcome, verdict.failure) == (Outcome.UNCHANGED, None)
    assert verdict.apply(of).identity == of.identity


def test_add_on_an_existing_claim_replaces_its_value():
    # TOKREF "Sample response to add a claim": "include an existing claim ... with a different value, that value is
    # replaced".
    verdict, of = answer({"commands": [patch(ID, {"op": "add", "path": "/claims/name", "value": "Pat"})]})
    assert verdict.apply(of).identity.claims["name"] == "Pat"


@pytest.mark.parametrize(
    ("op", "path", "value", "expected"),
    [
        # TOKREF: "add the department_id member to the claim"
        ("add", "/claims/employee_profile/department_id", "4947", {"employee_id": "1234", "department_id": "4947"}),
        # TOKREF: "/claims/preferred_airports/3" and "/claims/preferred_airports/-" append
        ("add", "/claims/preferred_airports/3", "lax", ["sjc", "sfo", "oak", "lax"]),
        ("add", "/claims/preferred_airports/-", "lax", ["sjc", "sfo", "oak", "lax"]),
        ("add", "/claims/preferred_airports/0", "lax", ["lax", "sjc", "sfo", "oak"]),
        # TOKREF "Sample response to replace an existing claim": a member, an element by index
        ("replace", "/claims/employee_profile/employee_id", "99", {"employee_id": "99"}),
        ("replace", "/claims/preferred_airports/1", "lax", ["sjc", "lax", "oak"]),
        # TOKREF "Sample response to remove token claims": an element, a member
        ("remove", "/claims/preferred_airports/1", None, ["sjc", "oak"]),
        ("remove", "/claims/employee_profile/employee_id", None, {}),
    ],
)
def test_patches_inside_objects_and_arrays(op, path, value, expected):
    of = minting(employee_profile={"employee_id": "1234"}, preferred_airports=["sjc", "sfo", "oak"])
    verdict, _ = answer({"commands": [patch(ID, {"op": op, "path": path, "value": value})]}, of=of)
    assert verdict.outcome == Outcome.PATCHED, verdict.dropped
    claim = path.split("/")[2]
    assert verdict.apply(of).identity.claims[claim] == expected


def test_replace_changes_both_lifetimes_within_bounds():
    # TOKREF "Sample response to modify token lifetime": the sample's 36000 seconds.
    ops = {"op": "replace", "path": "/token/lifetime/expiration", "value": 36000}
    verdict, of = answer({"commands": [patch(ID, ops), patch(AT, ops)]})
    minted = verdict.apply(of)
    assert (minted.identity.lifetime, minted.access.lifetime) == (36000, 36000)


@pytest.mark.parametrize("seconds", [300, 86400])
def test_the_lifetime_bounds_are_inclusive(seconds):
    # TOKREF: "a minimum of five minutes (300 seconds) and a maximum of 24 hours (86,400 seconds)".
    verdict, of = answer({"commands": [patch(AT, {"op": "replace", "path": "/token/lifetime/expiration",
                                                  "value": seconds})]})  # fmt: skip
    assert verdict.apply(of).access.lifetime == seconds


def test_aud_and_sub_may_be_changed_in_the_access_token_only():
    # TOKREF: "Although the aud and sub claims are listed as reserved claims, you can modify those claims in access
    # tokens. You can't modify these claims in ID tokens."
    verdict, of = answer({"commands": [patch(AT, {"op": "replace", "path": "/claims/sub", "value": "svc"})]})
    assert verdict.apply(of).access.claims["sub"] == "svc"
    verdict, of = answer({"commands": [patch(ID, {"op": "replace", "path": "/claims/sub", "value": "svc"})]})
    assert verdict.failure == Failure.INVALID_RESPONSE and "reserved claim of the ID token" in verdict.dropped


DROPPED = [
    # (why, the answer's commands) -- each fails "the entire PATCH" and the tokens are issued as minted.
    ("a reserved claim of the ID token (TOKREF: reserved claims)", [patch(ID, {"op": "add", "path": "/claims/iss",
                                                                              "value": "x"})]),
    ("a reserved claim of the access token", [patch(AT, {"op": "add", "path": "/claims/scp", "value": ["x"]})]),
    ("removing a system-specific claim", [patch(AT, {"op": "remove", "path": "/claims/ver"})]),
    ("replacing a claim that isn't part of the token", [patch(ID, {"op": "replace", "path": "/claims/nope",
                                                                   "value": 1})]),
    ("removing a claim that doesn't exist", [patch(ID, {"op": "remove", "path": "/claims/nope"})]),
    ("adding a member within an object that doesn't exist", [patch(ID, {"op": "add", "path": "/claims/nope/x",
                                                                        "value": 1})]),
    ("an invalid array index", [patch(ID, {"op": "add", "path": "/claims/preferred_airports/9", "value": "x"})]),
    ("an invalid operation", [patch(ID, {"op": "move", "path": "/claims/name", "value": "x"})]),
    ("a path outside /claims and the lifetime", [patch(ID, {"op": "add", "path": "/name", "value": "x"})]),
    ("a remove with a value (TOKREF: 'Providing any other value fails')",
     [patch(ID, {"op": "remove", "path": "/claims/name", "value": "x"})]),
    ("a lifetime under 300 s", [patch(ID, {"op": "replace", "path": "/token/lifetime/expiration", "value": 299})]),
    ("a lifetime over 86,400 s", [patch(AT, {"op": "replace", "path": "/token/lifetime/expiration",
                                             "value": 86401})]),
    ("add on the lifetime (only replace updates it)", [patch(AT, {"op": "add", "path": "/token/lifetime/expiration",
                                                                 "value": 600})]),
    ("an unknown command type", [{"type": "com.okta.saml.patch", "value": []}]),
    ("a value that is not a list of operations", [{"type": ID, "value": {"op": "add"}}]),
]  # fmt: skip


@pytest.mark.parametrize(("why", "commands"), DROPPED, ids=[why for why, _ in DROPPED])
def test_any_invalid_operation_drops_the_whole_patch(why, commands):
    # TOKREF "Troubleshoot": "When a hook command ... can't be performed, the inline hook operation is skipped. The
    # token is generated without any modification from the inline hook." A valid operation before it is dropped too.
    of = minting(preferred_airports=["sjc"])
    good = patch(AT, {"op": "add", "path": "/claims/external_guid", "value": "F0384685"})
    verdict, _ = answer({"commands": [good, *commands]}, of=of)
    assert verdict.outcome == Outcome.UNCHANGED
    assert verdict.failure == Failure.INVALID_RESPONSE and verdict.dropped
    assert any(v.fatal and v.path.startswith("commands[1]") for v in verdict.violations), verdict.violations
    minted = verdict.apply(of)
    assert (minted.identity, minted.access) == (of.identity, of.access)
    assert minted.dropped == verdict.dropped and minted.error is None


def test_a_command_for_a_token_that_is_not_minted_drops_the_patch():
    # TOKREF: "if only an ID token is requested, the commands array shouldn't contain commands of the type
    # com.okta.access.patch" -- here: client credentials mint no ID token.
    of = minting("client_credentials")
    verdict, _ = answer({"commands": [patch(ID, {"op": "add", "path": "/claims/a", "value": 1})]}, of=of)
    assert verdict.failure == Failure.INVALID_RESPONSE and "no ID token is being minted" in verdict.dropped
    assert verdict.apply(of).access == of.access and verdict.apply(of).identity is None


def test_every_reserved_claim_of_the_reference_is_refused_in_its_token():
    # TOKREF "Reserved claims for Token Hooks": the whole table, ID token and access token.
    for token, reserved in ((ID, RESERVED_IDENTITY_CLAIMS), (AT, RESERVED_ACCESS_CLAIMS)):
        for claim in sorted(reserved):
            verdict, _ = answer({"commands": [patch(token, {"op": "add", "path": f"/claims/{claim}", "value": 1})]})
            assert verdict.dropped and "reserved claim" in verdict.dropped, (token, claim)
    assert len(RESERVED_IDENTITY_CLAIMS) == 55 and len(RESERVED_ACCESS_CLAIMS) == 19


def test_an_error_object_answers_server_error_with_its_summary():
    # TOKREF "error": "Okta ... return[s] an OAuth 2.0 error ... `error` set to `server_error`, and ...
    # `error_description` set to the string that you supplied in the `errorSummary`"; no token is issued.
    verdict, of = answer({"error": {"errorSummary": "Patient record locked"}})
    minted = verdict.apply(of)
    assert verdict.outcome == Outcome.ERROR and verdict.failure is None
    assert minted.error_response() == {"error": "server_error", "error_description": "Patient record locked"}
    assert (minted.identity, minted.access, minted.issued) == (None, None, False)


@pytest.mark.parametrize("error", [{}, {"errorSummary": ""}, {"errorSummary": None}])
def test_an_error_without_a_summary_gets_oktas_default_sentence(error):
    # TOKREF: "If the error object doesn't include the errorSummary property defined, the following common default
    # message is returned to the end user: The callback service returned an error."
    verdict, of = answer({"error": error})
    assert verdict.apply(of).error == DEFAULT_ERROR_SUMMARY == "The callback service returned an error"


def test_an_error_vetoes_the_commands_beside_it():
    # TOKREF "Troubleshoot": an error object -- "the entire token inline hook flow fails with no token generated".
    verdict, of = answer({"error": {"errorSummary": "no"}, "commands": [patch(ID, {"op": "add",
                          "path": "/claims/a", "value": 1})]})  # fmt: skip
    assert verdict.outcome == Outcome.ERROR and verdict.apply(of).identity is None
    assert any(v.path == "commands" and not v.fatal for v in verdict.violations)


@pytest.mark.parametrize(
    ("failure", "status"), [(Failure.TIMEOUT, None), (Failure.CONNECTION, None), (Failure.HTTP_STATUS, 500)]
)
def test_a_failed_call_issues_the_tokens_as_minted(failure, status):
    # TOKREF "Timeout behavior": "the Okta process flow proceeds with original token returned"; "Troubleshoot": a
    # communication failure or another status -- "The token is generated without any modification".
    of = minting()
    exchange = Exchange("https://hook.example/t", build_request(of), {}, [Attempt(1, status, 3000.0, 0, failure)])
    verdict = decide(exchange.request, exchange)
    minted = verdict.apply(of)
    assert (verdict.outcome, verdict.failure) == (Outcome.UNCHANGED, failure)
    assert (minted.identity, minted.access, minted.error) == (of.identity, of.access, None)


def test_a_2xx_other_than_200_and_204_is_skipped():
    # TOKREF "Troubleshoot": "any other HTTP status code besides 200, the inline hook operation is skipped".
    verdict, of = answer({"commands": [patch(ID, {"op": "add", "path": "/claims/a", "value": 1})]}, 201)
    assert verdict.failure == Failure.HTTP_STATUS and verdict.apply(of).identity == of.identity


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"error": "nope"}', b'{"commands": [], "statusCode": 200}'])
def test_an_unreadable_answer_issues_the_tokens_as_minted(body):
    # Sources are silent: the mock reads these as invalid answers (the hook operation is skipped), the project's
    # rule for every type (README, "How the mock decides").
    verdict, of = answer(body)
    assert (verdict.outcome, verdict.failure) == (Outcome.UNCHANGED, Failure.INVALID_RESPONSE)
    assert verdict.apply(of).identity == of.identity


def test_operations_apply_in_order_and_later_ones_see_earlier_ones():
    ops = [
        {"op": "add", "path": "/claims/roles", "value": []},
        {"op": "add", "path": "/claims/roles/-", "value": "nurse"},
        {"op": "replace", "path": "/claims/roles/0", "value": "doctor"},
    ]
    verdict, of = answer({"commands": [patch(AT, *ops)]})
    assert verdict.apply(of).access.claims["roles"] == ["doctor"]


def test_claim_names_with_slashes_use_json_pointer_escapes():
    # The spec (createSAMLAssertionInlineHook, "URI claims"): "replaces ~ with ~0 and / with ~1"; TOKREF is silent
    # for tokens and the mock reads paths the same way.
    verdict, of = answer({"commands": [patch(AT, {"op": "add", "path": "/claims/https:~1~1example.com~1role",
                                                  "value": "a"})]})  # fmt: skip
    assert verdict.apply(of).access.claims["https://example.com/role"] == "a"


def test_apply_replays_on_copies_and_never_mutates_the_minting():
    of = minting(preferred_airports=["sjc"])
    before = json.dumps(of.identity.claims, sort_keys=True)
    verdict, _ = answer({"commands": [patch(ID, {"op": "add", "path": "/claims/preferred_airports/-",
                                                 "value": "lax"})]}, of=of)  # fmt: skip
    first, second = verdict.apply(of), verdict.apply(of)
    assert first.identity.claims["preferred_airports"] == ["sjc", "lax"] == second.identity.claims["preferred_airports"]
    assert json.dumps(of.identity.claims, sort_keys=True) == before


def test_apply_drops_a_patch_that_does_not_fit_another_minting():
    # The org applies the verdict to the minting the request was built from; one that lacks the target claim (a
    # programming error) gets the tokens as minted with the reason, not an exception.
    verdict, _ = answer({"commands": [patch(ID, {"op": "replace", "path": "/claims/name", "value": "x"})]})
    other = generate_minting(seed=6, scopes=["openid"])  # no profile scope: no `name`
    minted = verdict.apply(other)
    assert minted.identity == other.identity and minted.dropped and minted.failure == Failure.INVALID_RESPONSE
