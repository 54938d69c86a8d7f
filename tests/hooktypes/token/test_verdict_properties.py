"""Properties of the token verdict over generated answers: it never raises, the patch is all or nothing, reserved
claims never change, and `apply` issues exactly the tokens the verdict reports (token hook reference, "Reserved
claims for Token Hooks" and "Troubleshoot")."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mock_okta.hook.channel import Attempt, Exchange
from mock_okta.hooktypes.token import build_request, generate_minting
from mock_okta.hooktypes.token.contract import COMMAND_TYPES, RESERVED_ACCESS_CLAIMS, RESERVED_IDENTITY_CLAIMS
from mock_okta.hooktypes.token.verdict import ACCESS, IDENTITY, Outcome, decide

MINTINGS = [generate_minting(grant, seed=9) for grant in ("authorization_code", "client_credentials")]
RESERVED = {IDENTITY: RESERVED_IDENTITY_CLAIMS, ACCESS: RESERVED_ACCESS_CLAIMS}

scalars = st.none() | st.booleans() | st.integers(-5, 100_000) | st.text(max_size=8)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=10,
)
claim_names = st.sampled_from(["name", "sub", "iss", "email", "extPatientId", "scp", "ver", "aud", "uid", "x"])
paths = st.one_of(
    claim_names.map(lambda n: f"/claims/{n}"),
    st.tuples(claim_names, st.sampled_from(["0", "-", "a", "1"])).map(lambda t: f"/claims/{t[0]}/{t[1]}"),
    st.just("/token/lifetime/expiration"),
    st.text(max_size=12),
)
operations = st.fixed_dictionaries(
    {},
    optional={
        "op": st.sampled_from(["add", "replace", "remove", "move"]) | scalars,
        "path": paths | scalars,
        "value": json_values | st.integers(200, 90_000),
    },
)
commands = st.lists(
    st.fixed_dictionaries(
        {"type": st.sampled_from([*COMMAND_TYPES, "com.okta.other.patch"])},
        optional={"value": st.lists(operations, max_size=4) | json_values},
    )
    | json_values,
    max_size=3,
)
bodies = st.fixed_dictionaries(
    {},
    optional={
        "commands": commands | json_values,
        "error": st.fixed_dictionaries({}, optional={"errorSummary": scalars}) | json_values,
        "debugContext": json_values,
        "extra": json_values,
    },
)

# Answers of the right shape, so that many patches apply (and some of them touch reserved claims or missing ones).
well_formed = st.fixed_dictionaries(
    {
        "commands": st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(COMMAND_TYPES),
                    "value": st.lists(
                        st.fixed_dictionaries(
                            {
                                "op": st.sampled_from(["add", "add", "replace"]),
                                "path": claim_names.map(lambda n: f"/claims/{n}") | paths,
                                "value": json_values | st.integers(200, 90_000),
                            }
                        )
                        | st.fixed_dictionaries({"op": st.just("remove"), "path": paths}),
                        min_size=1,
                        max_size=3,
                    ),
                }
            ),
            min_size=1,
            max_size=2,
        )
    }
)


def run(request: dict[str, Any], status: int, raw: bytes) -> Any:
    exchange = Exchange("https://hook.example/t", request, {}, [Attempt(1, status, 1.0, len(raw))], status)
    exchange.body = raw
    return decide(request, exchange)


@given(st.sampled_from(MINTINGS), well_formed | bodies, st.sampled_from([200, 200, 200, 204, 202]))
def test_the_patch_is_all_or_nothing_and_reserved_claims_never_change(minting, body, status):
    verdict = run(build_request(minting), status, json.dumps(body).encode())
    minted = verdict.apply(minting)
    assert verdict.outcome in set(Outcome)
    if verdict.outcome == Outcome.ERROR:
        assert (minted.identity, minted.access) == (None, None) and minted.error
        return
    assert minted.error is None
    if verdict.outcome == Outcome.UNCHANGED:
        assert (minted.identity, minted.access) == (minting.identity, minting.access)
    for token, before, after in ((IDENTITY, minting.identity, minted.identity), (ACCESS, minting.access,
                                                                                  minted.access)):  # fmt: skip
        assert (before is None) == (after is None), "a hook never adds or removes a whole token"
        if before is None or after is None:
            continue
        for claim in RESERVED[token]:
            assert before.claims.get(claim) == after.claims.get(claim), (token, claim)
        assert 300 <= after.lifetime <= 86_400
        # What `apply` issues is what the verdict reports (and the journal shows).
        assert dict(after.claims) == verdict.claims(token) and after.lifetime == verdict.lifetime(token)


@given(json_values, st.binary(max_size=64) | bodies.map(lambda b: json.dumps(b).encode()))
def test_decide_never_raises_on_any_request_or_answer(request, raw):
    # `execute` and Preview send whatever they are given.
    verdict = run(request if isinstance(request, dict) else {"data": request}, 200, raw)
    assert verdict.outcome in set(Outcome)
    json.dumps(verdict.to_json())
