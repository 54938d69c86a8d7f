"""Properties of the verdict: it never crashes and always reaches one of Okta's two outcomes."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from mock_okta.hook.channel import Attempt, Exchange
from mock_okta.hooktypes.registration.contract import COMMAND_TYPES
from mock_okta.hooktypes.registration.payloads import build_request
from mock_okta.hooktypes.registration.verdict import decide

REQUESTS = {kind: build_request(kind, seed=11) for kind in ("registration", "profile-update")}

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.sampled_from(["ALLOW", "DENY"])
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)
commands = st.lists(
    st.fixed_dictionaries(
        {"type": st.sampled_from([*COMMAND_TYPES, "bogus"])},
        optional={
            "value": st.one_of(
                json_values,
                st.fixed_dictionaries({"registration": st.sampled_from(["ALLOW", "DENY", "deny", 1])}),
                st.dictionaries(st.sampled_from(["nickName", "password", "email"]), scalars, max_size=3),
            )
        },
    )
    | json_values,
    max_size=4,
)
causes = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "errorSummary": st.text(max_size=20) | st.integers(),
            "location": st.sampled_from(["data.userProfile.email", "data.userProfile.nope", "x", ""]) | scalars,
            "reason": scalars,
        },
    )
    | json_values,
    max_size=3,
)
bodies = st.fixed_dictionaries(
    {},
    optional={
        "commands": commands | json_values,
        "error": st.fixed_dictionaries({}, optional={"errorSummary": scalars, "errorCauses": causes | json_values})
        | json_values,
        "debugContext": json_values,
        "extra": json_values,
    },
)


def exchange(status: int, body: bytes, error: str | None = None) -> Exchange:
    return Exchange(
        uri="https://hook.example/h",
        request={},
        request_headers={},
        attempts=[Attempt(1, status, 1.0, len(body), error)],
        status=status,
        body=body,
    )


@given(
    kind=st.sampled_from(sorted(REQUESTS)),
    status=st.sampled_from([200, 201, 204, 302, 400, 500]),
    body=bodies.map(lambda b: json.dumps(b).encode())
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.binary(max_size=64),
    error=st.sampled_from([None, None, "timeout", "connection", "too_large"]),
)
def test_property_verdict_never_crashes_and_always_decides(kind, status, body, error):
    if error is None and not 200 <= status < 300:
        error = "http_status"
    verdict = decide(REQUESTS[kind], exchange(status, body, error))
    assert verdict.registration in ("ALLOW", "DENY")
    if verdict.registration == "DENY":
        assert verdict.messages, "a denied user always sees a message"
        assert verdict.profile is None
    else:
        assert verdict.profile is not None and verdict.messages == []
        assert "password" not in verdict.profile_updates
    for violation in verdict.violations:
        assert violation.path and violation.message
