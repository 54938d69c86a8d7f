"""The IDX registration backend and the org's HTTP surface, over real HTTP on loopback (no browser)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from uuid import uuid4

import httpx
import pytest

from mock_okta.hook.settings import CallSettings
from mock_okta.org import Org, OrgSettings, Store
from mock_okta.org.models import HookStatus, ProfileAttribute, UnknownUserAction, UserStatus
from mock_okta.org.web import create_app
from mock_okta.org.web.hosted_page import widget_installed
from mock_okta.serving.thread import ServerThread

from .helpers import sign_up, start_enrollment

ION = "application/ion+json; okta-version=1.0.0"


@pytest.fixture
def org() -> Iterator[tuple[Org, httpx.Client]]:
    mock = Org(Store(), OrgSettings(call=CallSettings(timeout=0.5), api_token="test-token"))
    with ServerThread(create_app(mock)) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        yield mock, client


def remediation(doc: dict, name: str) -> dict:
    return next(r for r in doc["remediation"]["value"] if r["name"] == name)


def form_field(doc: dict, name: str) -> dict:
    form = remediation(doc, "enroll-profile")["value"][0]["form"]["value"]
    return next(f for f in form if f["name"] == name)


def sign_up_through(mock: Org, client: httpx.Client, hook_url: str, auth: str | None = None, **profile: str):
    """Attach the hook at `hook_url`, then sign up with `profile` (Ann Lee at example.com by default)."""
    hook = mock.inline_hooks.create_and_attach("hook", hook_url, auth)
    profile = {"firstName": "Ann", "lastName": "Lee", "email": "ann@example.com", **profile}
    return hook, sign_up(client, start_enrollment(mock, client), **profile)


def test_introspect_offers_identify_and_sign_up(org):
    mock, client = org
    response = client.post("/idp/idx/introspect", json={"stateToken": mock.flow.start()})
    assert response.headers["content-type"] == ION
    names = [r["name"] for r in response.json()["remediation"]["value"]]
    assert names == ["identify", "select-enroll-profile"]
    assert remediation(response.json(), "select-enroll-profile")["href"].endswith("/idp/idx/enroll")


def test_enroll_lists_the_policy_form(org):
    mock, client = org
    mock.store.update_policy(
        profile_attributes=(
            ProfileAttribute("email", "Email", True),
            ProfileAttribute("employeeNumber", "Employee number", False),
        )
    )
    handle = mock.flow.start()
    doc = client.post("/idp/idx/enroll", json={"stateHandle": handle}).json()
    form = remediation(doc, "enroll-profile")["value"][0]["form"]["value"]
    assert [(f["name"], f["required"]) for f in form] == [("email", True), ("employeeNumber", False)]


@pytest.mark.parametrize("path", ["/idp/idx/introspect", "/idp/idx/enroll", "/idp/idx/enroll/new", "/idp/idx/cancel"])
def test_unknown_state_handle_is_okta_session_expired(org, path):
    _, client = org
    response = client.post(path, json={"stateHandle": "nope", "stateToken": "nope"})
    assert response.status_code == 401
    assert response.json()["messages"]["value"][0]["i18n"]["key"] == "idx.session.expired"


def test_a_submitted_sign_up_cannot_be_submitted_again(org):
    """After the hook allowed, the transaction is at the email step: the sign-up form is no longer offered."""
    mock, client = org
    handle = start_enrollment(mock, client)
    assert sign_up(client, handle, firstName="A", lastName="B", email="a@example.com").status_code == 200
    again = sign_up(client, handle, firstName="A", lastName="B", email="b@example.com")
    # Issue 20 row 9: the step after the form is the email's enrollment data, no longer its code at once
    # (okta-signin-widget `playground/mocks/data/idp/idx/authenticator-enroll-email-first.json`).
    assert again.status_code == 400
    assert again.json()["remediation"]["value"][0]["name"] == "authenticator-enrollment-data"
    assert mock.store.user("b@example.com") is None


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b""])
def test_malformed_idx_body_is_400(org, body):
    _, client = org
    response = client.post("/idp/idx/enroll", content=body or b"null", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["messages"]["value"][0]["class"] == "ERROR"


def test_user_profile_must_be_an_object(org):
    mock, client = org
    handle = start_enrollment(mock, client)
    response = client.post("/idp/idx/enroll/new", json={"stateHandle": handle, "userProfile": "x"})
    assert response.status_code == 400


def test_no_hook_attached_registers_without_a_call(org):
    mock, client = org
    handle = start_enrollment(mock, client)
    response = sign_up(client, handle, firstName="Ann", lastName="Lee", email="ann@anything.test")
    assert response.status_code == 200
    # Issue 20 row 9 (was the code's form, enroll-authenticator): Okta's next form is the email's enrollment data
    # (okta-signin-widget `playground/mocks/data/idp/idx/authenticator-enroll-email-first.json`).
    assert remediation(response.json(), "authenticator-enrollment-data")["href"].endswith("/idp/idx/credential/enroll")
    user = mock.store.user("ann@anything.test")
    assert user.status == UserStatus.PROVISIONED and user.profile["login"] == "ann@anything.test"
    assert mock.store.hook_calls() == []


def test_hook_call_is_journaled_and_denial_mapped_to_the_field(org, sample_hook):
    mock, client = org
    hook, response = sign_up_through(mock, client, sample_hook.hook_url, sample_hook.auth_header, email="ann@gmail.com")
    assert response.status_code == 400
    email = form_field(response.json(), "email")
    assert email["messages"]["value"] == [{"message": "Only example.com emails can register.", "class": "ERROR"}]
    assert email["value"] == "ann@gmail.com"
    [call] = mock.store.hook_calls()
    assert call.inline_hook_id == hook.id and call.registration == "DENY"
    body = call.request_body
    assert body["requestType"] == "self.service.registration"
    assert body["data"]["context"]["request"]["url"]["value"] == "/idp/idx/enroll/new"
    assert body["data"]["context"]["request"]["ipAddress"] == "127.0.0.1"
    assert body["data"]["userProfile"]["login"] == "ann@gmail.com"
    assert call.record["request"]["headers"]["Authorization"] == "<redacted>"
    assert mock.store.user("ann@gmail.com") is None


GENERIC_ERROR = "There was an error creating your account. Please try registering again."


@pytest.mark.parametrize(
    ("behaviour", "status", "messages", "form_kept", "user_created"),
    [
        pytest.param(
            "respond/deny-without-error",
            400,
            [{"message": "Registration denied.", "class": "ERROR"}],
            True,
            False,
            id="deny without error: a callout above the form",
        ),
        pytest.param(
            "status/500",
            400,
            [{"message": GENERIC_ERROR, "class": "ERROR", "i18n": {"key": "registration.error.generic"}}],
            False,
            False,
            id="hook failure: the generic terminal error",
        ),
        pytest.param(
            "respond/profile-update",
            200,
            [],
            False,
            True,
            id="allow: the email authenticator (the verification view)",
        ),
    ],
)
def test_sign_up_outcome_by_hook_answer(org, scripted, behaviour, status, messages, form_kept, user_created):
    """Rule: a denial keeps the form with Okta's text; a failed call ends the flow with the generic error."""
    mock, client = org
    _, response = sign_up_through(mock, client, f"{scripted[1]}/{behaviour}", email=f"{uuid4().hex}@example.com")
    assert response.status_code == status
    assert response.json().get("messages", {}).get("value", []) == messages
    if form_kept:
        assert remediation(response.json(), "enroll-profile")
    elif user_created:
        assert response.json()["currentAuthenticator"]["value"]["key"] == "okta_email"
    else:
        assert "remediation" not in response.json()
    assert len(mock.store.users()) == int(user_created)


