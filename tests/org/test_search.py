"""Okta's search and filter expressions as the mock reads them (Users API `search`, System Log `filter`)."""

from __future__ import annotations

import pytest

from mock_okta.org import Org
from mock_okta.org.errors import InvalidSearch
from mock_okta.org.models import UserStatus
from mock_okta.org.search import matches, parse_filter

EVENT = {
    "eventType": "user.lifecycle.create",
    "target": [{"id": "00u1", "type": "User", "alternateId": "Pat@Example.com"}, {"id": "0oa1", "type": "AppInstance"}],
    "outcome": {"result": "SUCCESS", "reason": None},
}


@pytest.mark.parametrize(
    ("expression", "matched"),
    [
        ('eventType eq "user.lifecycle.create"', True),
        ('eventType eq "inline_hook.executed" or eventType eq "user.lifecycle.create"', True),
        # A LogEvent's target is an array; Okta's System Log filters on `target.id eq ":id"` ("events published with
        # a specific target id", the spec's listLogEvents `filter` description), i.e. any element matches.
        ('target.alternateId eq "pat@example.com"', True),
        ('target.type eq "AppInstance" and target.id eq "00u1"', True),
        ('target.id eq "00u2"', False),
        ("outcome.reason pr", False),
        ('outcome.result sw "SUC"', True),
    ],
)
def test_filter(expression, matched):
    assert matches(EVENT, parse_filter(expression)) is matched


def test_unreadable_expression_is_okta_e0000031():
    with pytest.raises(InvalidSearch) as raised:
        parse_filter("eventType = x")
    assert raised.value.code == "E0000031" and raised.value.status == 400


@pytest.mark.parametrize(
    ("expression", "logins"),
    [
        ('profile.email eq "ADA@example.com"', ["ada@example.com"]),
        ('profile.lastName eq "O\\"Brien"', ["ob@example.com"]),
        ('profile.firstName sw "ad" and status eq "ACTIVE"', ["ada@example.com"]),
        ('profile.city eq "100%_x"', ["pct@example.com"]),
        ('profile.firstName eq "Zoë"', ["zoe@example.com"]),
        ('profile.firstName eq "nobody" or profile.firstName eq "Ada"', ["ada@example.com"]),
    ],
)
def test_search_finds_exactly_what_matches_whatever_the_narrowing(expression, logins):
    """The SQL narrowing before the exact match never loses a user: case, quotes, LIKE's own wildcards,
    non-ASCII values and `or` all give the same answer as matching every user."""
    org = Org()
    for login, first, last, extra in [
        ("ada@example.com", "Ada", "Lovelace", {}),
        ("ob@example.com", "Pat", 'O"Brien', {}),
        ("pct@example.com", "Per", "Cent", {"city": "100%_x"}),
        ("pcx@example.com", "Per", "Cent", {"city": "100ab_x"}),
        ("zoe@example.com", "Zoë", "Z", {}),
    ]:
        org.store.create_user(
            {"login": login, "email": login, "firstName": first, "lastName": last, **extra}, UserStatus.ACTIVE
        )
    assert [u.login for u in org.users.find(search=expression)] == logins
