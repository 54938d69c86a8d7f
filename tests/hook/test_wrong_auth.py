"""`verify`'s "a wrong auth header is refused": wrong credentials of the same shape as the right ones, each where a
lenient check would not look, and the problem names the one the hook let in (issue: a hook that accepted any
`Authorization: Basic ...` passed all the checks, because the wrong secret was the reversed one plus "x")."""

from __future__ import annotations

import base64

import pytest

from mock_okta.hook.channel import ChannelConfig
from mock_okta.hook.run import run_sync
from mock_okta.hook.verify import Result, Verifier, check_wrong_auth, wrong_credentials
from mock_okta.hooktypes import REGISTRATION

ADMIN = "Basic " + base64.b64encode(b"admin:supersecret").decode()


def wrong_auth(url: str, header: str) -> Result:
    verifier = Verifier(ChannelConfig.from_header_lines(url, header), REGISTRATION)
    result = Result("check", "a wrong auth header is refused")
    run_sync(check_wrong_auth(verifier, result))
    return result


@pytest.mark.parametrize(
    ("rule", "header", "named"),
    [
        ("any-basic", ADMIN, "the right user with a wrong password"),
        ("user-only", ADMIN, "the right user with a wrong password"),
        ("prefix", "X-Api-Key: k3y-s3cret-value", "the value and more after it"),
    ],
)
def test_a_lenient_auth_check_fails_and_the_problem_names_what_got_in(scripted, rule, header, named):
    line = header if header.startswith("X-") else f"Authorization: {header}"
    result = wrong_auth(f"{scripted[1]}/lenient/{rule}", line)
    assert any(named in problem and "anyone could call it" in problem for problem in result.problems), result.problems


def test_the_sample_hook_refuses_every_wrong_credential(sample_hook):
    result = wrong_auth(sample_hook.hook_url, sample_hook.auth_header)
    assert result.problems == [] and len(result.runs) == 3


@pytest.mark.parametrize(
    ("value", "whats"),
    [
        (
            ADMIN,
            [
                "the right user with a wrong password",
                "a wrong user with the right password",
                "the Basic scheme with no credentials",
            ],
        ),
        (
            "SSWS 00abcDEF",
            [
                "the SSWS scheme with a wrong token of the same length",
                "the SSWS scheme with the token and more after it",
                "the SSWS scheme with no token",
            ],
        ),
        ("k3y", ["a wrong value of the same length", "the value and more after it", "the first half of the value"]),
    ],
)
def test_wrong_credentials_keep_the_shape_and_differ(value, whats):
    variants = wrong_credentials(value)
    assert [what for what, _ in variants] == whats
    assert all(wrong != value for _, wrong in variants)
    if value.startswith("Basic "):
        decoded = [base64.b64decode(v.split()[1]).decode() for _, v in variants[:2]]
        assert decoded[0].startswith("admin:") and decoded[0] != "admin:supersecret"
        assert decoded[1].endswith(":supersecret") and not decoded[1].startswith("admin:")
