"""The email authenticator's challenge: mailing a one-time code and its magic link, checking a code, and Okta's two
operation rate limits on them (issue 21 row 5: every resend used to mail a new code with five fresh tries, so the
try limit did not stop a brute force, and the first link outlived any number of resends).

- **Tries**: five wrong codes per user in five minutes, whichever code they were for; the sixth attempt, right or
  wrong, is refused until the window ends. Okta's documented System Log event for it (okta-developer-docs
  `docs/reference/rl-system-log-events/index.md`, "too many OTP verification attempts were made for the Email
  factor"): `operationRateLimitType` `authenticator_otp_verification`, subtype `Email`, scope `User`, threshold 5,
  time span 5 MINUTES, on `/idp/idx/challenge/answer`. Counted per user, so a resend (a new code in the same
  transaction) does not reset them.
- **Sending**: at most 30 challenge emails per recipient a minute, first sends and resends alike. Okta documents
  its email limits per recipient and type, "no more than 30 emails per recipient, per minute" for some types
  (`docs/reference/rl2-limits/index.md`, "Email, SMS, and call rate limits"); it documents no figure per transaction.
  A transaction mails one recipient, so this bounds its resends too. (The Authn API's "An email was recently sent.
  Please wait 5 seconds" E0000118, `data/error-codes.json`, is Classic's; the widget itself offers "Send again" only
  30 s after the last email: its `SHOW_RESEND_TIMEOUT`.)
- **A new email replaces the last**: the transaction keeps one code (its digest), and the link mailed before is used
  up, so only the newest email verifies. Okta's docs are silent on the old link; the mock's choice.

A refusal is the widget's own fixture for it, `playground/mocks/data/idp/idx/error-429-too-many-request-operation-
ratelimit.json` (okta-signin-widget): 429 with the message key `tooManyRequests`, which the widget shows as "Too many
attempts. Try again later." (`oie.tooManyRequests` in its login.properties; its test ChallengeAuthenticatorEmail_spec
"challenge email authenticator with too many invalid OTP").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from enum import Enum
from typing import Any

from .ion import MOCK_APP, IdxReply, message, messages, transaction
from .models import IdxFlow, LogEvent, User
from .store import Store
from .system_log import journey_event, log_event, user_target

CODE_SECONDS = 300  # Okta's default email challenge lifetime: 5 minutes
EMAIL_SUBJECT = "Confirm your email address"
OTP_OPERATION = "authenticator_otp_verification"
OTP_LIMIT, OTP_WINDOW_SECONDS = 5, 300
EMAIL_OPERATION = "email.challenge"
EMAIL_LIMIT, EMAIL_WINDOW_SECONDS = 30, 60
TOO_MANY_REQUESTS = message("Too many requests", key="tooManyRequests")


class Checked(Enum):
    VERIFIED = "verified"
    INVALID = "invalid"
    LIMITED = "limited"


def too_many_requests(flow: IdxFlow) -> IdxReply:
    """The refusal of a limited operation (error-429-too-many-request-operation-ratelimit.json): the view stays."""
    return IdxReply(429, {**transaction(flow), "messages": messages(TOO_MANY_REQUESTS)})


class EmailChallenge:
    def __init__(self, store: Store) -> None:
        self.store = store

    def send(self, flow: IdxFlow, user: User, origin: str, client_ip: str) -> dict[str, Any] | None:
        """Mail a new code and link, the previous link used up; the step's data: the code's digest and expiry, the
        code itself (for the view of a link opened in another browser) and when the tab asking for it was last
        seen. None when the recipient had its emails for this minute. Call it in the transaction that stores the
        data, so that a failure keeps neither the email nor the step."""
        to = str(user.profile.get("email") or user.login)
        if self.store.take_operation(EMAIL_OPERATION, to.lower(), EMAIL_LIMIT, EMAIL_WINDOW_SECONDS) is not None:
            return None
        code = f"{secrets.randbelow(10**6):06d}"
        self.store.revoke_tokens("emailMagicLink", flow.state_handle)
        # `/email/verify/{app id}?token=...` (okta-developer-docs guides/email-magic-links-overview: "The link has a
        # token parameter and looks something like this: https://{yourOktaDomain}/email/verify/0oa1esny76wdQqjsg697
        # ?token=ftlNKCIYA_4WvR6BPbYhyKisVYIF-QLp2t"; `0oa` is an app's id: the app the sign-in is for).
        token = self.store.new_token("emailMagicLink", flow.state_handle)
        link = f"{origin}/email/verify/{MOCK_APP['id']}?token={token}"
        self.store.send_mail(
            to,
            EMAIL_SUBJECT,
            f"Hi {user.profile.get('firstName') or user.login},\n\nTo verify your email address, enter this code: "
            f"{code}\n\nOr open this link to verify it:\n{link}\n\nThe code and the link expire in 5 minutes.",
            link,
            "email.challenge",
            code=code,
        )
        self.store.log_event(journey_event("system.email.send_factor_verify_message", user, client_ip))
        now = time.time()
        return {"code": _digest(code), "codeExpires": now + CODE_SECONDS, "otp": code, "seen": now}

    def check(self, flow: IdxFlow, user: User, passcode: str, client_ip: str) -> Checked:
        """A code typed in: refused unheard past the user's tries; a wrong one is counted and logged."""
        with self.store.transaction():
            refusal = self.store.operation_refused(OTP_OPERATION, user.id, OTP_LIMIT)
            if refusal is not None and refusal.first:  # "sent once per rate limit period" (rl-system-log-events)
                self.store.log_event(_otp_violation(user, client_ip, refusal.seconds_to_reset))
        if refusal is not None:
            return Checked.LIMITED
        data = flow.data
        if (
            isinstance(data.get("code"), str)
            and float(data.get("codeExpires", 0)) >= time.time()
            and hmac.compare_digest(_digest(passcode.strip()), data["code"])
        ):
            return Checked.VERIFIED
        with self.store.transaction():
            self.store.count_operation(OTP_OPERATION, user.id, OTP_WINDOW_SECONDS)
            self.store.log_event(journey_event("system.email.challenge_factor_redeemed", user, client_ip, failed=True))
        return Checked.INVALID


def _otp_violation(user: User, client_ip: str, seconds_to_reset: int) -> LogEvent:
    """`system.operation.rate_limit.violation` as the rate-limit reference's example has it for the email code."""
    return log_event(
        "system.operation.rate_limit.violation",
        "Operation rate limit violation",
        targets=(user_target(user),),
        outcome="DENY",
        reason="Too many OTP verification attempts for Email factor",
        client_ip=client_ip,
        actor=user_target(user),
        debug_data={
            "operationRateLimitType": OTP_OPERATION,
            "operationRateLimitSubtype": "Email",
            "operationRateLimitScopeType": "User",
            "operationRateLimitThreshold": str(OTP_LIMIT),
            "operationRateLimitTimeSpan": str(OTP_WINDOW_SECONDS // 60),
            "operationRateLimitTimeUnit": "MINUTES",
            "operationRateLimitSecondsToReset": str(seconds_to_reset),
            "requestUri": "/idp/idx/challenge/answer",
            "threatSuspected": "false",
        },
    )


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()