def test_failed_call_is_retried_once_and_journaled(org, scripted):
    mock, client = org
    sign_up_through(mock, client, f"{scripted[1]}/status/500")
    assert [a["status"] for a in mock.store.hook_calls()[0].record["attempts"]] == [500, 500]


def test_hook_profile_updates_apply_to_the_created_user(org, scripted):
    mock, client = org
    _, response = sign_up_through(mock, client, f"{scripted[1]}/respond/profile-update", email="upd@example.com")
    assert response.status_code == 200
    assert mock.store.user("upd@example.com").profile["nickName"] == "Danger"


def test_inactive_hook_is_not_called(org, scripted):
    mock, client = org
    hook = mock.inline_hooks.create_and_attach("scripted", f"{scripted[1]}/status/500", None)
    mock.inline_hooks.set_status(hook, HookStatus.INACTIVE)
    handle = start_enrollment(mock, client)
    assert sign_up(client, handle, firstName="A", lastName="B", email="inactive@example.com").status_code == 200
    assert mock.store.hook_calls() == []


def test_blank_required_field_is_a_field_error_before_the_hook(org, scripted):
    mock, client = org
    _, response = sign_up_through(mock, client, f"{scripted[1]}/respond/allow", lastName="  ")
    assert response.status_code == 400
    assert (
        form_field(response.json(), "lastName")["messages"]["value"][0]["message"] == "This field cannot be left blank"
    )
    assert mock.store.hook_calls() == []


