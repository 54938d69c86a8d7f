"""The authenticators a new user sets up after the sign-up form, and the IDX pieces that offer them: Okta's
`select-authenticator-enroll` ("Set up security methods"), the email's `authenticator-enrollment-data` ("Get a
verification email") and the passcode forms of the enroll and challenge steps.

Shapes follow the widget's fixtures: okta-signin-widget `src/v3/src/mocks/response/idp/idx/enroll/new/default.json`
(a sign-up answered with `select-authenticator-enroll` offering Email and Password), `.../credential/enroll/
request-email-mfa.json` and `request-password.json` (each enroll step keeps the list of what is left),
`.../challenge/answer/enroll-password-remaining.json` (the list again, without what was set up), and
`playground/mocks/data/idp/idx/authenticator-enroll-email-first.json` (email required: the email's enrollment data
first, the list offering Email only). The list is built from any authenticators, so that another (a phone) joins it
as one more `Authenticator`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .ion import messages, remediation
from .models import EnrollmentRule, User

EMAIL_AUTHENTICATOR_ID = "aut1mokta0email00000"
PASSWORD_AUTHENTICATOR_ID = "aut1mokta0password00"


@dataclass(frozen=True)
class Authenticator:
    """One of the org's authenticators: `type` and the `key` the widget picks its views by (its AUTHENTICATOR_KEY:
    okta_email, okta_password, phone_number...)."""

    type: str
    key: str
    id: str
    display_name: str

    def json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "key": self.key,
            "id": self.id,
            "displayName": self.display_name,
            "methods": [{"type": self.type}],
        }


EMAIL = Authenticator("email", "okta_email", EMAIL_AUTHENTICATOR_ID, "Email")
PASSWORD = Authenticator("password", "okta_password", PASSWORD_AUTHENTICATOR_ID, "Password")
BY_ID = {a.id: a for a in (EMAIL, PASSWORD)}


def to_enroll(rule: EnrollmentRule) -> list[Authenticator]:
    """What a new user must set up, in the fixtures' order: the email when the rule's activation requirements ask
    for its verification, then the password (the mock's authenticator enrollment policy: both required)."""
    return [*([EMAIL] if rule.email_verification else []), PASSWORD]


def offered(remaining: list[Authenticator]) -> list[Authenticator]:
    """What `select-authenticator-enroll` lists: while the email is required and not verified, the email alone
    (authenticator-enroll-email-first.json), else everything left."""
    return [EMAIL] if remaining and remaining[0] == EMAIL else remaining


def select_enroll(options: list[Authenticator], origin: str, handle: str) -> dict[str, Any]:
    """`select-authenticator-enroll`: each option's form carries its id and methodType and relates to its place in
    the document's `authenticators`, which must list `options` in this order."""
    choices = [
        {
            "label": a.display_name,
            "value": {
                "form": {
                    "value": [
                        {"name": "id", "required": True, "value": a.id, "mutable": False},
                        {"name": "methodType", "required": False, "value": a.type, "mutable": False},
                    ]
                }
            },
            "relatesTo": f"$.authenticators.value[{index}]",
        }
        for index, a in enumerate(options)
    ]
    field = {"name": "authenticator", "type": "object", "options": choices}
    return remediation("select-authenticator-enroll", origin, "/idp/idx/credential/enroll", [field], handle)


def enrollment_data(authenticator: Authenticator, origin: str, handle: str) -> dict[str, Any]:
    """`authenticator-enrollment-data` for the email: the widget's "Get a verification email" with "Send me an
    email", which posts the email's id to credential/enroll (authenticator-enroll-email-first.json)."""
    field = {
        "name": "authenticator",
        "label": authenticator.display_name,
        "form": {
            "value": [
                {"name": "id", "required": True, "value": authenticator.id, "mutable": False},
                {
                    "name": "methodType",
                    "type": "string",
                    "required": False,
                    "options": [{"label": authenticator.display_name, "value": authenticator.type}],
                },
            ]
        },
    }
    form = remediation("authenticator-enrollment-data", origin, "/idp/idx/credential/enroll", [field], handle)
    form["relatesTo"] = ["$.currentAuthenticator"]
    return form


def passcode_form(
    name: str,
    origin: str,
    handle: str,
    field: dict[str, Any],
    errors: list[dict[str, Any]] | None,
    relates_to: str,
) -> dict[str, Any]:
    """An authenticator step's form: `credentials.passcode` (a code or a password) posted to challenge/answer, with
    the errors of the last try under the field."""
    passcode: dict[str, Any] = {"name": "passcode", **field}
    if errors:
        passcode["messages"] = messages(*errors)
    credentials = {"name": "credentials", "type": "object", "form": {"value": [passcode]}, "required": True}
    form = remediation(name, origin, "/idp/idx/challenge/answer", [credentials], handle)
    form["relatesTo"] = [f"$.{relates_to}"]
    return form


def user_json(user: User, *, with_profile: bool = False) -> dict[str, Any]:
    value: dict[str, Any] = {"id": user.id, "identifier": user.login}
    if with_profile:
        value["profile"] = {k: user.profile[k] for k in ("login", "firstName", "lastName") if k in user.profile}
    return {"type": "object", "value": value}
