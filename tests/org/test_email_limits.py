"""The email authenticator's limits (issue 21 row 5), over real HTTP on loopback: every `challenge/resend` used to
mail a new code with five fresh tries (10,000 resends on one handle answered 200, about 35 minutes to a 50 % chance
of verifying an address one does not own), the first magic link still worked after 265 resends, and the mailbox grew
by one message a request. Every test here failed before the fix.

Sources: okta-developer-docs `docs/reference/rl-system-log-events/index.md` (the operation rate limit event for
"too many OTP verification attempts ... for the Email factor": `authenticator_otp_verification`, subtype Email,
scope User, threshold 5, time span 5 MINUTES, on `/idp/idx/challenge/answer`) and `docs/reference/rl2-limits/
index.md` ("Email, SMS, and call rate limits": per recipient, "no more than 30 emails per recipient, per minute");
the refusal is okta-signin-widget `playground/mocks/data/idp/idx/error-429-too-many-request-operation-ratelimit.json`
(429, message key `tooManyRequests`), shown by the widget as "Too many attempts. Try again later." (its
login.properties `oie.tooManyRequests`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mock_okta.hook.settings import CallSettings
from mock_okta.org import Org, OrgSettings, Store
from mock_okta.org.authenticators import EMAIL_AUTHENTICATOR_ID
from mock_okta.org.store import limits
from mock_okta.org.web import create_app
from mock_okta.serving.thread import ServerThread

EMAIL = "ann@example.com"
DEVICE = "device-of-this-browser"
# The widget's fixture error-429-too-many-request-operation-ratelimit.json, message for message.
TOO_MANY = [{"message": "Too many requests", "i18n": {"key": "tooManyRequests"}, "class": "ERROR"}]


@pytest.fixture
def org() -> Iterator[tuple[Org, httpx.Client]]:
    mock = Org(Store(), OrgSettings(call=CallSettings(timeout=1.0), api_token="limits-token"))
    with ServerThread(create_app(mock)) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        yield mock, client


class Later:
    """The operation limits' clock, `seconds` ahead: their windows end without the test waiting (the codes'
    own five-minute lifetime runs on the real clock, so a code mailed just now stays good)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def time(self) -> float:
        return time.time() + self.seconds


def idx(client: httpx.Client, path: str, handle: str, **body: Any) -> httpx.Response:
    return client.post(f"/idp/idx/{path}", json={"stateHandle": handle, **body})


def signed_up(mock: Org, client: httpx.Client) -> str:
    """A sign-up up to the email's code (the first email sent)."""
    handle = mock.flow.start(DEVICE)
    idx(client, "enroll", handle)
    idx(client, "enroll/new", handle, userProfile={"firstName": "Ann", "lastName": "Lee", "email": EMAIL})
    assert idx(client, "credential/enroll", handle, authenticator={"id": EMAIL_AUTHENTICATOR_ID}).status_code == 200
    return handle


def answer(client: httpx.Client, handle: str, code: str) -> httpx.Response:
    return idx(client, "challenge/answer", handle, credentials={"passcode": code})


def newest_code(mock: Org) -> str:
    code = mock.store.mailbox(EMAIL)[-1].code
    assert code is not None
    return code


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def assert_too_many(response: httpx.Response, handle: str) -> None:
    assert response.status_code == 429, response.text
    body = response.json()
    assert body["messages"]["value"] == TOO_MANY
    assert body["stateHandle"] == handle and "remediation" not in body, "the fixture's shape: the view stays"


def violations(mock: Org) -> list[Any]:
    return [e for e in mock.store.log_events() if e.event_type == "system.operation.rate_limit.violation"]


def test_five_wrong_codes_then_every_attempt_is_too_many_and_a_resend_does_not_reset_them(org, monkeypatch):
    """Okta's threshold: five OTP verification attempts per user in five minutes. The sixth, even with the right
    code, is refused; a resend mails a new code but not new tries; once the window ends the newest code works.
    Okta writes one `system.operation.rate_limit.violation` per period, with the debugData of the reference's
    example."""
    mock, client = org
    handle = signed_up(mock, client)
    code = newest_code(mock)
    for _ in range(5):
        response = answer(client, handle, wrong(code))
        assert response.status_code == 400, "the five tries are answered 'Invalid code'"
    assert_too_many(answer(client, handle, code), handle)
    assert idx(client, "challenge/resend", handle).status_code == 200
    fresh = newest_code(mock)
    assert_too_many(answer(client, handle, fresh), handle)
    assert_too_many(answer(client, handle, wrong(fresh)), handle)

    (event,) = violations(mock)
    assert (event.outcome, event.reason) == ("DENY", "Too many OTP verification attempts for Email factor")
    assert event.targets[0].alternate_id == EMAIL
    data = event.debug_data
    assert data["operationRateLimitType"] == "authenticator_otp_verification"
    assert (data["operationRateLimitSubtype"], data["operationRateLimitScopeType"]) == ("Email", "User")
    assert (data["operationRateLimitThreshold"], data["operationRateLimitTimeSpan"]) == ("5", "5")
    assert data["operationRateLimitTimeUnit"] == "MINUTES"
    assert 0 < int(data["operationRateLimitSecondsToReset"]) <= 300
    assert data["requestUri"] == "/idp/idx/challenge/answer"

    monkeypatch.setattr(limits, "time", Later(301))
    verified = answer(client, handle, fresh)
    assert verified.status_code == 200, verified.text
    assert verified.json()["remediation"]["value"][0]["name"] == "select-authenticator-enroll"


