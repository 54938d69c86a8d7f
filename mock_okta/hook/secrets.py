"""Keeping secrets out of everything the mock shows or stores: the auth header's value, custom header values, the
OAuth client secret and client assertion, the access token of an attempt.

A hook or a token endpoint may repeat what it received (a 401 body "bad secret <it>", a debugContext echoing the
header). Okta never shows those secrets back; neither may the journal, the System Log, the admin pages, `fire`'s
JSON or `verify`'s JUnit XML, which CI publishes. So the channel scrubs every answer as it reads it, in the forms a
secret takes on the wire: as sent, JSON-escaped, and for `Basic` credentials the base64 part and the decoded
`user:password` and password.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable

REDACTED = "<redacted>"
# Shorter values are left alone: replacing a 1-3 character "secret" would garble every answer, and a value that
# short guards nothing anyway.
MIN_SECRET_LENGTH = 4


def variants(secret: str) -> set[str]:
    """The forms `secret` may take in an answer that repeats it."""
    forms = {secret, json.dumps(secret)[1:-1]}
    scheme, _, credential = secret.partition(" ")
    if credential.strip():
        forms.add(credential.strip())
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(credential.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                decoded = ""
            if decoded:
                forms.add(decoded)
                forms.add(decoded.partition(":")[2])
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


class Scrubber:
    """Replaces every form of the given secrets, longest first (so a password inside `user:password` goes with it)."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        forms = {form for secret in secrets if secret for form in variants(secret)}
        self.forms = sorted(forms, key=len, reverse=True)
        self._bytes = [(form.encode(), REDACTED.encode()) for form in self.forms]

    def text(self, text: str) -> str:
        for form in self.forms:
            if form in text:
                text = text.replace(form, REDACTED)
        return text

    def bytes(self, raw: bytes) -> bytes:
        for form, redacted in self._bytes:
            if form in raw:
                raw = raw.replace(form, redacted)
        return raw

    def __bool__(self) -> bool:
        return bool(self.forms)
