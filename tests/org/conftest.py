"""Fixtures the org's test modules share (plain helpers are in helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

# The helpers assert; rewritten like the tests' own asserts, a failure shows the values compared.
pytest.register_assert_rewrite("tests.org.helpers")


@pytest.fixture
def api(okta_org) -> Iterator[httpx.Client]:
    """A client of the test's mock org that sends its API token (SSWS), as an admin's script would."""
    with httpx.Client(base_url=okta_org.url, headers=okta_org.api_headers, timeout=15) as client:
        yield client
