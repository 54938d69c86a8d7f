"""`mock-okta verify` and the `fire --expect*` options against real hooks on loopback (in-process; one verify as a
real process). A hook that fails is never reported as denying."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET

import httpx
import pytest

from .helpers import AUTH, Run, cli, fire_at, mock_okta

CASES = """
cases:
  - name: example.com is allowed
    profile: {email: "{uid}@example.com"}
    expect: allow
  - name: other domains are denied
    profile: {email: "{uid}@gmail.com"}
    expect: deny
    message: "Only example.com emails can register."
    field: email
"""


def verify(url: str, *args: str, run: Run = cli) -> subprocess.CompletedProcess[str]:
    return run("verify", "--hook-url", url, "--timeout", "1", *args)


def results_by_name(output: str) -> dict[str, dict]:
    return {r["name"]: r for r in json.loads(output)["results"]}


@pytest.mark.subprocess
def test_a_conforming_hook_passes_every_check_and_case(sample_hook, tmp_path):
    junit = tmp_path / "verify.xml"
    result = verify(sample_hook.hook_url, "--auth-header", AUTH, "--junit-xml", str(junit), run=mock_okta)
    assert result.returncode == 0, result.stdout
    assert "12 passed, 0 failed" in result.stdout
    suite = ET.parse(junit).getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("12", "0", "0")
    names = [case.get("name") for case in suite.iter("testcase")]
    assert "a missing auth header is refused" in names and "other domains are denied" in names


def test_a_hook_that_allows_everyone_fails_the_deny_case(scripted, tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text(CASES)
    result = verify(f"{scripted[1]}/respond/allow", "--cases", str(cases), "--json")
    assert result.returncode == 1
    by_name = results_by_name(result.stdout)
    assert by_name["example.com is allowed"]["passed"] is True
    assert by_name["other domains are denied"]["problems"][0] == "expected DENY, but Okta's outcome is ALLOW"
    assert by_name["a missing auth header is refused"]["skipped"] == "no --auth-header or --oauth-* given"


def test_a_dead_hook_fails_even_the_deny_case(tmp_path):
    """A refused connection makes Okta show its generic error: that is a failure, not the hook's deny."""
    result = verify("http://127.0.0.1:9/registrationHook", "--json")
    assert result.returncode == 1
    denied = results_by_name(result.stdout)["other domains are denied"]
    assert denied["problems"][0].startswith("expected DENY, but the hook call failed (connection)")


def test_an_open_hook_fails_the_auth_checks(scripted):
    result = verify(f"{scripted[1]}/respond/allow", "--auth-header", "Authorization: Basic x", "--json")
    by_name = results_by_name(result.stdout)
    assert "anyone could call it" in by_name["a missing auth header is refused"]["problems"][0]
    assert "anyone could call it" in by_name["a wrong auth header is refused"]["problems"][0]


@pytest.mark.parametrize(
    ("behaviour", "check", "problem"),
    [
        ("respond/action-key", "every answer matches the response schema", "value.registration: Field required"),
        ("redirect", "no answer is a redirect", "Okta does not follow redirects"),
        ("hang", "answers within the deadline with margin", "the call failed (timeout)"),
    ],
)
def test_a_misbehaving_hook_fails_the_named_check(scripted, behaviour, check, problem):
    # The last --timeout wins: 0.2 s instead of 1 s per call, as the hook that hangs is called by every check (11 s);
    # the rule is that a hang fails this check, whatever the deadline.
    result = verify(f"{scripted[1]}/{behaviour}", "--retries", "0", "--json", "--timeout", "0.2")
    assert result.returncode == 1
    assert problem in " ".join(results_by_name(result.stdout)[check]["problems"])


@pytest.mark.parametrize(
    ("behaviour", "check"),
    [("respond/action-key", "every answer matches the response schema"), ("redirect", "no answer is a redirect")],
)
def test_a_fast_answer_okta_cannot_use_fails_its_own_check_not_the_deadline_s(scripted, behaviour, check):
    result = verify(f"{scripted[1]}/{behaviour}", "--retries", "0", "--json")
    assert result.returncode == 1
    by_name = results_by_name(result.stdout)
    assert not by_name[check]["passed"]
    latency = by_name["answers within the deadline with margin"]
    assert latency["passed"], f"an answer in time is not a latency problem: {latency['problems']}"


