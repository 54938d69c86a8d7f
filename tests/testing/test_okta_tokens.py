"""The `okta_tokens` fixture: decoded, signature-checked tokens from the mock org, with the hook under test as the
`default` server's token inline hook; and that it never turns a hook that was not called, failed or answered
something else into a green test.

Sources: okta-developer-docs `docs/reference/token-hook/index.md` (last full version: the guide's patients hook adds
`extPatientId` to the ID token; "Sample error response" → `server_error` with the errorSummary; "Reserved claims";
"Troubleshoot": a failed call or a refused patch leaves the tokens as minted), `docs/reference/api/oidc/index.md`
(the tokens' claims and audiences, `nonce`, `offline_access`), `docs/guides/implement-grant-type/main/clientcreds/
use-flow.md` (client credentials with `customScope`); OpenID Connect Core §3.1.3.6-7 (`at_hash`, `nonce`)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from mock_okta.serving.thread import ServerThread
from mock_okta.testing.scripted_hook import ScriptedHook
from mock_okta.testing.tokens import OktaTokenError, TokenHookFailed, TokenIssuer, check_id_token, verified_claims

pytest_plugins = ["pytester"]

PATIENT = "jessie.smith@example.com"  # the token hook guide's patient store: ExternalServicePatientID 1235


@pytest.fixture(scope="module")
def scripted() -> Iterator[str]:
    with ServerThread(ScriptedHook()) as server:
        yield server.url


def issuer_for(okta_org, hook_url: str) -> TokenIssuer:
    return TokenIssuer(okta_org.url, okta_org.api_token, hook_url, None)


def test_a_patient_s_id_token_carries_the_hook_s_claim(okta_tokens):
    """The guide's hook (the sample's /tokenHook): `extPatientId` 1235 in the ID token of jessie.smith, as the org
    issued and signed it; the access token for `api://default`, the ID token for the app, with the nonce sent."""
    tokens = okta_tokens(user=PATIENT)
    assert tokens.id_token is not None and tokens.id_token["extPatientId"] == "1235"
    assert tokens.id_token["preferred_username"] == PATIENT and tokens.access_token["aud"] == "api://default"
    assert tokens.access_token["scp"] == ["openid", "profile", "email"] and tokens.access_token["sub"] == PATIENT
    assert tokens.hook_call is not None and tokens.hook_call["outcome"] == "PATCHED"
    sent = tokens.hook_call["request"]["body"]["data"]
    assert sent["context"]["user"]["profile"]["login"] == PATIENT


def test_anyone_else_gets_no_claim_and_the_hook_was_still_called(okta_tokens):
    tokens = okta_tokens(user="pat.doe@example.com")
    assert tokens.id_token is not None and "extPatientId" not in tokens.id_token
    assert tokens.hook_call is not None and tokens.hook_call["outcome"] == "UNCHANGED"
    assert tokens.hook_call["response"]["status"] == 204  # the guide answers 204 when it has nothing to add


def test_client_credentials_and_refresh(okta_tokens):
    """Client credentials mint an access token only (`sub` is the client id); a refresh reissues the patient's
    claim through the hook again (its ID token carries no nonce)."""
    service = okta_tokens(grant="client_credentials")
    assert service.id_token is None and service.access_token["scp"] == ["customScope"]
    assert service.access_token["sub"] == service.access_token["cid"]
    assert "identity" not in service.hook_call["request"]["body"]["data"]
    refreshed = okta_tokens(user=PATIENT, grant="refresh_token")
    assert refreshed.id_token["extPatientId"] == "1235" and "nonce" not in refreshed.id_token
    assert refreshed.hook_call["request"]["body"]["data"]["context"]["protocol"]["request"]["grant_type"] == (
        "refresh_token"
    )


def test_wrong_arguments_are_one_clear_error_and_a_user_of_yours_signs_in_with_its_password(okta_tokens, okta_org):
    with pytest.raises(ValueError, match="grant: one of"):
        okta_tokens(grant="password")
    with pytest.raises(ValueError, match="give no user"):
        okta_tokens(user=PATIENT, grant="client_credentials")
    profile = {
        "firstName": "Rajiv",
        "lastName": "Tal",
        "email": "rajiv.tal@example.com",
        "login": "rajiv.tal@example.com",
    }
    body = {"profile": profile, "credentials": {"password": {"value": "Own-Password-2026"}}}
    headers = {"Authorization": f"SSWS {okta_org.api_token}"}
    assert httpx.post(f"{okta_org.url}/api/v1/users?activate=true", json=body, headers=headers).status_code == 200
    with pytest.raises(ValueError, match="pass its password="):
        okta_tokens(user="rajiv.tal@example.com")
    tokens = okta_tokens(user="rajiv.tal@example.com", password="Own-Password-2026")
    assert tokens.id_token["extPatientId"] == "4235"  # the guide's third patient


def test_a_hook_that_is_down_fails_the_fixture_instead_of_passing_on_tokens_as_minted(okta_org):
    """Token hook reference "Troubleshoot": Okta issues the tokens unmodified when the call fails. An expectation of
    "no claim" would pass on them: the fixture raises, and gives them only when asked to."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/tokenHook"
    issuer = issuer_for(okta_org, url)
    with pytest.raises(TokenHookFailed, match=r"the call failed \(connection\)"):
        issuer(user="pat.doe@example.com")
    tokens = issuer(user="pat.doe@example.com", allow_hook_failure=True)
    assert tokens.hook_call["failure"] == "connection" and "extPatientId" not in tokens.id_token


