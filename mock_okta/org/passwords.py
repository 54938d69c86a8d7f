"""Okta's default password policy (Security > Authentication > Password, "Default Policy"): at least 8 characters,
a number, a lowercase and an uppercase letter, no part of the username; and how the mock keeps passwords (salted
PBKDF2, compared in constant time: never stored, logged or shown as given)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

from .ion import message

MIN_LENGTH = 8
# The IDX password authenticator's `settings.complexity` (okta-signin-widget fixture authenticator-enroll-password)
# for the default policy; the widget lists these as the requirements.
COMPLEXITY = {
    "minLength": MIN_LENGTH,
    "minLowerCase": 1,
    "minUpperCase": 1,
    "minNumber": 1,
    "minSymbol": 0,
    "excludeUsername": True,
    "excludeAttributes": [],
}
AGE = {"minAgeMinutes": 0, "historyCount": 4}
ITERATIONS = 60_000
# The widget's words for each rule, in Okta's order (login.properties `password.complexity.*`).
_COUNTED = (
    ("minLowerCase", "a lowercase letter"),
    ("minUpperCase", "an uppercase letter"),
    ("minNumber", "a number"),
    ("minSymbol", "a symbol"),
)
_EXCLUDED = {"firstName": "does not include your first name", "lastName": "does not include your last name"}


def policy_problems(password: str, profile: dict[str, Any]) -> list[str]:
    """The default policy's requirements this password misses, in the widget's words."""
    unmet = []
    if len(password) < MIN_LENGTH:
        unmet.append(f"At least {MIN_LENGTH} character(s)")
    if not re.search(r"\d", password):
        unmet.append("At least 1 number(s)")
    if not re.search(r"[a-z]", password):
        unmet.append("At least 1 lowercase letter(s)")
    if not re.search(r"[A-Z]", password):
        unmet.append("At least 1 uppercase letter(s)")
    username = str(profile.get("login") or profile.get("email") or "")
    # Okta's "no part of the username": any part of 4+ characters between the delimiters , . - _ # @
    parts = [p for p in re.split(r"[,.\-_#@]", username.lower()) if len(p) >= 4]
    if any(part in password.lower() for part in parts):
        unmet.append("Does not contain part of username")
    return unmet


def requirements_not_met() -> dict[str, Any]:
    """Okta's IDX message for a password the policy refuses: every rule of the policy, met or not, under the key
    `password.passwordRequirementsNotMet` with the list as its parameter. For the default policy this is the text
    of the widget's fixtures `playground/mocks/data/idp/idx/enroll-profile-with-password-returns-error.json` and
    `error-authenticator-reset-password-requirement.json`; `src/v3/src/mocks/response/idp/idx/challenge/answer/
    authenticator-enroll-password-requirements-not-met.json` shows the same form for another policy."""
    rules = [f"at least {COMPLEXITY['minLength']} characters"]
    rules += [text for key, text in _COUNTED if COMPLEXITY[key]]
    if COMPLEXITY["excludeUsername"]:
        rules.append("no parts of your username")
    excluded = COMPLEXITY["excludeAttributes"]
    rules += [_EXCLUDED[name] for name in excluded if name in _EXCLUDED] if isinstance(excluded, list) else []
    requirements = f"Password requirements: {', '.join(rules)}."
    if AGE["historyCount"]:
        requirements += f" Your password cannot be any of your last {AGE['historyCount']} passwords."
    text = f"Password requirements were not met. {requirements}"
    return message(text, key="password.passwordRequirementsNotMet", params=[requirements])


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8", "surrogatepass"), salt, ITERATIONS)
    return f"pbkdf2_sha256${ITERATIONS}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        _, iterations, salt, digest = stored.split("$")
        given = hashlib.pbkdf2_hmac(
            "sha256", password.encode("utf-8", "surrogatepass"), bytes.fromhex(salt), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(given.hex(), digest)