def test_verify_classic_runs_the_cases_with_classic_requests(sample_hook, tmp_path):
    """`--engine classic`: Classic requests; the progressive-profile check is skipped, the deny case's text is checked
    in the banner (no field on Classic)."""
    cases = tmp_path / "cases.yaml"
    cases.write_text(CASES)
    result = verify(sample_hook.hook_url, "--auth-header", AUTH, "--cases", str(cases), "--engine", "classic", "--json")
    assert result.returncode == 0, result.stdout
    results = results_by_name(result.stdout)
    assert results["progressive-profile requests do not break it"]["skipped"]
    assert results["other domains are denied"]["passed"]
    sent = results["other domains are denied"]["runs"][0]["request"]["body"]
    assert "requestType" not in sent


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "v1"], "--engine must be ie or classic"),
        (["--cases", "/nonexistent.yaml"], "cannot read the cases file"),
        (["--timeout", "0"], "--timeout"),
        (["--auth-header", "no colon"], "header must look like"),
    ],
)
def test_verify_usage_errors_are_one_line(args, message):
    result = verify("http://127.0.0.1:9/h", *args)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_malformed_cases_file_names_case_and_key(tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text("cases:\n  - name: broken\n    profile: {email: a@example.com}\n    expect: maybe\n")
    result = verify("http://127.0.0.1:9/h", "--cases", str(cases))
    assert result.returncode == 2
    assert f"{cases}: case 'broken': expect: required, one of allow, deny, failure" in result.stderr


@pytest.mark.parametrize(
    ("args", "exit_code", "stderr"),
    [
        (
            ["--domain", "gmail.com", "--expect", "deny", "--expect-message", "Only example.com emails can register."],
            0,
            "",
        ),
        (["--domain", "gmail.com", "--expect-field", "email"], 0, ""),
        (["--domain", "gmail.com", "--expect-message", "Welcome"], 1, "expected the end user to see 'Welcome'"),
        (["--domain", "example.com", "--expect-profile", "department=Eng"], 1, "expected the hook to set department"),
        (["--domain", "example.com", "--expect", "failure"], 1, "expected the hook call to fail"),
        (["--domain", "example.com", "--max-ms", "0.001"], 1, "over the 0 ms budget"),
        (["--expect", "allow", "--expect-message", "x"], 2, "contradicts"),
    ],
)
def test_fire_expectations(sample_hook, args, exit_code, stderr):
    result = fire_at(sample_hook, *args)
    assert result.returncode == exit_code, result.stderr
    assert stderr in result.stderr


def test_fire_expect_deny_fails_on_a_dead_hook():
    result = cli("fire", "--hook-url", "http://127.0.0.1:9/h", "--retries", "0", "--expect", "deny")
    assert result.returncode == 1 and "the hook call failed (connection)" in result.stderr
    assert cli("fire", "--hook-url", "http://127.0.0.1:9/h", "--retries", "0", "--expect", "failure").returncode == 0


def test_junit_xml_stays_readable_whatever_the_texts_hold(scripted, tmp_path):
    """A case name or a hook's text may hold characters XML 1.0 cannot carry; the report must still parse."""
    cases = tmp_path / "cases.yaml"
    cases.write_text('cases:\n  - name: "bell \\x07 case"\n    profile: {email: "{uid}@gmail.com"}\n    expect: deny\n')
    junit = tmp_path / "verify.xml"
    result = verify(f"{scripted[1]}/respond/allow", "--cases", str(cases), "--junit-xml", str(junit))
    assert result.returncode == 1
    names = [case.get("name") for case in ET.parse(junit).getroot().iter("testcase")]
    assert "bell \ufffd case" in names


def test_fire_update_sends_what_the_signed_in_user_submits(sample_hook):
    """Issue: a profile-update request always carried a random employeeNumber, so the hook's rule went untried."""
    denied = fire_at(sample_hook, "--update", "employeeNumber=12", "--json", "--expect", "deny")
    assert denied.returncode == 0, denied.stderr
    doc = json.loads(denied.stdout)
    assert doc["request"]["body"]["requestType"] == "progressive.profile"
    assert doc["request"]["body"]["data"]["userProfileUpdate"] == {"employeeNumber": 12}
    allowed = fire_at(sample_hook, "--update", 'employeeNumber="1234"', "--expect", "allow")
    assert allowed.returncode == 0, allowed.stderr
    wrong = fire_at(sample_hook, "--update", "employeeNumber=1234", "--request-type", "registration")
    assert wrong.returncode == 2 and "profile-update request" in wrong.stderr


def test_a_profile_update_outside_the_schema_is_red_until_the_orgs_schema_says_otherwise(scripted, tmp_path):
    """Issue: verify and fire ignored the user schema: an update naming `favoriteColor` was green, and invalid on
    the org. Without `--schema`, Okta's base schema; with the org's schema (saved from the Users schema API), its
    custom attributes too."""
    url = f"{scripted[1]}/respond/custom-attribute-update"
    assert cli("fire", "--hook-url", url, "--expect", "allow").returncode == 1
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"definitions": {"custom": {"properties": {"favoriteColor": {"type": "string"}}}}}))
    assert cli("fire", "--hook-url", url, "--expect", "allow", "--schema", str(schema)).returncode == 0
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "cases:\n  - {name: colour, profile: {email: '{uid}@example.com'}, expect: allow,"
        " profile_updates: {favoriteColor: teal}}\n"
    )
    red = json.loads(cli("verify", "--hook-url", url, "--cases", str(cases), "--json").stdout)
    assert not {r["name"]: r["passed"] for r in red["results"]}["colour"]
    green = cli("verify", "--hook-url", url, "--cases", str(cases), "--json", "--schema", str(schema))
    assert {r["name"]: r["passed"] for r in json.loads(green.stdout)["results"]}["colour"]
    bad = cli("fire", "--hook-url", url, "--schema", str(cases))
    assert bad.returncode == 2 and bad.stderr.startswith("mock-okta: error: --schema")


