"""`mock-okta org check | attach | restore | cleanup` (in-process; tests/cli/test_rehearsal.py runs them as real
processes), against a mock org served on loopback: the org path's findings are one line each, and restore puts the
org back exactly."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import httpx
import pytest

from mock_okta.hook.settings import CallSettings
from mock_okta.org.models import Access, HookStatus, UserStatus

from .helpers import cli


def org(okta_org, *args: str, cwd: Path, token: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"OKTA_ORG_URL": okta_org.url, "OKTA_API_TOKEN": token or okta_org.api_token, "COLUMNS": "200"}
    with contextlib.chdir(cwd):  # the state file's default place is the working folder
        return cli("org", *args, env=env)


def test_check_attach_check_restore(okta_org, sample_hook, tmp_path):
    before = org(okta_org, "check", cwd=tmp_path)
    assert before.returncode == 1
    assert "FAIL no registration inline hook is attached" in before.stdout

    attached = org(
        okta_org, "attach", "--hook-url", sample_hook.hook_url, "--auth-header", sample_hook.auth_header, cwd=tmp_path
    )
    assert attached.returncode == 0, attached.stderr
    assert (tmp_path / ".mock-okta-org.json").exists()
    [hook] = okta_org.org.store.inline_hooks()
    assert okta_org.org.store.policy().inline_hook_id == hook.id

    ready = org(okta_org, "check", cwd=tmp_path)
    assert ready.returncode == 0, ready.stdout
    assert ready.stdout.splitlines()[-1] == "ok   Okta reaches the hook: a generated example.com sign-up gets ALLOW"
    assert sample_hook.auth_header.split(": ")[1] not in ready.stdout + attached.stdout

    restored = org(okta_org, "restore", cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert okta_org.org.store.inline_hooks() == [] and okta_org.org.store.policy().inline_hook_id is None
    assert not (tmp_path / ".mock-okta-org.json").exists()


def test_restore_puts_back_the_hook_that_was_attached_before(okta_org, sample_hook, scripted, tmp_path):
    original = okta_org.attach_hook(f"{scripted[1]}/respond/allow", name="The team's hook")
    org(okta_org, "attach", "--hook-url", sample_hook.hook_url, cwd=tmp_path)
    org(okta_org, "attach", "--hook-url", sample_hook.hook_url, cwd=tmp_path)  # a second attach replaces the first
    assert len(okta_org.org.store.inline_hooks()) == 2
    assert org(okta_org, "restore", cwd=tmp_path).returncode == 0
    assert [h.id for h in okta_org.org.store.inline_hooks()] == [original.id]
    assert okta_org.org.store.policy().inline_hook_id == original.id


@pytest.mark.parametrize(
    ("behaviour", "finding"),
    [
        ("hang", "FAIL Okta could not call the hook: E0000137"),
        ("status/500", "FAIL Okta could not call the hook: E0000134"),
        # execute answers E0000134 when the answer breaks the data contract (Inline Hooks API, execute).
        ("respond/action-key", "FAIL Okta could not call the hook: E0000134"),
    ],
)
def test_check_reports_a_hook_okta_cannot_use(okta_org, scripted, tmp_path, behaviour, finding):
    okta_org.org.settings.call = CallSettings(timeout=0.3, max_retries=0)
    okta_org.attach_hook(f"{scripted[1]}/{behaviour}")
    result = org(okta_org, "check", cwd=tmp_path)
    assert result.returncode == 1 and finding in result.stdout


def test_check_reports_registration_off_and_an_inactive_hook(okta_org, scripted, tmp_path):
    hook = okta_org.attach_hook(f"{scripted[1]}/respond/allow")
    okta_org.org.store.update_policy(access=Access.DENY)
    okta_org.org.inline_hooks.set_status(hook, HookStatus.INACTIVE)
    result = org(okta_org, "check", cwd=tmp_path)
    assert result.returncode == 1
    assert "FAIL self-service registration is off" in result.stdout
    assert "FAIL the attached hook 'Hook under test' is INACTIVE" in result.stdout


def test_a_wrong_token_is_one_line_and_changes_nothing(okta_org, sample_hook, tmp_path):
    result = org(okta_org, "attach", "--hook-url", sample_hook.hook_url, cwd=tmp_path, token="wrong")
    assert result.returncode == 1
    assert result.stderr.strip() == "mock-okta: error: the API token was refused (E0000011): check OKTA_API_TOKEN"
    assert okta_org.org.store.inline_hooks() == []
    check = org(okta_org, "check", cwd=tmp_path, token="wrong")
    assert check.stdout.strip() == "FAIL the API token was refused (E0000011): check OKTA_API_TOKEN"


def test_cleanup_deletes_only_the_users_runs_created(okta_org, tmp_path):
    store = okta_org.org.store
    for login in (
        "mokta1a2b-0-x@example.com",
        "mokta1a2b-1-y@gmail.com",
        "mokta9999-0-z@example.com",
        "real@example.com",
    ):
        store.create_user({"login": login, "email": login}, UserStatus.PROVISIONED)
    one_run = org(okta_org, "cleanup", "--run-tag", "mokta1a2b", cwd=tmp_path)
    assert one_run.returncode == 0 and "deleted 2 user(s)" in one_run.stdout
    assert org(okta_org, "cleanup", cwd=tmp_path).stdout.startswith("deleted 1 user(s)")
    assert [u.login for u in store.users()] == ["real@example.com"]
    refused = org(okta_org, "cleanup", "--run-tag", "real", cwd=tmp_path)
    assert refused.returncode == 2 and "must start with 'mokta'" in refused.stderr


def test_cleanup_finds_users_whose_uid_is_not_first_and_refuses_an_untagged_address(okta_org, tmp_path):
    """`slow.{uid}@acme.test` (issue 19 item 9): Okta's user search has only `sw` for this (docs
    reference/core-okta-api "Operators"), so `--cases` gives cleanup the text before `{uid}`."""
    store = okta_org.org.store
    for login in ("slow.mokta1a2b3c4d-1-aa@acme.test", "mokta1a2b3c4d-2-bb@acme.test", "slow.pat@acme.test"):
        store.create_user({"login": login, "email": login}, UserStatus.PROVISIONED)
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "cases:\n  - {name: slow, profile: {email: 'slow.{uid}@acme.test'}, expect: allow}\n"
        "  - {name: fast, profile: {email: '{uid}@acme.test'}, expect: allow}\n"
    )
    result = org(okta_org, "cleanup", "--cases", str(cases), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("deleted 2 user(s)")
    assert [u.login for u in store.users()] == ["slow.pat@acme.test"]

    fixed = tmp_path / "fixed.yaml"
    fixed.write_text("cases:\n  - {name: pat, profile: {email: pat@acme.test}, expect: allow}\n")
    refused = org(okta_org, "cleanup", "--cases", str(fixed), cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip().startswith(f"mock-okta: error: {fixed}: case 'pat': the email 'pat@acme.test' has no")
    assert len(refused.stderr.strip().splitlines()) == 1


def test_an_org_runs_own_cleanup_deletes_every_user_it_signed_up(okta_org):
    """The browser cases' run on an org target deletes what it signed up, `{uid}` first or not."""
    from mock_okta.okta_org.client import OrgClient
    from mock_okta.testing.targets import OrgTarget

    target = OrgTarget(users=OrgClient(okta_org.url, okta_org.api_token), base_url=okta_org.url)
    store = okta_org.org.store
    for template in ("slow.{uid}@acme.test", "{uid}@example.com"):
        email = template.replace("{uid}", target.uid())
        target.track(template, email)
        store.create_user({"login": email, "email": email}, UserStatus.PROVISIONED)
    store.create_user({"login": "slow.pat@acme.test", "email": "slow.pat@acme.test"}, UserStatus.PROVISIONED)
    target.cleanup()
    assert [u.login for u in store.users()] == ["slow.pat@acme.test"]


