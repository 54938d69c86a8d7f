"""Secrets never show, even when a hook repeats them: a hook that echoes the auth header it got (in a 401's body,
a 200's debugContext and errorSummary, a response header) leaves no trace of it in what the mock shows or keeps
(hardening round 2, rows 2 and 3: the secret appeared in the journal, the System Log, `fire --json` and the JUnit XML
of `verify`, which CI publishes)."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from typer.testing import CliRunner

from mock_okta.cli import app as cli
from mock_okta.hook.channel import ChannelConfig
from mock_okta.hook.run import run_hook_sync
from mock_okta.hook.secrets import Scrubber
from mock_okta.hooktypes import REGISTRATION
from mock_okta.hooktypes.registration.payloads import build_request

PASSWORD = "supersecret-9f2"
BASIC = "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode()


def leaks(text: str) -> list[str]:
    forms = (BASIC, BASIC.split()[1], PASSWORD)
    return [form for form in forms if form in text]


def test_every_form_of_a_basic_credential_is_scrubbed():
    scrub = Scrubber([BASIC])
    echoed = f'{{"a": "{BASIC}", "b": "{BASIC.split()[1]}", "c": "admin:{PASSWORD}", "d": "{PASSWORD}"}}'
    assert leaks(scrub.text(echoed)) == []
    assert json.loads(scrub.bytes(echoed.encode()))["c"] == "<redacted>"


def test_a_secret_with_json_escapes_is_scrubbed_as_the_hook_writes_it():
    secret = 'tok"en\\value'
    assert Scrubber([secret]).text(json.dumps({"echo": secret})) == '{"echo": "<redacted>"}'


@pytest.mark.parametrize("status", [200, 401])
def test_a_hook_echoing_the_auth_header_shows_no_secret(scripted, status):
    config = ChannelConfig.from_header_lines(f"{scripted[1]}/echo-secret/{status}", f"Authorization: {BASIC}")
    run = run_hook_sync(config, REGISTRATION, build_request(seed=1))
    assert leaks(json.dumps(run.to_json())) == []
    assert "<redacted>" in run.exchange.body.decode()


def test_fire_json_and_verify_junit_carry_no_secret(scripted, tmp_path):
    url = f"{scripted[1]}/echo-secret/200"
    fired = CliRunner().invoke(cli, ["fire", "--hook-url", url, "--auth-header", f"Authorization: {BASIC}", "--json"])
    assert fired.exit_code == 0 and leaks(fired.output) == []
    junit = tmp_path / "verify.xml"
    CliRunner().invoke(
        cli, ["verify", "--hook-url", url, "--auth-header", f"Authorization: {BASIC}", "--junit-xml", str(junit)]
    )
    assert junit.read_text() and leaks(junit.read_text()) == []


def test_the_org_keeps_no_secret_a_hook_echoed(scripted, okta_org):
    hook = okta_org.attach_hook(f"{scripted[1]}/echo-secret/200", f"Authorization: {BASIC}")
    api = httpx.Client(base_url=okta_org.url, headers=okta_org.api_headers)
    executed = api.post(f"/api/v1/inlineHooks/{hook.id}/execute", json=build_request(seed=2))
    assert leaks(executed.text) == []
    assert leaks(api.get("/_mock/journal").text) == []
    assert leaks(api.get("/api/v1/logs", params={"limit": 100}).text) == []
    assert leaks(httpx.get(f"{okta_org.url}/admin/journal").text) == []


# Review of issue 22, defect 2: a hook echoing the header with JSON escapes (`\/`, `\u0061`) showed it decoded; a
# Basic password with `"` or `\` showed as the hook's JSON spelt it. Both for every hook type's channel.
ESCAPED_PASSWORD = 'pa"ss\\w/rd-9f2'
ESCAPED_BASIC = "Basic " + base64.b64encode(f"admin:{ESCAPED_PASSWORD}".encode()).decode()
BEARER = "Bearer abc/def+ghi/jkl=="


def escaped_leaks(text: str, header: str) -> list[str]:
    """Any form of the header's secret in `text`, as decoded JSON shows it or as the wire spells it."""
    scheme, _, credential = header.partition(" ")
    forms = {header, credential}
    if scheme == "Basic":
        decoded = base64.b64decode(credential).decode()
        forms |= {decoded, decoded.partition(":")[2]}
    spelt = {json.dumps(form)[1:-1] for form in forms}
    return sorted(form for form in forms | spelt | {f.replace("/", "\\/") for f in spelt} if form in text)


@pytest.mark.parametrize("header", [ESCAPED_BASIC, BEARER], ids=["basic-quote-backslash", "bearer-slash"])
@pytest.mark.parametrize("how", ["plain", "slash", "unicode"])
@pytest.mark.parametrize("type_name", ["registration", "token"])
def test_a_secret_echoed_with_json_escapes_shows_nowhere(scripted, header, how, type_name):
    from mock_okta.hooktypes import REGISTRY

    hook_type = REGISTRY.get(type_name)
    config = ChannelConfig.from_header_lines(f"{scripted[1]}/echo-escaped/200/{how}", f"Authorization: {header}")
    run = run_hook_sync(hook_type.channel_config(config), hook_type, hook_type.build_request())
    shown = json.dumps(run.to_json(), ensure_ascii=False)
    assert escaped_leaks(shown, header) == []
    assert escaped_leaks(run.exchange.body.decode(), header) == []
    assert "<redacted>" in json.dumps(run.response_body())
    fired = CliRunner().invoke(
        cli,
        [
            "fire",
            "--type",
            type_name,
            "--hook-url",
            config.uri,
            "--auth-header",
            f"Authorization: {header}",
            "--json",
        ],
    )
    assert fired.output and escaped_leaks(fired.output, header) == []


def test_verify_reports_and_the_org_show_no_escaped_secret(scripted, okta_org, tmp_path):
    url = f"{scripted[1]}/echo-escaped/200/unicode"
    junit = tmp_path / "verify.xml"
    verified = CliRunner().invoke(
        cli,
        [
            "verify",
            "--type",
            "token",
            "--hook-url",
            url,
            "--auth-header",
            f"Authorization: {ESCAPED_BASIC}",
            "--junit-xml",
            str(junit),
            "--json",
        ],
    )
    assert junit.read_text() and escaped_leaks(junit.read_text(), ESCAPED_BASIC) == []
    assert verified.output and escaped_leaks(verified.output, ESCAPED_BASIC) == []
    hook = okta_org.attach_hook(url.replace("unicode", "slash"), f"Authorization: {BEARER}")
    api = httpx.Client(base_url=okta_org.url, headers=okta_org.api_headers)
    executed = api.post(f"/api/v1/inlineHooks/{hook.id}/execute", json=build_request(seed=2))
    assert executed.status_code == 200 and escaped_leaks(executed.text, BEARER) == []
    assert escaped_leaks(api.get("/_mock/journal").text, BEARER) == []
