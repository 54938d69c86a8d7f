"""`mock-okta org check | attach | restore | cleanup` (in-process; tests/cli/test_rehearsal.py runs them as real
processes), against a mock org served on loopback: the org path's findings are one line each, and restore puts the
org back exactly."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

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
