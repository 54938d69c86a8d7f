"""Issue 20, second pass: the journey where the mock and Okta's sources still disagreed. Each test names its source:
the widget's IDX fixtures (okta-signin-widget `playground/mocks/data/idp/idx/`, `src/v3/src/mocks/`), Okta's developer
docs (okta-developer-docs), or the Management API spec (okta-management-openapi-spec
`dist/current/management-oneOfInheritance.yaml`)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mock_okta.hooktypes.registration.contract import ProgressiveProfileRequest, validate_request
from mock_okta.org import Store
from mock_okta.org.authenticators import EMAIL_AUTHENTICATOR_ID, PASSWORD_AUTHENTICATOR_ID
from mock_okta.org.ion import MOCK_APP
from mock_okta.org.models import ProfileAttribute, ProgressiveProfiling
from mock_okta.org.okta_json import render_log_event
from mock_okta.org.store import DEFAULT_ATTRIBUTES
from mock_okta.org.system_log import JOURNEY_EVENTS

from .test_journey import DEVICE, PASSWORD, api_user, identified, idx, org, page_token, require_employee_number

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


# -- rows 3, 4, 9: after the sign-up form, and the email's magic link ----------------------------------------------
def sign_up_form(mock, client, email: str = "ann@example.com", device: str | None = DEVICE) -> tuple[str, Any]:
    handle = mock.flow.start(device)
    idx(client, "enroll", handle)
    return handle, idx(
        client, "enroll/new", handle, userProfile={"firstName": "Ann", "lastName": "Lee", "email": email}
    )


def test_email_required_gets_the_emails_enrollment_data_and_a_list_of_it_alone(org):
    """Row 9: okta-signin-widget `playground/mocks/data/idp/idx/authenticator-enroll-email-first.json`:
    `authenticator-enrollment-data` for the email (relatesTo currentAuthenticator), then `select-authenticator-enroll`
    offering Email only; no email sent before "Send me an email"."""
    mock, client = org
    _, response = sign_up_form(mock, client)
    doc = response.json()
    assert names(doc) == ["authenticator-enrollment-data", "select-authenticator-enroll"]
    data, select = doc["remediation"]["value"]
    assert data["relatesTo"] == ["$.currentAuthenticator"] and data["href"].endswith("/idp/idx/credential/enroll")
    assert [f["name"] for f in data["value"][0]["form"]["value"]] == ["id", "methodType"]
    (option,) = select["value"][0]["options"]
    assert option["label"] == "Email" and option["relatesTo"] == "$.authenticators.value[0]"
    assert [a["key"] for a in doc["authenticators"]["value"]] == ["okta_email"]
    assert (
        doc["currentAuthenticator"]["value"]["key"] == "okta_email" and "resend" in doc["currentAuthenticator"]["value"]
    )
    assert doc["authenticatorEnrollments"]["value"] == []
    assert mock.store.mailbox("ann@example.com") == []


def test_after_the_email_the_list_offers_what_is_left_and_the_password_keeps_it(org):
    """Row 9: `src/v3/src/mocks/response/idp/idx/challenge/answer/enroll-password-remaining.json` (the list without
    the email, the email among the enrollments) and `credential/enroll/request-password.json` (the password step
    with the list beside it)."""
    mock, client = org
    handle, _ = sign_up_form(mock, client)
    sent = idx(client, "credential/enroll", handle, authenticator={"id": EMAIL_AUTHENTICATOR_ID, "methodType": "email"})
    assert names(sent.json()) == ["enroll-authenticator", "select-authenticator-enroll"]
    code = mock.store.mailbox("ann@example.com")[-1].code
    listed = idx(client, "challenge/answer", handle, credentials={"passcode": code}).json()
    (select,) = listed["remediation"]["value"]
    assert select["name"] == "select-authenticator-enroll"
    assert [(o["label"], o["relatesTo"]) for o in select["value"][0]["options"]] == [
        ("Password", "$.authenticators.value[0]")
    ]
    assert [a["key"] for a in listed["authenticatorEnrollments"]["value"]] == ["okta_email"]
    wrong = idx(client, "credential/enroll", handle, authenticator={"id": EMAIL_AUTHENTICATOR_ID})
    assert wrong.status_code == 400, "the email is set up: no longer offered"
    password = idx(client, "credential/enroll", handle, authenticator={"id": PASSWORD_AUTHENTICATOR_ID}).json()
    assert names(password) == ["enroll-authenticator", "select-authenticator-enroll"]
    assert password["currentAuthenticator"]["value"]["key"] == "okta_password"
    done = idx(client, "challenge/answer", handle, credentials={"passcode": PASSWORD}).json()
    assert done["success"]["name"] == "success-redirect"


def test_the_magic_link_is_email_verify_app_id_with_a_token_parameter(org):
    """Row 4: okta-developer-docs `docs/guides/email-magic-links-overview/main/index.md`: "https://{yourOktaDomain}/
    email/verify/0oa1esny76wdQqjsg697?token=ftlNKCIYA_4WvR6BPbYhyKisVYIF-QLp2t" (an app id, then the token)."""
    mock, client = org
    handle, _ = sign_up_form(mock, client)
    idx(client, "credential/enroll", handle, authenticator={"id": EMAIL_AUTHENTICATOR_ID})
    link = urlsplit(mock.store.mailbox("ann@example.com")[-1].link)
    assert link.path == f"/email/verify/{MOCK_APP['id']}"
    assert list(parse_qs(link.query)) == ["token"]