def test_the_tries_are_the_users_whichever_code_they_were_for(org):
    """Three wrong codes, a resend, two more: the limit is reached, though the new code was tried only twice."""
    mock, client = org
    handle = signed_up(mock, client)
    for _ in range(3):
        assert answer(client, handle, wrong(newest_code(mock))).status_code == 400
    assert idx(client, "challenge/resend", handle).status_code == 200
    for _ in range(2):
        assert answer(client, handle, wrong(newest_code(mock))).status_code == 400
    assert_too_many(answer(client, handle, newest_code(mock)), handle)


def test_resends_stop_at_thirty_emails_a_minute_to_the_address(org):
    """Okta's email limit, 30 per recipient a minute, for the challenge's first email and its resends alike: a
    loop of resends on one handle gets 429 from the thirty-first email on, and no message is mailed for it; the
    next minute mails again."""
    mock, client = org
    handle = signed_up(mock, client)
    for _ in range(29):
        assert idx(client, "challenge/resend", handle).status_code == 200
    for _ in range(5):
        assert_too_many(idx(client, "challenge/resend", handle), handle)
    assert len(mock.store.mailbox(EMAIL)) == 30
    sent = [e for e in mock.store.log_events() if e.event_type == "system.email.send_factor_verify_message"]
    assert len(sent) == 30
    assert answer(client, handle, newest_code(mock)).status_code == 200, "the newest code still verifies"


def test_the_next_minute_mails_again(org, monkeypatch):
    """The window is a minute: once it ends, the same handle's resend mails again."""
    mock, client = org
    handle = signed_up(mock, client)
    for _ in range(29):
        idx(client, "challenge/resend", handle)
    assert_too_many(idx(client, "challenge/resend", handle), handle)
    monkeypatch.setattr(limits, "time", Later(61))
    assert idx(client, "challenge/resend", handle).status_code == 200
    assert len(mock.store.mailbox(EMAIL)) == 31


def test_a_resend_uses_up_the_previous_code_and_magic_link(org):
    """Only the newest email verifies: the transaction keeps one code, and the link mailed before is used up (the
    sources are silent on the old link; the mock's choice, as a resend answers a lost or leaked email)."""
    mock, client = org
    handle = signed_up(mock, client)
    first = mock.store.mailbox(EMAIL)[-1]
    assert idx(client, "challenge/resend", handle).status_code == 200
    second = mock.store.mailbox(EMAIL)[-1]
    assert first.link and second.link and first.link != second.link
    client.cookies.set("DT", DEVICE)
    assert client.get(first.link.removeprefix(str(client.base_url))).status_code == 404
    if first.code != second.code:
        assert answer(client, handle, first.code or "").status_code == 400
    assert client.get(second.link.removeprefix(str(client.base_url))).status_code == 200
    polled = idx(client, "challenge/poll", handle).json()
    assert polled["remediation"]["value"][0]["name"] == "select-authenticator-enroll", "the new link verified"


def test_the_mailbox_keeps_the_newest_messages_like_the_other_histories():
    """The mail table keeps the newest `retention` messages, pruned as the journal and the System Log are."""
    store = Store()
    store.retention = lambda: 100
    for index in range(1, 351):
        store.send_mail(EMAIL, "Confirm your email address", f"message {index}", None, "email.challenge")
    kept = store.mailbox(EMAIL)
    assert len(kept) <= 200, "pruned every 100 inserts to the newest 100"
    assert kept[-1].text == "message 350"
    store.close()


def test_a_sign_in_whose_address_had_its_emails_this_minute_is_refused_too(org):
    """The email limit is the address's, whichever flow mails it: a sign-in's email challenge (the policy of
    password + email) after 30 emails this minute answers 429 and mails nothing."""
    mock, client = org
    mock.settings.sign_in_email_challenge = True
    profile = {"firstName": "Bo", "lastName": "Ng", "email": EMAIL, "login": EMAIL}
    body = {"profile": profile, "credentials": {"password": {"value": "Sunny-Day-2026"}}}
    assert client.post("/api/v1/users", json=body, headers={"Authorization": "SSWS limits-token"}).status_code == 200
    for _ in range(30):
        assert mock.store.take_operation("email.challenge", EMAIL, 30, 60) is None
    handle = mock.flow.start()
    assert idx(client, "identify", handle, identifier=EMAIL).status_code == 200
    assert_too_many(answer(client, handle, "Sunny-Day-2026"), handle)
    assert mock.store.mailbox(EMAIL) == []
