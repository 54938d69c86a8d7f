"""The pytest plugin as another project uses it: fixtures arrive through the pytest11 entry point."""

from __future__ import annotations

pytest_plugins = ["pytester"]

EXAMPLE = """
import re
import pytest
from mock_okta import assert_allowed, assert_denied

def test_allowed(mock_okta):
    assert_allowed(mock_okta.fire(domain="example.com"))

def test_denied(mock_okta):
    assert_denied(mock_okta.fire(domain="gmail.com"), field="email", message=re.compile("Only example.com"))

def test_factory_is_seeded_per_test(registration_request, mock_okta):
    first, second = registration_request(), registration_request(domain="example.com")
    assert first["data"]["userProfile"] != second["data"]["userProfile"]
    assert_allowed(mock_okta.fire(second))

def test_failure_message_shows_the_exchange(mock_okta):
    run = mock_okta.fire(domain="gmail.com")
    with pytest.raises(AssertionError) as info:
        assert_allowed(run)
    text = str(info.value)
    assert "expected Okta to ALLOW" in text and "attempt 1: status=200" in text
    assert "end user sees: 'Only example.com emails can register.' under email" in text
"""


def test_plugin_fixtures_in_a_fresh_project(pytester):
    pytester.makepyfile(test_example=EXAMPLE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=4)


def test_overriding_the_hook_url_fixture(pytester, scripted):
    base = scripted[1]
    pytester.makeconftest(
        f'''
import pytest

@pytest.fixture
def okta_hook_url():
    return "{base}/respond/deny-without-error"

@pytest.fixture
def okta_hook_auth_header():
    return None
'''
    )
    pytester.makepyfile(
        test_own_hook="""
from mock_okta import assert_denied

def test_own_hook(mock_okta):
    assert_denied(mock_okta.fire(), message="Registration denied.")
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1)
