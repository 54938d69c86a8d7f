"""What a Classic Engine org's end user sees for each hook answer: one text in the v1 widget's banner.

The rule is the widget's own (okta-signin-widget `src/v1/controllers/RegistrationController.js`, courage
`BaseForm.__showErrors` and `ErrorParser`; `test/unit/spec/v1/Registration_spec.js`: "render error summary when
errorCause is using location that starts with data.userProfile", "render generic error when errorCause is using
location that does not start with data.userProfile"), applied to Okta's 400 E0000135 carrying the hook's causes.
"""

from __future__ import annotations

import pytest

from mock_okta.hook.channel import ChannelConfig
from mock_okta.hook.outcome import HookRun
from mock_okta.hook.run import run_hook_sync
from mock_okta.hooktypes import REGISTRATION
from mock_okta.hooktypes.registration.payloads import build_request
from mock_okta.hooktypes.registration.verdict import classic_banner

CLASSIC_FAILED = "Registration cannot be completed at this time"
FIELD_ERRORS = "We found some errors. Please review the form and make corrections."
EMAIL_CAUSE = "Only example.com emails can register."


def fire(base: str, path: str) -> HookRun:
    request = build_request(seed=3, email="pat.doe@example.com", engine="classic")
    return run_hook_sync(ChannelConfig(base + path, timeout=0.5, max_retries=1), REGISTRATION, request)


@pytest.mark.parametrize(
    ("path", "registration", "shown"),
    [
        pytest.param("/respond/allow", "ALLOW", [], id="ALLOW"),
        pytest.param("/nocontent", "ALLOW", [], id="204"),
        pytest.param("/respond/deny-with-field-error", "DENY", [EMAIL_CAUSE], id="cause at data.userProfile.email"),
        pytest.param("/respond/cause-unknown-field", "DENY", [EMAIL_CAUSE], id="cause at another data.userProfile"),
        pytest.param("/respond/cause-missing-fields", "DENY", ["Bad address."], id="cause without location"),
        pytest.param("/respond/deny-without-error", "DENY", [CLASSIC_FAILED], id="DENY without error"),
        pytest.param("/respond/error-without-causes", "DENY", [CLASSIC_FAILED], id="error without causes"),
        pytest.param("/hang", "DENY", [CLASSIC_FAILED], id="timeout"),
        pytest.param("/text", "DENY", [CLASSIC_FAILED], id="invalid response"),
    ],
)
def test_classic_end_user_sees_one_banner_text(scripted, path, registration, shown):
    run = fire(scripted[1], path)
    assert run.outcome == registration
    assert [(m.field, m.text) for m in run.verdict.messages] == [(None, text) for text in shown]


@pytest.mark.parametrize(
    ("causes", "banner"),
    [
        pytest.param([], CLASSIC_FAILED, id="no causes: the API's errorSummary"),
        pytest.param(
            [{"errorSummary": "A", "location": "data.userProfile.login"}, {"errorSummary": "B"}],
            "A",
            id="first cause at data.userProfile",
        ),
        pytest.param([{"errorSummary": "A", "location": "someLocation"}], FIELD_ERRORS, id="other location"),
        pytest.param([{"errorSummary": "A"}, {"errorSummary": "B", "location": "x"}], FIELD_ERRORS, id="any located"),
        pytest.param([{"errorSummary": "email: taken"}], FIELD_ERRORS, id="'field: text' summary"),
        pytest.param([{"errorSummary": "A"}, {"errorSummary": "B"}], "A", id="no field errors: the first cause"),
    ],
)
def test_banner_rule_of_the_v1_widget(causes, banner):
    assert classic_banner(causes) == banner


def test_classic_request_never_applies_the_identity_engine_field_rule(scripted):
    """Identity Engine shows a cause under its field; Classic has no field placement."""
    run = fire(scripted[1], "/respond/deny-with-field-error")
    assert all(m.field is None for m in run.verdict.messages)