def test_the_magic_link_in_another_browser_shows_the_code_and_verifies_nothing(org):
    """Row 3: okta-developer-docs `guides/email-magic-links-overview` ("If either their browser or device is
    different, Okta disables the magic link"); the page's document is okta-signin-widget
    `terminal-return-otp-only-full-location-mobile-icon-enrollment.json` (intent ENROLLMENT, the code under
    currentAuthenticator.contextualData.otp)."""
    mock, client = org
    handle, _ = sign_up_form(mock, client)
    idx(client, "credential/enroll", handle, authenticator={"id": EMAIL_AUTHENTICATOR_ID})
    mail = mock.store.mailbox("ann@example.com")[-1]
    path = mail.link.removeprefix(str(client.base_url))
    for cookies in ({}, {"DT": "another-browser"}):
        client.cookies.clear()
        client.cookies.update(cookies)
        page = client.get(path)
        assert page.status_code == 200 and handle not in page.text
        doc = idx(client, "introspect", page_token(page.text)).json()
        assert doc["intent"] == "ENROLLMENT"
        assert doc["messages"]["value"][0]["i18n"] == {"key": "idx.enter.otp.in.original.tab"}
        assert doc["currentAuthenticator"]["value"]["contextualData"]["otp"] == mail.code
    assert idx(client, "challenge/poll", handle).json()["remediation"]["value"][0]["name"] == "enroll-authenticator"
    listed = idx(client, "challenge/answer", handle, credentials={"passcode": mail.code}).json()
    assert listed["remediation"]["value"][0]["name"] == "select-authenticator-enroll", "the code still works"


def test_a_link_opened_when_no_tab_polls_takes_the_transaction_over(org):
    """Row 3: the same browser, the first tab gone: the link's tab goes on; the first one, back, is told "Flow
    continued in a new tab." (okta-signin-widget `playground/mocks/data/idp/idx/terminal-transfered-email.json`)."""
    mock, client = org
    handle, _ = sign_up_form(mock, client)
    idx(client, "credential/enroll", handle, authenticator={"id": EMAIL_AUTHENTICATOR_ID})
    flow = mock.store.flow(handle)
    mock.store.set_flow_step(handle, flow.step, data={**flow.data, "seen": 0})  # its last poll, long ago
    client.cookies.set("DT", DEVICE)
    page = client.get(mock.store.mailbox("ann@example.com")[-1].link.removeprefix(str(client.base_url)))
    taken = page_token(page.text)
    assert taken != handle
    assert idx(client, "introspect", taken).json()["remediation"]["value"][0]["name"] == "select-authenticator-enroll"
    back = idx(client, "challenge/poll", handle).json()
    assert back["messages"]["value"][0]["i18n"] == {"key": "idx.transferred.to.new.tab"}


