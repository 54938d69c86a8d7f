"""schemathesis against the mock's own OpenAPI document, sent over real HTTP to a running mock: no generated
input makes it answer 5xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from mock_okta.org.web import create_app

# The document is the app's own (what GET /openapi.json serves); requests go to the live server of `okta_org`.
schema = schemathesis.openapi.from_dict(create_app().openapi())


@schema.parametrize()
# Function-scoped fixtures here (pytest-playwright's autouse ones) hold nothing an example could disturb.
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_5xx_for_any_generated_request(case, mock_okta_server):
    server = mock_okta_server
    case.call_and_validate(base_url=server.url, headers=server.api_headers, checks=[not_a_server_error], timeout=10)