def test_duplicate_login_is_okta_not_unique_error(org):
    mock, client = org
    for expected in (200, 400):
        handle = start_enrollment(mock, client)
        response = sign_up(client, handle, firstName="A", lastName="B", email="Dup@Example.com")
        assert response.status_code == expected
    message = form_field(response.json(), "email")["messages"]["value"][0]
    assert message["message"] == "A user with this Email already exists"
    assert message["i18n"]["key"] == "registration.error.notUniqueWithinOrg"


def test_cancel_and_back_to_sign_in(org):
    mock, client = org
    handle = start_enrollment(mock, client)
    back = client.post("/idp/idx/identify/select", json={"stateHandle": handle}).json()
    assert remediation(back, "identify")
    assert (
        client.post("/idp/idx/introspect", json={"stateToken": handle}).json()["remediation"]["value"][0]["name"]
        == "identify"
    )
    assert client.post("/idp/idx/cancel", json={"stateHandle": handle}).status_code == 200
    identify = client.post("/idp/idx/identify", json={"stateHandle": handle, "identifier": "x"})
    assert identify.status_code == 400
    assert identify.json()["messages"]["value"][0]["message"] == "There is no account with the Username x."


def test_users_api_needs_the_ssws_token(org):
    _, client = org
    for headers in ({}, {"Authorization": "SSWS wrong"}, {"Authorization": "Bearer test-token"}):
        response = client.get("/api/v1/users", headers=headers)
        assert response.status_code == 401
        body = response.json()
        assert body["errorCode"] == "E0000011" and body["errorLink"] == "E0000011"
        assert set(body) == {"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"}


def test_users_api_search(org):
    mock, client = org
    mock.store.create_user(
        {"login": "a@example.com", "email": "a@example.com", "firstName": "A"}, UserStatus.PROVISIONED
    )
    mock.store.create_user({"login": "b@example.com", "email": "b@example.com", "firstName": "B"}, UserStatus.ACTIVE)
    headers = {"Authorization": "SSWS test-token"}
    found = client.get("/api/v1/users", params={"search": 'profile.email eq "A@example.com"'}, headers=headers).json()
    assert [u["profile"]["login"] for u in found] == ["a@example.com"]
    assert found[0]["id"].startswith("00u") and found[0]["status"] == "PROVISIONED"
    active = client.get("/api/v1/users", params={"search": 'status eq "ACTIVE"'}, headers=headers).json()
    assert [u["profile"]["login"] for u in active] == ["b@example.com"]
    bad = client.get("/api/v1/users", params={"search": "profile.email = x"}, headers=headers)
    assert bad.status_code == 400 and bad.json()["errorCode"] == "E0000031"


@pytest.mark.skipif(not widget_installed(), reason="the Sign-In Widget is not installed: run 'make widget'")
def test_hosted_page_boots_the_widget(org):
    _, client = org
    page = client.get("/")
    assert page.status_code == 200
    assert "/widget/js/okta-sign-in.min.js" in page.text and '"stateToken": "02' in page.text
    assert "okta-sign-in.next.js" in client.get("/?widget=gen3").text
    assert client.get("/?widget=gen9").status_code == 400


