"""A profile update may name only attributes of the org's user schema ("the target attributes must already exist
in the user schema", registration hook reference). Without an org, `verify`, `fire` and the fixtures judge against
Okta's base schema (issue: an update naming `favoriteColor` was green in `verify` and an invalid response on the
org, as the mock's own Preview said)."""

from __future__ import annotations

import httpx

from mock_okta.hook.channel import ChannelConfig
from mock_okta.hook.outcome import VerdictRules
from mock_okta.hook.run import run_hook_sync
from mock_okta.hooktypes import REGISTRATION
from mock_okta.hooktypes.registration.contract import BASE_PROFILE_ATTRIBUTES, schema_attributes
from mock_okta.hooktypes.registration.payloads import build_request
from mock_okta.org.user_schema import BASE_ATTRIBUTES


def update_favorite_color(scripted, rules: VerdictRules = VerdictRules()):
    config = ChannelConfig(f"{scripted[1]}/respond/custom-attribute-update")
    return run_hook_sync(config, REGISTRATION, build_request(seed=1), rules=rules)


def test_without_an_org_an_attribute_outside_the_base_schema_is_an_invalid_response(scripted):
    run = update_favorite_color(scripted)
    assert run.verdict.failure == "invalid_response"
    assert any("'favoriteColor' is not in the org's user schema" in v.message for v in run.verdict.violations)


def test_with_the_orgs_schema_its_custom_attribute_is_set(scripted, okta_org):
    api = httpx.Client(base_url=okta_org.url, headers=okta_org.api_headers)
    custom = {"definitions": {"custom": {"properties": {"favoriteColor": {"title": "Color", "type": "string"}}}}}
    assert api.post("/api/v1/meta/schemas/user/default", json=custom).status_code == 200
    names = schema_attributes(api.get("/api/v1/meta/schemas/user/default").json())
    assert "favoriteColor" in names and names >= BASE_PROFILE_ATTRIBUTES
    run = update_favorite_color(scripted, VerdictRules(schema_attributes=names))
    assert run.outcome == "ALLOW" and run.verdict.profile_updates == {"favoriteColor": "teal"}


def test_the_base_schema_is_the_one_the_org_serves():
    assert {attribute.name for attribute in BASE_ATTRIBUTES} == BASE_PROFILE_ATTRIBUTES


def test_a_document_that_is_no_user_schema_is_refused():
    for document in ({}, [], {"definitions": {"custom": {"properties": []}}}):
        try:
            schema_attributes(document)
        except ValueError as exc:
            assert "not a user schema" in str(exc)
        else:
            raise AssertionError(f"{document!r} was read as a schema")
