"""Okta-shaped registration hook requests, built from faker profiles and overrides."""

from __future__ import annotations

import secrets
import uuid
from enum import StrEnum
from typing import Any

from ...hook.ids import event_time, okta_id
from ...hook.overrides import OverrideError, apply_override
from ...hook.people import fake_person, faker
from ...hook.settings import ENGINES, Engine
from .contract import EVENT_TYPE, PROGRESSIVE_PROFILE, SSR


class RequestType(StrEnum):
    """The two requests of a registration hook, by the names of `fire --request-type` and the cases file."""

    REGISTRATION = "registration"  # requestType self.service.registration
    PROFILE_UPDATE = "profile-update"  # requestType progressive.profile


REQUEST_TYPES = {RequestType.REGISTRATION: SSR, RequestType.PROFILE_UPDATE: PROGRESSIVE_PROFILE}
CLASSIC_SAMPLE_POLICY = "reghawlks3zOkRrau0h7"  # the Classic sample's source (registration hook reference)
SSR_URL = "/idp/idx/enroll/new"
PROGRESSIVE_PROFILE_URL = "/idp/idx/enroll/update"


def fake_profile(
    *, seed: int | None = None, locale: str = "en_US", email: str | None = None, domain: str | None = None
) -> dict[str, Any]:
    """A sign-up form's values: firstName, lastName, email and login (= email, as Okta's default form does)."""
    first, last, address = fake_person(seed=seed, locale=locale, domain=domain)
    email = address if email is None else email
    return {"firstName": first, "lastName": last, "email": email, "login": email}


def fake_profile_update(*, seed: int | None = None, locale: str = "en_US") -> dict[str, Any]:
    """The guide's progressive-profile example: a newly required `employeeNumber` of 4 digits."""
    fake = faker(locale)
    if seed is not None:
        fake.seed_instance(seed)
    return {"employeeNumber": fake.numerify("####")}


def registration_request(
    profile: dict[str, Any],
    *,
    source: str | None = None,
    ip_address: str = "127.0.0.1",
    url: str = SSR_URL,
) -> dict[str, Any]:
    """A self-service registration request, exactly as Okta's Identity Engine sends it."""
    return {
        **_envelope(source),
        "requestType": SSR,
        "data": {
            "context": {"request": _request_object(url, ip_address)},
            "userProfile": dict(profile),
            "action": "ALLOW",
        },
    }


def classic_url(policy_id: str) -> str:
    return f"/api/v1/registration/{policy_id}/register"


def classic_registration_request(
    profile: dict[str, Any],
    *,
    policy_id: str | None = None,
    ip_address: str = "127.0.0.1",
) -> dict[str, Any]:
    """A self-service registration request as a Classic Engine org sends it (registration hook reference, Classic
    sample): no `requestType`, the registration policy's register URL, the policy id as `source`, and a null
    `action`."""
    policy_id = policy_id or CLASSIC_SAMPLE_POLICY
    return {
        **_envelope(policy_id),
        "data": {
            "context": {"request": _request_object(classic_url(policy_id), ip_address)},
            "userProfile": dict(profile),
            "action": None,
        },
    }


def progressive_profile_request(
    user_profile: dict[str, Any],
    update: dict[str, Any],
    *,
    user_id: str | None = None,
    source: str | None = None,
    ip_address: str = "127.0.0.1",
    password_changed: str | None = None,
) -> dict[str, Any]:
    """A progressive profile request: the user's current profile plus only the attributes being changed."""
    user_id = user_id or okta_id("00u")
    return {
        **_envelope(source),
        "requestType": PROGRESSIVE_PROFILE,
        "data": {
            "context": {
                "request": _request_object(PROGRESSIVE_PROFILE_URL, ip_address),
                "user": {
                    "id": user_id,
                    # "The last time the user's password was updated" (spec RegistrationInlineHookPPData); a
                    # generated user's is now.
                    "passwordChanged": password_changed or event_time(),
                    "profile": dict(user_profile),
                    "_links": {
                        "groups": {"href": f"/api/v1/users/{user_id}/groups"},
                        "factors": {"href": f"/api/v1/users/{user_id}/factors"},
                    },
                },
            },
            "userProfileUpdate": dict(update),
            "action": "ALLOW",
        },
    }


def build_request(
    request_type: str = RequestType.REGISTRATION,
    *,
    seed: int | None = None,
    locale: str = "en_US",
    email: str | None = None,
    domain: str | None = None,
    sets: list[str] | tuple[str, ...] = (),
    engine: str = Engine.IE,
) -> dict[str, Any]:
    """One request of the given kind (`registration` or `profile-update`) with `path=value` overrides applied, as
    an Identity Engine (`ie`) or Classic Engine (`classic`: registration only) org sends it."""
    if request_type not in REQUEST_TYPES:
        raise OverrideError(f"unknown request type {request_type!r}: choose {' or '.join(REQUEST_TYPES)}")
    if engine not in ENGINES:
        raise OverrideError(f"unknown engine {engine!r}: choose ie or classic")
    if engine == Engine.CLASSIC and request_type != RequestType.REGISTRATION:
        raise OverrideError("a Classic Engine org has no progressive profile: use --request-type registration")
    profile = fake_profile(seed=seed, locale=locale, email=email, domain=domain)
    if engine == Engine.CLASSIC:
        request = classic_registration_request(profile)
    elif request_type == RequestType.REGISTRATION:
        request = registration_request(profile)
    else:
        profile.update(locale="en_US", timeZone="America/Los_Angeles")
        request = progressive_profile_request(profile, fake_profile_update(locale=locale))
    for assignment in sets:
        apply_override(request, assignment)
    return request


def _envelope(source: str | None) -> dict[str, Any]:
    return {
        "eventId": secrets.token_urlsafe(11)[:14],
        "eventTime": event_time(),
        "eventType": EVENT_TYPE,
        "eventTypeVersion": "1.0",
        "contentType": "application/json",
        "cloudEventVersion": "0.1",
        "source": source or "regt4qeBKU29vSoPz0g3",
    }


def _request_object(url: str, ip_address: str) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex[:22], "method": "POST", "url": {"value": url}, "ipAddress": ip_address}
