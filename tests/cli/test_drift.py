"""`hook-under-test --record DIR` and `mock-okta drift DIR`: requests a hook really received, compared with the
contract schema and the mock's own requests."""

from __future__ import annotations

import json

import pytest

from hook_under_test import HookSettings
from hook_under_test.running import serve_sample_hook
from mock_okta import MockOkta

from .helpers import cli, mock_okta


def recorded(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    with serve_sample_hook(HookSettings.build(record_dir=str(folder))) as hook:
        okta = MockOkta(hook.hook_url, auth_header=hook.auth_header)
        okta.fire(domain="example.com")
        okta.fire(request_type="profile-update")
    return folder


def test_the_mocks_own_requests_show_no_drift(tmp_path):
    folder = recorded(tmp_path)
    records = sorted(folder.glob("*.json"))
    assert len(records) == 2
    assert all("Authorization" not in path.read_text() for path in records), "records never hold the secret"
    result = cli("drift", str(folder))
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("2 recorded request(s): no drift")


@pytest.mark.subprocess
def test_new_fields_missing_fields_and_changed_types_are_drift(tmp_path):
    folder = recorded(tmp_path)
    path = next(p for p in folder.glob("*.json") if "self.service.registration" in p.read_text())
    request = json.loads(path.read_text())
    request["data"]["context"]["newContextField"] = {"added": True}
    del request["cloudEventVersion"]
    request["eventTypeVersion"] = 1.0
    path.write_text(json.dumps(request))
    result = mock_okta("drift", str(folder), "--json")
    assert result.returncode == 1
    drift = json.loads(result.stdout)["drift"]
    assert "self.service.registration: Okta sends data.context.newContextField (object); the mock does not" in drift
    assert "self.service.registration: the mock sends cloudEventVersion (string); Okta did not" in drift
    assert "self.service.registration: eventTypeVersion is number from Okta, string from the mock" in drift
    assert any(": breaks the contract schema at " in finding for finding in drift)


def test_drift_needs_records(tmp_path):
    assert cli("drift", str(tmp_path / "nope")).returncode == 2
    empty = cli("drift", str(tmp_path))
    assert empty.returncode == 2 and "holds no recorded requests" in empty.stderr


def test_a_record_nothing_can_print_is_a_finding_not_a_traceback(tmp_path):
    folder = recorded(tmp_path)
    (folder / "hostile.json").write_text('{"requestType": "self.service.registration", "\\ud800": NaN}')
    result = cli("drift", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "drift: hostile.json: not a readable JSON request" in result.stdout


def test_token_requests_of_grant_types_the_mock_does_not_build_are_known_not_unknown(tmp_path):
    # Review of issue 22, defect 7. TOKREF's own sample request (docs/reference/token-hook/index.md at 982a3bc1c1^)
    # is an implicit flow: `response_type: "token id_token"`, no `grant_type`; the spec's `GrantType` enum lists
    # password, device_code and more. Okta sends them; the mock builds three, and says so without calling it drift.
    from mock_okta.hooktypes import TOKEN

    implicit = TOKEN.build_request()
    protocol = implicit["data"]["context"]["protocol"]["request"]
    del protocol["grant_type"]
    protocol.update(response_type="token id_token", response_mode="form_post", state="s", nonce="n")
    password = TOKEN.build_request(None)
    password["data"]["context"]["protocol"]["request"]["grant_type"] = "password"
    invented = TOKEN.build_request(None)
    invented["data"]["context"]["protocol"]["request"]["grant_type"] = "urn:example:made-up"
    for name, request in (("implicit", implicit), ("password", password), ("invented", invented)):
        (tmp_path / f"{name}.json").write_text(json.dumps(request))
    result = cli("drift", str(tmp_path), "--json")
    report = json.loads(result.stdout)
    assert report["notes"] == [
        "implicit: a kind of token request Okta sends that the mock does not build",
        "password: a kind of token request Okta sends that the mock does not build",
    ]
    assert report["drift"] == ["Okta sent requestType 'urn:example:made-up', which the mock does not know"]
    assert result.returncode == 1
