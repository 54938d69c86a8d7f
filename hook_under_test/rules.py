"""The guide's business rules, as pure functions from a validated Okta request to the hook's answer."""

from __future__ import annotations

import re
from typing import Any

_EMPLOYEE_NUMBER = re.compile(r"[0-9]{4}")

# The token inline hook guide's patients store (docs/guides/token-inline-hook/main/index.md, "Create a patient
# store"): usernames and their ExternalServicePatientID. A real hook looks them up in its own data store.
PATIENTS = {
    "jessie.smith@example.com": "1235",
    "kim.sato@example.com": "6789",
    "rajiv.tal@example.com": "4235",
}


def email_domain(address: str) -> str:
    """The part after the *last* @, lower-cased: `a@b@example.com` belongs to example.com, nothing else does."""
    return address.rpartition("@")[2].strip().lower()


def domain_list(domains: tuple[str, ...]) -> str:
    if len(domains) == 1:
        return domains[0]
    return ", ".join(domains[:-1]) + " or " + domains[-1]


def registration(user_profile: dict[str, Any], allowed_domains: tuple[str, ...]) -> dict[str, Any]:
    """Self-service registration: allow only addresses whose domain is exactly one of the allowed ones.

    The guide tests `domain.includes(...)`, which lets `evil-example.com.attacker.net` in; this does not.
    """
    email = user_profile.get("email") or user_profile.get("login")
    if isinstance(email, str) and "@" in email and email_domain(email) in allowed_domains:
        return {"commands": [{"type": "com.okta.action.update", "value": {"registration": "ALLOW"}}]}
    return _deny(
        "Incorrect email address. Please contact your admin.",
        f"Only {domain_list(allowed_domains)} emails can register.",
        "INVALID_EMAIL_DOMAIN",
        "email",
    )


def progressive_profile(update: dict[str, Any]) -> dict[str, Any]:
    """Progressive profile: an employeeNumber, when it is being set, must be exactly 4 digits."""
    if "employeeNumber" not in update:
        return {"commands": [{"type": "com.okta.user.progressive.profile.update", "value": update}]}
    number = update["employeeNumber"]
    if isinstance(number, str) and _EMPLOYEE_NUMBER.fullmatch(number):
        return {"commands": [{"type": "com.okta.user.progressive.profile.update", "value": update}]}
    return _deny(
        "Incorrect employee number. Enter an employee number with 4 digits.",
        "Employee numbers must have 4 digits.",
        "INVALID_EMPLOYEE_NUMBER",
        "employeeNumber",
    )


def patient_claim(username: object, id_token: bool) -> dict[str, Any] | None:
    """The guide's token hook: a patient's ID token gets `extPatientId`; anyone else (or a minting with no ID token
    to patch: client credentials, no openid scope) gets no patch, which the guide answers with 204 (None here).

    The guide matches `preferred_username` exactly as given; so does this (Okta sends the user's login there)."""
    patient_id = PATIENTS.get(username) if isinstance(username, str) and id_token else None
    if patient_id is None:
        return None
    return {
        "commands": [
            {
                "type": "com.okta.identity.patch",
                "value": [{"op": "add", "path": "/claims/extPatientId", "value": patient_id}],
            }
        ]
    }


def _deny(summary: str, cause: str, reason: str, attribute: str) -> dict[str, Any]:
    return {
        "commands": [{"type": "com.okta.action.update", "value": {"registration": "DENY"}}],
        "error": {
            "errorSummary": summary,
            "errorCauses": [
                {
                    "errorSummary": cause,
                    "reason": reason,
                    "locationType": "body",
                    "location": f"data.userProfile.{attribute}",
                    "domain": "end-user",
                }
            ],
        },
    }