def test_hosted_page_explains_a_missing_widget(monkeypatch, tmp_path):
    monkeypatch.setenv("MOCK_OKTA_WIDGET_DIR", str(tmp_path))
    with ServerThread(create_app(Org())) as server:
        page = httpx.get(server.url + "/")
    assert page.status_code == 503 and "make widget" in page.text


def test_file_database_keeps_users_across_restarts(tmp_path):
    path = str(tmp_path / "org.sqlite3")
    store = Store(path)
    store.create_user({"login": "keep@example.com", "email": "keep@example.com"}, UserStatus.PROVISIONED)
    store.close()
    again = Store(path)
    assert again.user("keep@example.com") is not None
    assert again.policy().name == "Default Policy"


# -- issue 20: the sign-up and sign-in forms as Okta's own documents show them ----------------------------------------
# Sources (okta-signin-widget): `playground/mocks/data/idp/idx/error-new-signup-email.json`, `identify.json`,
# `error-enroll-regisration-unavailable.json`; `src/v3/src/mocks/response/idp/idx/enroll/default.json`;
# `packages/@okta/i18n/src/properties/login.properties`; `src/v2/view-builder/views/TerminalView.js`.
MOCK_APP = {
    "type": "object",
    "value": {"name": "okta_enduser", "label": "Okta Dashboard", "id": "0oa1mokta0dashboard0"},
}


def test_a_malformed_email_is_the_widgets_field_error_and_no_hook_call(org, scripted):
    """Row 1: error-new-signup-email.json: two messages under the email field, keys
    registration.error.invalidLoginEmail and registration.error.doesNotMatchPattern with the label as parameter
    (login.properties `registration.error.invalidLoginEmail.Email`, `registration.error.doesNotMatchPattern.Email`);
    the hook is not called, no user is created, no email sent."""
    mock, client = org
    _, response = sign_up_through(mock, client, f"{scripted[1]}/respond/allow", email="not-an-email")
    assert response.status_code == 400
    assert form_field(response.json(), "email")["messages"]["value"] == [
        {
            "message": "'Email' must be in the form of an email address",
            "i18n": {"key": "registration.error.invalidLoginEmail", "params": ["Email"]},
            "class": "ERROR",
        },
        {
            "message": "Provided value for property 'Email' does not match required pattern",
            "i18n": {"key": "registration.error.doesNotMatchPattern", "params": ["Email"]},
            "class": "ERROR",
        },
    ]
    assert mock.store.hook_calls() == [] and mock.store.users() == []
    assert mock.store.mailbox("not-an-email") == []


@pytest.mark.parametrize("email", ["ann@", "@example.com", "ann@example", "ann @example.com", "ann@@example.com"])
def test_other_malformed_addresses_are_refused_too(org, email):
    mock, client = org
    response = sign_up(client, start_enrollment(mock, client), firstName="A", lastName="B", email=email)
    assert response.status_code == 400
    keys = [m["i18n"]["key"] for m in form_field(response.json(), "email")["messages"]["value"]]
    assert keys == ["registration.error.invalidLoginEmail", "registration.error.doesNotMatchPattern"]
    assert mock.store.users() == []


def test_the_sign_up_form_declares_the_schema_lengths_as_the_fixture_does(org):
    """Row 2: src/v3/src/mocks/response/idp/idx/enroll/default.json: firstName and lastName carry `minLength: 1,
    maxLength: 50` (the base schema's limits), email only name, label and required; no `type` on string fields."""
    mock, client = org
    doc = client.post("/idp/idx/enroll", json={"stateHandle": mock.flow.start()}).json()
    assert remediation(doc, "enroll-profile")["value"][0]["form"]["value"] == [
        {"name": "firstName", "label": "First name", "required": True, "minLength": 1, "maxLength": 50},
        {"name": "lastName", "label": "Last name", "required": True, "minLength": 1, "maxLength": 50},
        {"name": "email", "label": "Email", "required": True},
    ]


