"""schemathesis against the mock's own OpenAPI document, sent over real HTTP to a running mock: no generated
input makes it answer 5xx, except the 501 that names a route of Okta's spec the mock does not emulate (a method
schemathesis tries on a served path, e.g. PUT /api/v1/users/{id})."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from mock_okta.org.web import create_app
from mock_okta.org.web.gaps import GAP_HEADER


@schemathesis.check
def not_a_server_error_but_a_named_gap(ctx: Any, response: Any, case: Any) -> None:
    named_gap = GAP_HEADER.lower() in {name.lower() for name in response.headers}
    if response.status_code >= 500 and not (response.status_code == 501 and named_gap):
        raise AssertionError(f"{case.method} {case.path}: {response.status_code} {response.text[:200]}")


# The document is the app's own (what GET /openapi.json serves); requests go to the live server of `okta_org`.
schema = schemathesis.openapi.from_dict(create_app().openapi())


@schema.parametrize()
# Function-scoped fixtures here (pytest-playwright's autouse ones) hold nothing an example could disturb.
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_5xx_for_any_generated_request(case, mock_okta_server):
    server = mock_okta_server
    case.call_and_validate(
        base_url=server.url,
        headers=server.api_headers,
        checks=[not_a_server_error_but_a_named_gap],
        excluded_checks=[not_a_server_error],
        timeout=10,
    )