def test_check_says_which_hook_the_org_calls_and_fails_when_it_is_not_the_one_under_test(
    okta_org, sample_hook, scripted, tmp_path
):
    """Issue 19 item 4: forgetting `attach` left the org calling another hook, and `org check` passed. The org calls
    the hook its profile enrollment policy names in `preRegistrationInlineHooks` (spec ProfileEnrollmentPolicyRule
    Action), at its channel's `config.uri` (spec InlineHookChannelConfig)."""
    okta_org.attach_hook(f"{scripted[1]}/respond/allow", name="The old hook")
    other = org(okta_org, "check", "--hook-url", sample_hook.hook_url, cwd=tmp_path)
    assert other.returncode == 1
    assert (
        f"FAIL the org calls 'The old hook' ({scripted[1]}/respond/allow), not the hook under test "
        f"{sample_hook.hook_url}: mock-okta org attach --hook-url URL"
    ) in other.stdout
    assert "Okta reaches the hook" not in other.stdout  # nothing is called on the wrong hook's behalf

    org(okta_org, "attach", "--hook-url", sample_hook.hook_url, "--auth-header", sample_hook.auth_header, cwd=tmp_path)
    same = org(okta_org, "check", "--hook-url", sample_hook.hook_url.replace("http://", "HTTP://"), cwd=tmp_path)
    assert same.returncode == 0, same.stdout
    assert f"ok   the org calls the hook 'mock-okta: hook under test' ({sample_hook.hook_url})" in same.stdout
    assert "ok   that is the hook under test" in same.stdout


def test_a_token_pasted_with_its_ssws_scheme_gets_a_hint(okta_org, tmp_path):
    """Okta's header is `Authorization: SSWS {token}` (docs guides/create-an-api-token/main): the scheme pasted into the
    token is named in one line, and the token itself is not echoed."""
    for command in (("check",), ("cleanup",), ("restore",)):
        result = org(okta_org, *command, cwd=tmp_path, token=f"SSWS {okta_org.api_token}")
        assert result.returncode == 2
        assert result.stderr.strip() == (
            "mock-okta: error: the API token starts with 'SSWS ': give the token alone (--api-token or "
            "OKTA_API_TOKEN), mock-okta sends 'Authorization: SSWS <token>' itself"
        )
    from mock_okta.testing.targets import preflight

    assert preflight(okta_org.url, "ssws abc").problem.startswith("the API token starts with 'SSWS '")


