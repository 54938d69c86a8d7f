"""The requests the mock sends look exactly like Okta's (Registration hook reference, request body)."""

from __future__ import annotations

import re

import pytest

from mock_okta.hook.overrides import OverrideError, apply_override
from mock_okta.hooktypes import REGISTRATION
from mock_okta.hooktypes.registration.contract import (
    ProgressiveProfileRequest,
    SelfServiceRegistrationRequest,
    validate_request,
)
from mock_okta.hooktypes.registration.payloads import build_request

json_schema = REGISTRATION.json_schema


def test_registration_request_has_every_envelope_field():
    request = build_request(seed=1)
    assert request["eventType"] == "com.okta.user.pre-registration"
    assert request["eventTypeVersion"] == "1.0"
    assert request["contentType"] == "application/json"
    assert request["cloudEventVersion"] == "0.1"
    assert request["requestType"] == "self.service.registration"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", request["eventTime"])
    assert request["source"]
    context = request["data"]["context"]["request"]
    assert context["method"] == "POST" and context["url"] == {"value": "/idp/idx/enroll/new"}
    assert context["ipAddress"] and context["id"]
    assert request["data"]["action"] == "ALLOW"
    profile = request["data"]["userProfile"]
    assert set(profile) == {"firstName", "lastName", "email", "login"}
    assert "password" not in profile
    assert isinstance(validate_request(request), SelfServiceRegistrationRequest)


def test_progressive_profile_request_shape():
    request = build_request("profile-update", seed=1)
    data = request["data"]
    assert request["requestType"] == "progressive.profile"
    assert "userProfile" not in data
    assert data["context"]["request"]["url"]["value"] == "/idp/idx/enroll/update"
    user = data["context"]["user"]
    assert user["_links"]["groups"]["href"] == f"/api/v1/users/{user['id']}/groups"
    assert re.fullmatch(r"\d{4}", data["userProfileUpdate"]["employeeNumber"])
    assert isinstance(validate_request(request), ProgressiveProfileRequest)


def test_event_ids_are_unique():
    assert len({build_request()["eventId"] for _ in range(500)}) == 500


def test_seed_makes_profiles_reproducible():
    first, second = build_request(seed=42), build_request(seed=42)
    assert first["data"]["userProfile"] == second["data"]["userProfile"]
    assert build_request(seed=43)["data"]["userProfile"] != first["data"]["userProfile"]


def test_email_and_domain_choices():
    assert build_request(email="a@b.test")["data"]["userProfile"]["login"] == "a@b.test"
    assert build_request(domain="gmail.com")["data"]["userProfile"]["email"].endswith("@gmail.com")


def test_locale():
    profile = build_request(seed=5, locale="de_DE")["data"]["userProfile"]
    assert profile["email"].isascii()


def test_overrides_parse_json_values_or_keep_text():
    request = build_request(
        sets=[
            "data.userProfile.email=x@y.z",
            "data.userProfile.age=42",
            "data.userProfile.tags=[1,2]",
            "source=reg1",
        ]
    )
    profile = request["data"]["userProfile"]
    assert profile["email"] == "x@y.z" and profile["age"] == 42 and profile["tags"] == [1, 2]
    assert request["source"] == "reg1"


def test_override_creates_missing_objects():
    request = build_request(sets=["data.userProfile.address.city=Oslo"])
    assert request["data"]["userProfile"]["address"] == {"city": "Oslo"}


@pytest.mark.parametrize("bad", ["no-equals", "=value", "eventId.deeper=1"])
def test_unreadable_overrides(bad):
    with pytest.raises(OverrideError):
        apply_override(build_request(), bad)


def test_json_schema_export():
    request_schema = json_schema("request")
    assert request_schema["title"] == "RegistrationInlineHookRequest"
    response_schema = json_schema("response")
    assert "commands" in response_schema["properties"]
    with pytest.raises(ValueError):
        json_schema("nope")
