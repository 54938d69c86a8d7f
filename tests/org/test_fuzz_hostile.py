"""A short sample of hostile requests at every entry point of the org (issue 9): no 5xx, and every read still
answers 200 afterwards. `benchmarks/run.py --only fuzz` sends 10,000 of the same."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from mock_okta.hook.settings import CallSettings
from mock_okta.org import Org, OrgSettings
from mock_okta.org.web import create_app
from mock_okta.serving.thread import ServerThread
from mock_okta.testing.hostile import READS, HostileRequest, hostile_requests, oauth_ids, send

TOKEN = "fuzz-token"


@pytest.fixture(scope="module")
def target(scripted) -> Iterator[tuple[Org, httpx.Client, dict[str, str]]]:
    org = Org(settings=OrgSettings(call=CallSettings(timeout=0.5, max_retries=0), api_token=TOKEN, rate_limit=10**6))
    hook = org.inline_hooks.create_and_attach("fuzzed", f"{scripted[1]}/respond/allow", None)
    policy = org.store.policy()
    with ServerThread(create_app(org)) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        ids = {
            "hook": hook.id,
            "policy": policy.id,
            "rule": "rul1default0catchall",
            "user": "00uNone",
            "registration": org.classic.setting().policy_id,
            **oauth_ids(org),
        }
        yield org, client, ids


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(request=hostile_requests())
def test_no_hostile_request_breaks_the_org(target, request: HostileRequest):
    org, client, ids = target
    handle = org.flow.start()
    client.post("/idp/idx/enroll", json={"stateHandle": handle})
    response = send(client, request, {**ids, "handle": handle}, TOKEN)
    assert response.status_code < 500, (request, response.text[:500])
    for path in READS:
        read = client.get(path, headers={"Authorization": f"SSWS {TOKEN}"})
        assert read.status_code == 200, (request, path, read.text[:500])