# -- row 23: the journey's System Log ------------------------------------------------------------------------------
def journey_events(mock, user_id: str) -> list[tuple[str, str, str | None, list[str]]]:
    """(eventType, outcome, reason, target types) of the events about a user, oldest first, as the API renders them."""
    rendered = [render_log_event(e) for e in mock.store.log_events()]
    return [
        (e["eventType"], e["outcome"]["result"], e["outcome"].get("reason"), [t["type"] for t in e["target"]])
        for e in rendered
        if e["target"] and e["target"][0]["id"] == user_id and e["eventType"] in JOURNEY_EVENTS
    ]


def test_a_sign_up_logs_the_code_sent_and_redeemed_each_authenticator_and_the_session(org):
    """okta-developer-docs `data/event-types.json`: system.email.send_factor_verify_message ("An email was sent to a
    user for verification"), system.email.challenge_factor_redeemed (with a failure for an incorrect code),
    user.mfa.factor.activate ("For Identity Engine orgs, this event will fire when an authentication method is
    enrolled", targets AuthenticatorEnrollment), user.session.start ("User login to Okta")."""
    mock, client = org
    handle, _ = sign_up_form(mock, client)
    idx(client, "credential/enroll", handle, authenticator={"id": EMAIL_AUTHENTICATOR_ID})
    idx(client, "challenge/answer", handle, credentials={"passcode": "x"})
    idx(client, "challenge/answer", handle, credentials={"passcode": mock.store.mailbox("ann@example.com")[-1].code})
    idx(client, "credential/enroll", handle, authenticator={"id": PASSWORD_AUTHENTICATOR_ID})
    idx(client, "challenge/answer", handle, credentials={"passcode": PASSWORD})
    user = mock.store.user("ann@example.com")
    assert journey_events(mock, user.id) == [
        ("system.email.send_factor_verify_message", "SUCCESS", None, ["User"]),
        ("system.email.challenge_factor_redeemed", "FAILURE", "INVALID_CREDENTIALS", ["User"]),
        ("system.email.challenge_factor_redeemed", "SUCCESS", None, ["User"]),
        ("user.mfa.factor.activate", "SUCCESS", None, ["User", "AuthenticatorEnrollment"]),
        ("user.mfa.factor.activate", "SUCCESS", None, ["User", "AuthenticatorEnrollment"]),
        ("user.session.start", "SUCCESS", None, ["User"]),
    ]
    start = render_log_event(next(e for e in mock.store.log_events() if e.event_type == "user.session.start"))
    assert start["actor"]["id"] == user.id and start["displayMessage"] == "User login to Okta"


def test_a_sign_in_logs_the_password_verified_or_refused_and_the_session(org):
    """event-types.json: user.authentication.verify, user.authentication.auth_via_mfa ("for Identity Engine orgs,
    this event will fire for both primary and second factor verifications"), user.session.start; a wrong password
    fails with the spec's LogOutcome example reason, INVALID_CREDENTIALS."""
    mock, client = org
    api_user(client, "bo@example.com")
    user = mock.store.user("bo@example.com")
    handle, _ = identified(mock, client, "bo@example.com")
    idx(client, "challenge/answer", handle, credentials={"passcode": "Wrong-Pass-1"})
    idx(client, "challenge/answer", handle, credentials={"passcode": PASSWORD})
    password = ["User", "AuthenticatorEnrollment"]
    assert journey_events(mock, user.id) == [
        ("user.authentication.verify", "FAILURE", "INVALID_CREDENTIALS", password),
        ("user.authentication.auth_via_mfa", "FAILURE", "INVALID_CREDENTIALS", password),
        ("user.session.start", "FAILURE", "INVALID_CREDENTIALS", ["User"]),
        ("user.authentication.verify", "SUCCESS", None, password),
        ("user.authentication.auth_via_mfa", "SUCCESS", None, password),
        ("user.session.start", "SUCCESS", None, ["User"]),
    ]
