"""The email magic link's terminal views. The link works only in the browser the transaction started in ("If either
their browser or device is different, Okta disables the magic link. They must either return to the original browser
to use the magic link or use the OTP instead": okta-developer-docs `docs/guides/email-magic-links-overview/main/
index.md`; likewise `docs/guides/authenticators-okta-email/main/index.md`). The browser is known by the `DT` device
cookie the sign-in page sets (Okta's device cookie: "The device identifier is derived from a cookie (`dt` cookie)
that Okta sets in the browser", okta-developer-docs `docs/reference/rl2-client-based/index.md`).

The documents are the widget's fixtures (okta-signin-widget `playground/mocks/data/idp/idx/`):
terminal-return-otp-only-*.json (another browser: the code to enter in the original one, `idx.enter.otp.in.original.
tab`), terminal-return-email.json (the same browser while the original tab still polls: "Please return to the
original tab.") and terminal-transfered-email.json (the original tab, once a link's tab took the transaction over:
"Flow continued in a new tab.").
"""

from __future__ import annotations

from typing import Any

from .authenticators import EMAIL, user_json
from .ion import MOCK_APP, message, messages
from .models import IdxFlow, User

DEVICE_COOKIE = "DT"
# The email view polls every 4 s (its `poll.refresh`, 4000 in the fixtures): a tab that has not polled for this long
# is gone, and a link opened in the same browser takes its transaction over.
ALIVE_SECONDS = 10.0


def _terminal(flow: IdxFlow, intent: str, entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": "1.0.0",
        "stateHandle": flow.state_handle,
        "expiresAt": flow.expires_at,
        "intent": intent,
        "messages": messages(entry),
        "app": {"type": "object", "value": dict(MOCK_APP)},
    }


def otp_only(flow: IdxFlow, user: User, otp: str, *, sign_up: bool) -> dict[str, Any]:
    """Another browser: the code, for the original browser (terminal-return-otp-only-full-location-mobile-icon-
    enrollment.json for a sign-up, terminal-return-otp-only-no-location.json for a sign-in: intent ENROLLMENT or
    AUTHENTICATION, which picks the widget's "Enter this code on the sign up page." or "...sign-in page.")."""
    text = "Enter the OTP in your original browser or device."
    doc = _terminal(
        flow, "ENROLLMENT" if sign_up else "AUTHENTICATION", message(text, "INFO", "idx.enter.otp.in.original.tab")
    )
    doc.pop("stateHandle")
    doc.pop("expiresAt")
    doc["currentAuthenticator"] = {"type": "object", "value": {"contextualData": {"otp": otp}, **EMAIL.json()}}
    doc["user"] = user_json(user)
    return doc


def return_to_original_tab(flow: IdxFlow, user: User) -> dict[str, Any]:
    doc = _terminal(flow, "LOGIN", message("Please return to the original tab.", "INFO", "idx.return.to.original.tab"))
    doc["user"] = user_json(user)
    return doc


def transferred(flow: IdxFlow) -> dict[str, Any]:
    return _terminal(flow, "LOGIN", message("Flow continued in a new tab.", "INFO", "idx.transferred.to.new.tab"))