@pytest.mark.parametrize(
    ("make_key", "said"),
    [
        (lambda path: path.write_bytes(_ec_key()), "is not an RSA key: private_key_jwt hook keys sign with RS256"),
        (lambda path: path.write_text("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n"), "PEM"),
        (lambda path: path.write_bytes(b"k" * (65 * 1024)), "larger than a private key"),
    ],
    ids=["ec-p256", "garbage-pem", "huge"],
)
def test_an_oauth_private_key_that_is_not_an_rsa_key_is_one_line(tmp_path, make_key, said):
    """Hardening round 2, row 8: an EC key was a traceback (InvalidKeyError) and /dev/zero was read without bound."""
    key = tmp_path / "key.pem"
    make_key(key)
    oauth = ("--oauth-token-url", "http://127.0.0.1:9/token", "--oauth-client-id", "c", "--oauth-private-key")
    for command in ("fire", "verify"):
        result = cli(command, "--hook-url", "http://127.0.0.1:9/h", *oauth, str(key))
        assert result.returncode == 2 and said in result.stderr and "Traceback" not in result.stderr
    endless = cli("fire", "--hook-url", "http://127.0.0.1:9/h", *oauth, "/dev/zero")
    assert endless.returncode == 2 and "larger than a private key" in endless.stderr


def _ec_key() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
        (b'{"definitions": {"custom": {"properties": {"x": NaN}}}}', "NaN"),
        (b"\xff\xfe", "--schema"),
    ],
    ids=["deep", "nan", "not-utf8"],
)
def test_a_hostile_schema_file_is_one_line(tmp_path, content, said):
    schema = tmp_path / "schema.json"
    schema.write_bytes(content)
    result = cli("fire", "--hook-url", "http://127.0.0.1:9/h", "--schema", str(schema))
    assert result.returncode == 2 and said in result.stderr and "Traceback" not in result.stderr
    endless = cli("verify", "--hook-url", "http://127.0.0.1:9/h", "--schema", "/dev/zero")
    assert endless.returncode == 2 and "larger than a user schema" in endless.stderr


def test_org_url_judges_profile_updates_against_that_orgs_user_schema(scripted, okta_org, tmp_path):
    """Issue 19 item 5: `--org-url` (with its token) reads the org's schema from `GET
    /api/v1/meta/schemas/user/default` (okta-management-openapi-spec `UserSchema`: `definitions.base` and
    `definitions.custom`), as `--schema FILE` reads it from a file: `favoriteColor` is red until the org has it."""
    url = f"{scripted[1]}/respond/custom-attribute-update"
    org = ("--org-url", okta_org.url, "--api-token", okta_org.api_token)
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "cases:\n  - {name: colour, profile: {email: '{uid}@example.com'}, expect: allow,"
        " profile_updates: {favoriteColor: teal}}\n"
    )

    def colour_passes() -> bool:
        result = cli("verify", "--hook-url", url, "--cases", str(cases), "--json", *org)
        return {r["name"]: r["passed"] for r in json.loads(result.stdout)["results"]}["colour"]

    assert cli("fire", "--hook-url", url, "--expect", "allow", *org).returncode == 1
    assert not colour_passes()
    added = httpx.post(
        okta_org.url + "/api/v1/meta/schemas/user/default",
        headers=okta_org.api_headers,
        json={"definitions": {"custom": {"properties": {"favoriteColor": {"type": "string", "title": "Colour"}}}}},
    )
    assert added.status_code == 200, added.text
    assert cli("fire", "--hook-url", url, "--expect", "allow", *org).returncode == 0
    assert colour_passes()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--api-token", "SSWS 00abc"), "the API token starts with 'SSWS ': give the token alone"),
        (("--api-token", "wrong"), "--org-url: the API token was refused (E0000011)"),
        (("--api-token", "x", "--schema", "/dev/null"), "give --schema (a file) or --org-url"),
    ],
)
def test_org_url_mistakes_are_one_line(okta_org, args, said):
    result = cli("fire", "--hook-url", "http://127.0.0.1:9/h", "--org-url", okta_org.url, *args)
    assert result.returncode == 2 and result.stderr.startswith("mock-okta: error: ")
    assert said in result.stderr and len(result.stderr.splitlines()) == 1
    assert "00abc" not in result.stderr
