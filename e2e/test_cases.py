"""The team's cases file through the Sign Up page: every case's outcome on screen, the created user and its
profile updates through the Users API, and in the System Log that Okta called the hook and decided as expected.

`pytest e2e --okta-target mock|org --okta-cases FILE` (default: the guide's two cases); on the mock the hook under
test is `--okta-hook-url` (default: the bundled sample hook), on an org the one `mock-okta org attach` attached."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mock_okta.hook.cases import Case, Expect
from mock_okta.testing.pages import SignInPage

from .targets import Target

GENERIC = "There was an error creating your account. Please try registering again."
HOOK_EVENTS = 'eventType eq "inline_hook.response.processed" or eventType eq "inline_hook.executed"'


def test_case_through_the_sign_up_page(case: Case, sign_in: SignInPage, okta_target: Target):
    if case.request_type != "registration":
        pytest.skip("progressive profile needs a signed-in user: `mock-okta verify` and --okta-hook-url check it")
    values = case.form(okta_target.uid())
    email = values["email"]
    started = datetime.now(UTC)
    outcome = sign_in.go_to_sign_up().fill_present(values).submit()
    try:
        if case.expect == Expect.ALLOW:
            outcome.expect_allowed()
        elif case.expect == Expect.FAILURE:
            outcome.expect_form_error(GENERIC)
        elif case.field is not None:
            outcome.expect_field_error(case.field, case.message or "")
        elif case.message is not None:
            outcome.expect_form_error(case.message)
        else:
            outcome.expect_denied()

        user = okta_target.users.find_user_by_email(email)
        if case.expect == Expect.ALLOW:
            assert user is not None, f"no user {email} after an allowed sign-up"
            for attribute, value in case.profile_updates.items():
                assert user["profile"].get(attribute) == value, f"the user's {attribute} is not {value!r}"
        else:
            assert user is None, f"a {case.expect} case created the user {email}"

        okta_target.wait_for_event(started, HOOK_EVENTS, "call of the inline hook")
        created = f'eventType eq "user.lifecycle.create" and target.alternateId eq "{email}"'
        if case.expect == Expect.ALLOW:
            okta_target.wait_for_event(started, created, f"user.lifecycle.create for {email}")
        else:
            assert okta_target.log_events(started, created) == [], f"the System Log shows {email} created"
    except AssertionError as exc:
        raise AssertionError(f"case {case.name!r}: {exc}\n{okta_target.explain(email)}") from None
