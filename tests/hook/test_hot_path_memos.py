"""What the channel works out once per config (its headers, its scrubber) and the fast paths of the scrubber and the
strict JSON check: a changed config is a new config with its own headers and secrets, and the fast paths answer
exactly as the full work does (the same scrubbed text, the same error naming the same place).

Sources: Okta sends the authScheme header and the custom headers with every call (okta-developer-docs
`docs/concepts/inline-hooks/index.md`, "Inline hook setup"); what must never show is the project's rule
(`mock_okta/hook/secrets.py`); strict JSON is `mock_okta/hook/jsonsafe.py`'s contract (RFC 8259: no NaN, no lone
surrogate; every key a string)."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date

import pytest

from mock_okta.hook.channel import AuthScheme, ChannelConfig
from mock_okta.hook.jsonsafe import UnrepresentableJson, check
from mock_okta.hook.secrets import REDACTED, Scrubber

URI = "http://127.0.0.1:9/hook"


def test_a_changed_config_has_its_own_headers_and_secrets():
    first = ChannelConfig.from_header_lines(URI, "Authorization: Basic Zmlyc3Q6b25l", ["X-Team: blue-team-key"])
    assert first.request_headers()["Authorization"] == "Basic Zmlyc3Q6b25l"
    assert first.request_headers(redact=True)["Authorization"] == REDACTED
    assert first.redact("got Basic Zmlyc3Q6b25l and blue-team-key") == f"got {REDACTED} and {REDACTED}"
    second = replace(first, auth_scheme=AuthScheme("Authorization", "Basic c2Vjb25kOnR3bw=="), headers=())
    assert second.request_headers()["Authorization"] == "Basic c2Vjb25kOnR3bw==" and "X-Team" not in (
        second.request_headers()
    )
    assert second.redact("Basic c2Vjb25kOnR3bw== blue-team-key") == f"{REDACTED} blue-team-key"
    # The first is unchanged by the second, and what a caller does to the headers it got is not kept.
    first.request_headers()["Authorization"] = "tampered"
    assert first.request_headers()["Authorization"] == "Basic Zmlyc3Q6b25l"
    assert first.scrubber("an-access-token").text("an-access-token") == REDACTED


@pytest.mark.parametrize(
    "values",
    [
        {"date": "Mon, 30 Nov 2026", "server": "uvicorn"},
        {"x-echo": "admin:supersecret", "server": "uvicorn"},
        {"a": "supersecret", "b": "nothing here", "c": "Basic YWRtaW46c3VwZXJzZWNyZXQ= again"},
        {"split": "super", "across": "secret"},
    ],
)
def test_scrubbing_headers_at_once_is_scrubbing_each(values):
    scrub = Scrubber(["Basic YWRtaW46c3VwZXJzZWNyZXQ="])
    assert scrub.texts(values) == {key: scrub.text(value) for key, value in values.items()}
    assert not any("supersecret" in value for value in scrub.texts(values).values())


def test_a_scrubber_without_secrets_changes_nothing():
    scrub = Scrubber([None, ""])
    assert scrub.text("abc") == "abc" and scrub.bytes(b'{"a":"\\u0062"}') == b'{"a":"\\u0062"}'
    assert scrub.texts({"a": "b"}) == {"a": "b"}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"a": [1, {"b": "x\ud800"}]}, "lone surrogate"),
        ({"a": {"\udfff": 1}}, "lone surrogate"),
        ({"a": [0.5, math.nan]}, "NaN and Infinity"),
        ({"a": {1: "x"}}, "$.a: the key '1' is not a text: quote it"),
        ({"a": [{"b": date(2026, 1, 31)}]}, "$.a[0].b: 2026-01-31 is a date, not a JSON value: quote it"),
        ({"a": (1, 2)}, "$.a: (1, 2) is a tuple, not a JSON value: quote it"),
        ({"a": b"hi"}, "$.a: b'hi' is binary data, not a JSON value: quote it"),
    ],
)
def test_strict_json_names_the_problem_and_where(document, message):
    with pytest.raises(UnrepresentableJson, match=re.escape(message)):
        check(document)


def test_strict_json_depth_and_what_passes():
    deep: object = "leaf"
    for _ in range(64):
        deep = [deep]
    with pytest.raises(UnrepresentableJson, match="nested deeper than 64 levels"):
        check({"a": deep})
    check({"a": [1, 2.5, True, None, "é", {"b": ["ü", {"c": -1}]}], "": ""})
