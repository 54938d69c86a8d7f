"""Issue 20, second pass: the journey where the mock and Okta's sources still disagreed. Each test names its source:
the widget's IDX fixtures (okta-signin-widget `playground/mocks/data/idp/idx/`, `src/v3/src/mocks/`), Okta's developer
docs (okta-developer-docs), or the Management API spec (okta-management-openapi-spec
`dist/current/management-oneOfInheritance.yaml`)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

from mock_okta.hooktypes.registration.contract import ProgressiveProfileRequest, validate_request
from mock_okta.org import Store
from mock_okta.org.models import ProfileAttribute, ProgressiveProfiling
from mock_okta.org.store import DEFAULT_ATTRIBUTES

from .test_journey import PASSWORD, api_user, identified, idx, org, require_employee_number

__all__ = ["org"]


# -- row 14: passwordChanged ----------------------------------------------------------------------------------------
def test_users_api_password_changed_is_the_last_password_change(org):
    """Spec `User.passwordChanged`: "The timestamp when the user's password was last updated", nullable: set by a
    password, null without one."""
    _, client = org
    with_password = api_user(client, "bo@example.com")
    without = api_user(client, "al@example.com", password=None)
    assert with_password["passwordChanged"] is not None and with_password["passwordChanged"].endswith("Z")
    assert without["passwordChanged"] is None


def test_the_progressive_profile_request_has_the_users_password_change_not_the_calls_time(org, sample_hook):
    """Spec `RegistrationInlineHookPPData`: `data.context.user.passwordChanged`, "The last time the user's password
    was updated"."""
    mock, client = org
    api_user(client, "bo@example.com")
    user = mock.store.user("bo@example.com")
    # An old change, so that the call's own time cannot pass for it.
    with mock.store._lock:
        mock.store._db.execute(
            "UPDATE users SET password_changed = ? WHERE id = ?", ("2021-03-04T05:06:07.000Z", user.id)
        )
    mock.inline_hooks.create_and_attach("hook", sample_hook.hook_url, sample_hook.auth_header)
    require_employee_number(mock)
    handle, _ = identified(mock, client, "bo@example.com")
    idx(client, "challenge/answer", handle, credentials={"passcode": PASSWORD})
    idx(client, "enroll/update", handle, userProfile={"employeeNumber": "1234"})
    sent = mock.store.hook_calls(limit=1)[0].request_body
    assert isinstance(validate_request(sent), ProgressiveProfileRequest)
    assert sent["data"]["context"]["user"]["passwordChanged"] == "2021-03-04T05:06:07.000Z"


def test_a_store_file_written_before_password_changed_opens_and_gains_the_column(tmp_path):
    """The column came after schema version 4 first shipped: a version-4 file without it still opens (no version
    bump), and gets it, empty."""
    path = str(tmp_path / "org.db")
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE users DROP COLUMN password_changed")
    store = Store(path)
    user = store.create_user({"login": "a@example.com", "email": "a@example.com"}, status="ACTIVE")  # type: ignore[arg-type]
    assert user.password_changed is None
    store.set_password(user.id, "hash")
    assert store.user(user.id).password_changed is not None
    store.close()


# -- row 12: progressive profile with optional attributes ----------------------------------------------------------
def ask_for(mock, *attributes: ProfileAttribute) -> None:
    policy = mock.store.policy()
    rule = replace(policy.rule, progressive_profiling=ProgressiveProfiling.ENABLED)
    mock.store.update_policy(profile_attributes=(*DEFAULT_ATTRIBUTES, *attributes), rule=rule)


def names(doc: dict[str, Any]) -> list[str]:
    return [r["name"] for r in doc["remediation"]["value"]]


def test_new_optional_attributes_are_asked_with_a_skip_that_signs_in(org):
    """okta-signin-widget `playground/mocks/data/idp/idx/enroll-profile-update-all-optional-params.json`: a
    `profile-update` of optional fields beside a `skip` remediation posting to `/idp/idx/skip`."""
    mock, client = org
    api_user(client, "bo@example.com")
    ask_for(mock, ProfileAttribute("employeeNumber", "Employee number", False))
    handle, _ = identified(mock, client, "bo@example.com")
    asked = idx(client, "challenge/answer", handle, credentials={"passcode": PASSWORD}).json()
    assert names(asked) == ["profile-update", "skip"]
    skip = asked["remediation"]["value"][1]
    assert skip["href"].endswith("/idp/idx/skip") and skip["value"][0]["name"] == "stateHandle"
    field = asked["remediation"]["value"][0]["value"][0]["form"]["value"][0]
    assert (field["name"], field["required"]) == ("employeeNumber", False)
    skipped = idx(client, "skip", handle)
    assert skipped.status_code == 200 and skipped.json()["success"]["name"] == "success-redirect"
    assert "employeeNumber" not in mock.store.user("bo@example.com").profile


def test_no_skip_while_a_required_attribute_is_asked(org):
    """The fixture's skip comes with an all-optional form (enroll-profile-update-params.json, with a required field,
    has none): `/idp/idx/skip` does not pass a required attribute by."""
    mock, client = org
    api_user(client, "bo@example.com")
    ask_for(
        mock,
        ProfileAttribute("employeeNumber", "Employee number", True),
        ProfileAttribute("nickName", "Nickname", False),
    )
    handle, _ = identified(mock, client, "bo@example.com")
    asked = idx(client, "challenge/answer", handle, credentials={"passcode": PASSWORD}).json()
    assert names(asked) == ["profile-update"]
    refused = idx(client, "skip", handle)
    assert refused.status_code == 400 and names(refused.json()) == ["profile-update"]
    assert idx(client, "skip", "unknown-handle").status_code == 401