@pytest.mark.parametrize("field", ["firstName", "lastName"])
def test_a_name_longer_than_the_form_allows_is_refused_before_the_hook(org, scripted, field):
    """Row 2: the form's `maxLength: 50` (enroll/default.json) is enforced: a 60-character name is a field error
    with the widget's text for the check (login.properties `model.validation.field.string.maxLength`), and the hook
    is not called. Exactly 50 characters is accepted."""
    mock, client = org
    _, response = sign_up_through(mock, client, f"{scripted[1]}/respond/allow", **{field: "A" * 60})
    assert response.status_code == 400
    field_json = form_field(response.json(), field)
    assert field_json["messages"]["value"] == [
        {
            "message": "This field cannot exceed the maximum allowed characters",
            "i18n": {"key": "model.validation.field.string.maxLength"},
            "class": "ERROR",
        }
    ]
    assert mock.store.hook_calls() == [] and mock.store.users() == []
    fifty = {"firstName": "A", "lastName": "B", "email": "fifty@example.com", field: "A" * 50}
    accepted = sign_up(client, start_enrollment(mock, client), **fifty)
    assert accepted.status_code == 200 and mock.store.user("fifty@example.com").profile[field] == "A" * 50


def test_every_field_problem_is_answered_at_once(org):
    """Okta's field errors come together in one answer: a blank last name and a malformed email."""
    mock, client = org
    response = sign_up(client, start_enrollment(mock, client), firstName="A", lastName="", email="nope")
    assert response.status_code == 400
    assert form_field(response.json(), "lastName")["messages"]["value"][0]["i18n"]["key"] == (
        "model.validation.field.blank"
    )
    assert len(form_field(response.json(), "email")["messages"]["value"]) == 2
    assert form_field(response.json(), "email")["value"] == "nope"


def test_the_identify_form_requires_the_identifier(org):
    """Row 8: identify.json: `{"name": "identifier", "label": "Username", "required": true}`."""
    mock, client = org
    doc = client.post("/idp/idx/introspect", json={"stateToken": mock.flow.start()}).json()
    identifier = remediation(doc, "identify")["value"][0]
    assert identifier == {"name": "identifier", "label": "Username", "required": True}


def test_sign_up_while_registration_is_off_is_the_widgets_text_for_its_key(org):
    """Row 27: the key `oie.registration.is.not.enabled` (the widget's REGISTRATION_NOT_ENABLED, TerminalView.js)
    with the widget's text for it, login.properties: "Sign up is not enabled for this organization."."""
    mock, client = org
    handle = start_enrollment(mock, client)
    policy = mock.store.policy()
    mock.store.update_policy(rule=replace(policy.rule, unknown_user_action=UnknownUserAction.DENY))
    for path in ("/idp/idx/enroll", "/idp/idx/enroll/new"):
        response = client.post(path, json={"stateHandle": handle, "userProfile": {"email": "a@example.com"}})
        assert response.status_code == 403
        assert response.json()["messages"]["value"] == [
            {
                "message": "Sign up is not enabled for this organization.",
                "class": "ERROR",
                "i18n": {"key": "oie.registration.is.not.enabled"},
            }
        ]
        assert response.json()["app"] == MOCK_APP
    assert mock.store.users() == []


def test_every_document_of_the_sign_up_form_names_the_app(org, scripted):
    """Row 10: every capture of a live transaction carries `app` {name, label, id} (enroll/default.json,
    error-enroll-regisration-unavailable.json: okta_enduser, "Okta Dashboard" for the org's own sign-in page).
    The mock's app id is its own, stable value; an unknown state handle has no transaction and no app."""
    mock, client = org
    handle = mock.flow.start()
    documents = [
        client.post("/idp/idx/introspect", json={"stateToken": handle}),
        client.post("/idp/idx/enroll", json={"stateHandle": handle}),
        sign_up(client, handle, firstName="A", lastName="", email="a@example.com"),
        client.post("/idp/idx/identify/select", json={"stateHandle": handle}),
        client.post("/idp/idx/identify", json={"stateHandle": handle, "identifier": "nobody@example.com"}),
    ]
    assert [d.json()["app"] for d in documents] == [MOCK_APP] * len(documents)
    assert "app" not in client.post("/idp/idx/introspect", json={"stateToken": "nope"}).json()