def test_a_hook_that_was_not_called_fails_the_fixture(okta_org, scripted):
    """An INACTIVE hook is not called (inline hooks API); the tokens are minted without it."""
    issuer = issuer_for(okta_org, f"{scripted}/respond/token-other-patient")
    issuer.api.post(f"/api/v1/inlineHooks/{issuer.hook_id}/lifecycle/deactivate")
    with pytest.raises(TokenHookFailed, match="was not called"):
        issuer(user=PATIENT)


def test_a_patch_okta_drops_fails_the_fixture(okta_org, scripted):
    """Reserved claims: a patch touching `sub` of the ID token is dropped whole (its allowed claim too)."""
    issuer = issuer_for(okta_org, f"{scripted}/respond/token-reserved")
    with pytest.raises(TokenHookFailed, match="Okta dropped its patch"):
        issuer(user=PATIENT)


def test_an_error_object_is_okta_s_server_error(okta_org, scripted):
    issuer = issuer_for(okta_org, f"{scripted}/respond/token-error")
    with pytest.raises(OktaTokenError) as refused:
        issuer(user=PATIENT)
    assert (refused.value.error, refused.value.description) == ("server_error", "Human-readable summary of the error")
    assert refused.value.hook_call["outcome"] == "ERROR"


def test_another_answer_fails_the_expectation(okta_org, scripted):
    """A hook that answers another patient id: the expectation on the claim fails, it does not pass by default."""
    tokens = issuer_for(okta_org, f"{scripted}/respond/token-other-patient")(user=PATIENT)
    assert tokens.id_token["extPatientId"] == "4321" != "1235"


def test_the_checks_refuse_a_forged_token_another_audience_and_another_nonce(okta_tokens):
    """The fixture's checks are PyJWT's signature, issuer and audience checks and OIDC Core's nonce and at_hash:
    a token signed by another key, for another audience or with another nonce is refused."""
    tokens = okta_tokens(user=PATIENT)
    jwks = jwt.PyJWKSet.from_dict(httpx.get(okta_tokens.issuer + "/v1/keys").json())
    id_token = tokens.response["id_token"]
    kid = jwt.get_unverified_header(id_token)["kid"]
    forged = jwt.encode(
        {**tokens.id_token, "extPatientId": "9999"},
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        algorithm="RS256",
        headers={"kid": kid},
    )
    aud = tokens.id_token["aud"]
    with pytest.raises(jwt.InvalidSignatureError):
        verified_claims(forged, jwks, okta_tokens.issuer, aud)
    with pytest.raises(jwt.InvalidAudienceError):
        verified_claims(id_token, jwks, okta_tokens.issuer, "api://default")
    with pytest.raises(jwt.InvalidTokenError, match="nonce"):
        check_id_token(tokens.id_token, "another-nonce", tokens.response["access_token"])
    with pytest.raises(jwt.InvalidTokenError, match="at_hash"):
        check_id_token(tokens.id_token, None, tokens.response["access_token"] + "x")


MINE = """
def test_patient(okta_tokens):
    assert okta_tokens(user="jessie.smith@example.com").id_token["extPatientId"] == "1235"

def test_not_a_patient(okta_tokens):
    assert "extPatientId" not in okta_tokens(user="pat@example.com").id_token
"""


def test_a_team_s_one_line_tests_fail_against_a_hook_that_answers_something_else(pytester, scripted):
    """How a team uses it: `--okta-hook-url URL --okta-hook-type token` (`-k` keeps the verify items out of this
        run). The one-line expectations that pass against the guide's hook (the tests above, through the ini's `sample`)
        both fail against a hook that answers another patient id. In this process (a pytest process costs seconds to
    start), without pytest-playwright, whose soft-assertion scope does not nest."""
    pytester.makepyfile(test_mine=MINE)
    args = (
        "-p",
        "no:cacheprovider",
        "-p",
        "no:xdist",
        "-p",
        "no:playwright",
        "-q",
        "-k",
        "test_patient or test_not_a_patient",
    )
    other = f"{scripted}/respond/token-other-patient"
    result = pytester.runpytest_inprocess(*args, "--okta-hook-url", other, "--okta-hook-type", "token")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*assert '4321' == '1235'*"])


def test_the_scripted_hook_answers_each_user_as_its_login_names(okta_org, scripted):
    """`/token-by-login` (the token cases' rules are proved with it, one run for several answers): the canned
    answer a login's `<name>+` names, and a 404 (a failed call: tokens as minted) for a login that names none."""
    issuer = issuer_for(okta_org, f"{scripted}/token-by-login")
    tokens = issuer(user="token-other-patient+kim@example.com")
    assert tokens.id_token["extPatientId"] == "4321"
    with pytest.raises(TokenHookFailed, match=r"the call failed \(http_status\)"):
        issuer(user="kim@example.com")
