"""The IDX documents of the steps after the sign-up form and of sign-in: setting up authenticators, the email's code
and the password, and the password challenge. Shapes follow the widget's fixtures (okta-signin-widget
`playground/mocks/data/idp/idx/` authenticator-enroll-email.json, authenticator-enroll-email-first.json,
authenticator-enroll-password.json, authenticator-verification-password.json; `src/v3/src/mocks/response/idp/idx/`
enroll/new/default.json, credential/enroll/request-email-mfa.json and request-password.json,
challenge/answer/enroll-password-remaining.json)."""

from __future__ import annotations

from typing import Any

from .authenticators import EMAIL, PASSWORD, Authenticator, enrollment_data, offered, passcode_form, select_enroll
from .authenticators import user_json as _user
from .ion import cancel, remediation, transaction
from .models import FlowStep, IdxFlow, User
from .passwords import AGE, COMPLEXITY


def _enrollments(enrolled: list[Authenticator]) -> dict[str, Any]:
    return {"type": "array", "value": [a.json() for a in enrolled]}


def select_doc(
    flow: IdxFlow, user: User, origin: str, remaining: list[Authenticator], enrolled: list[Authenticator]
) -> dict[str, Any]:
    """The next authenticator to set up. While the email is required and unverified, its enrollment data comes
    first and the list offers it alone (authenticator-enroll-email-first.json); else the list of what is left
    ("Set up security methods": enroll/new/default.json, enroll-password-remaining.json)."""
    handle = flow.state_handle
    options = offered(remaining)
    forms = [select_enroll(options, origin, handle)]
    doc: dict[str, Any] = {**transaction(flow)}
    if options == [EMAIL]:
        forms.insert(0, enrollment_data(EMAIL, origin, handle))
        resend = remediation("resend", origin, "/idp/idx/challenge/resend", [], handle)
        doc["currentAuthenticator"] = {"type": "object", "value": {"resend": resend, **EMAIL.json()}}
    doc.update(
        remediation={"type": "array", "value": forms},
        authenticators={"type": "array", "value": [a.json() for a in options]},
        authenticatorEnrollments=_enrollments(enrolled),
        user=_user(user, with_profile=True),
        cancel=cancel(origin, handle),
    )
    return doc


def email_doc(
    flow: IdxFlow,
    user: User,
    origin: str,
    errors: list[dict[str, Any]] | None = None,
    remaining: list[Authenticator] | None = None,
) -> dict[str, Any]:
    """The email's code (or its link): enrolling it after sign-up, with the list of what is left to set up beside
    it (request-email-mfa.json), or the sign-in challenge."""
    handle = flow.state_handle
    challenge = flow.step == FlowStep.CHALLENGE_EMAIL
    current_key = "currentAuthenticatorEnrollment" if challenge else "currentAuthenticator"
    name = "challenge-authenticator" if challenge else "enroll-authenticator"
    forms = [passcode_form(name, origin, handle, {"label": "Enter code"}, errors, current_key)]
    current = {
        **EMAIL.json(),
        "resend": remediation("resend", origin, "/idp/idx/challenge/resend", [], handle),
        "poll": {**remediation("poll", origin, "/idp/idx/challenge/poll", [], handle), "refresh": 4000},
        "contextualData": {"useEmailMagicLink": True},
    }
    listed = [EMAIL]
    if not challenge and remaining:
        listed = offered(remaining)
        forms.append(select_enroll(listed, origin, handle))
    doc = {
        **transaction(flow),
        "remediation": {"type": "array", "value": forms},
        current_key: {"type": "object", "value": current},
        "authenticators": {"type": "array", "value": [a.json() for a in listed]},
        "authenticatorEnrollments": _enrollments([EMAIL] if challenge else []),
        "user": _user(user),
        "cancel": cancel(origin, handle),
    }
    if not challenge:
        doc["enrollmentAuthenticator"] = {"type": "object", "value": EMAIL.json()}
    return doc


def password_doc(
    flow: IdxFlow,
    user: User,
    origin: str,
    errors: list[dict[str, Any]] | None = None,
    remaining: list[Authenticator] | None = None,
) -> dict[str, Any]:
    """ "Set up password" with the policy's requirements, and the list of what is left (request-password.json)."""
    handle = flow.state_handle
    field = {"label": "Enter password", "secret": True}
    forms = [passcode_form("enroll-authenticator", origin, handle, field, errors, "currentAuthenticator")]
    listed = offered(remaining) if remaining else [PASSWORD]
    if remaining:
        forms.append(select_enroll(listed, origin, handle))
    current = {**PASSWORD.json(), "settings": {"complexity": COMPLEXITY, "age": AGE}}
    return {
        **transaction(flow),
        "remediation": {"type": "array", "value": forms},
        "currentAuthenticator": {"type": "object", "value": current},
        "authenticators": {"type": "array", "value": [a.json() for a in listed]},
        "user": _user(user, with_profile=True),
        "cancel": cancel(origin, handle),
    }


def challenge_doc(flow: IdxFlow, user: User, origin: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Sign-in's password (authenticator-verification-password.json)."""
    handle = flow.state_handle
    field = {"label": "Password", "secret": True}
    challenge = passcode_form(
        "challenge-authenticator", origin, handle, field, errors, "currentAuthenticatorEnrollment"
    )
    enrollment = {**PASSWORD.json(), "authenticatorId": PASSWORD.id}
    return {
        **transaction(flow),
        "remediation": {"type": "array", "value": [challenge]},
        "currentAuthenticatorEnrollment": {"type": "object", "value": enrollment},
        "authenticatorEnrollments": {"type": "array", "value": [enrollment]},
        "user": _user(user),
        "cancel": cancel(origin, handle),
    }