def test_attach_creates_an_oauth_hook_with_a_secret_from_the_environment_or_an_org_hook_key(okta_org, tmp_path):
    """Issue 19 item 10: `org attach --oauth-*` as `fire`/`verify` have them. The channel is OAUTH with the config of
    spec InlineHookOAuthClientSecretConfigCreate (clientSecret) or InlineHookOAuthPrivateKeyJwtConfig (hookKeyId,
    "the hook key pair generated from the Hook Keys API"); the secret comes from MOCK_OKTA_OAUTH_CLIENT_SECRET and is
    never printed."""
    token_url = okta_org.url + "/oauth2/default/v1/token"
    oauth = ("--oauth-token-url", token_url, "--oauth-client-id", "0oahook", "--oauth-scope", "okta.hooks")
    secret = "s3cret-from-the-environment"
    env = {"OKTA_ORG_URL": okta_org.url, "OKTA_API_TOKEN": okta_org.api_token, "MOCK_OKTA_OAUTH_CLIENT_SECRET": secret}
    with contextlib.chdir(tmp_path):
        attached = cli("org", "attach", "--hook-url", "https://hooks.acme.test/okta", *oauth, env=env)
    assert attached.returncode == 0, attached.stderr
    assert secret not in attached.stdout + attached.stderr
    [hook] = okta_org.org.store.inline_hooks()
    assert okta_org.org.store.policy().inline_hook_id == hook.id
    channel = hook.channel
    assert channel.type == "OAUTH" and channel.auth_scheme is None
    assert (channel.oauth.auth_type, channel.oauth.client_id, channel.oauth.token_url, channel.oauth.scope) == (
        "client_secret_post", "0oahook", token_url, "okta.hooks",
    )  # fmt: skip
    assert channel.oauth.client_secret == secret
    assert org(okta_org, "restore", cwd=tmp_path).returncode == 0

    key = okta_org.org.hook_keys.create({"name": "hook signing key"})
    keyed = org(okta_org, "attach", "--hook-url", "https://hooks.acme.test/okta", *oauth[:4],
                "--oauth-hook-key-id", key.id, cwd=tmp_path)  # fmt: skip
    assert keyed.returncode == 0, keyed.stderr
    [hook] = okta_org.org.store.inline_hooks()
    assert (hook.channel.oauth.auth_type, hook.channel.oauth.hook_key_id) == ("private_key_jwt", key.id)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--oauth-client-id", "0oa1"), "an OAuth 2.0 channel needs --oauth-token-url and --oauth-client-id"),
        (("--oauth-token-url", "https://a.test/t", "--oauth-client-id", "0oa1"), "give --oauth-client-secret"),
        (("--oauth-private-key", "/dev/zero"), "an org signs private_key_jwt with a hook key it generated"),
        (
            ("--auth-header", "X-Key: k", "--oauth-token-url", "https://a.test/t", "--oauth-client-id", "0oa1",
             "--oauth-client-secret", "s"),
            "give --auth-header (an HTTP channel) or the --oauth-* options",
        ),
    ],
)  # fmt: skip
def test_attach_oauth_mistakes_are_one_line_and_change_nothing(okta_org, tmp_path, args, said):
    result = org(okta_org, "attach", "--hook-url", "https://hooks.acme.test/okta", *args, cwd=tmp_path)
    assert result.returncode == 2 and said in result.stderr and len(result.stderr.splitlines()) == 1
    assert okta_org.org.store.inline_hooks() == []


def test_a_failed_case_on_an_org_prints_the_system_log_events_of_its_address(okta_org):
    """Issue 19 item 11: on an org target the only hint was "see the org's System Log for <email>". The events come
    from `GET /api/v1/logs` with a `filter` on `target.alternateId` / `actor.alternateId` (okta-developer-docs
    reference/api/system-log at 982a3bc1c1^, "Filtering results"; spec LogEvent `target[].alternateId`)."""
    from mock_okta.okta_org.client import OrgClient
    from mock_okta.testing.targets import OrgTarget

    target = OrgTarget(users=OrgClient(okta_org.url, okta_org.api_token), base_url=okta_org.url)
    email, other = f"{target.uid()}@acme.test", f"{target.uid()}@acme.test"
    for address in (email, other):
        created = httpx.post(
            okta_org.url + "/api/v1/users?activate=false",
            headers=okta_org.api_headers,
            json={"profile": {"firstName": "Pat", "lastName": "Doe", "email": address, "login": address}},
        )
        assert created.status_code == 200, created.text
    said = target.explain(email)
    assert said.startswith(f"the org's System Log for {email}")
    assert " user.lifecycle.create SUCCESS: " in said and other not in said
    assert target.explain("nobody@acme.test") == (
        "the org's System Log has no event for nobody@acme.test since the run started"
    )
