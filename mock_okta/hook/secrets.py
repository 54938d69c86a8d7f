"""Keeping secrets out of everything the mock shows or stores: the auth header's value, custom header values, the
OAuth client secret and client assertion, the access token of an attempt.

A hook or a token endpoint may repeat what it received (a 401 body "bad secret <it>", a debugContext echoing the
header). Okta never shows those secrets back; neither may the journal, the System Log, the admin pages, `fire`'s
JSON or `verify`'s JUnit XML, which CI publishes. So the channel scrubs every answer as it reads it, in the forms a
secret takes on the wire: as sent, JSON-escaped, and for `Basic` credentials the base64 part and the decoded
`user:password` and password. JSON may spell any character as an escape (`\\/`, `\\u0061`), and what the mock shows is
the body decoded: so a JSON body with an escape in it is also scrubbed string by string, as decoded.
"""

from __future__ import annotations

import base64
import binascii
import builtins
import json
import re
from collections.abc import Iterable
from typing import Any

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
    # Each form as a JSON string spells it: with its quotes and backslashes escaped, and with `/` as `\/`.
    escaped = {json.dumps(form, ensure_ascii=ascii)[1:-1] for form in forms for ascii in (True, False)}
    forms |= escaped | {form.replace("/", "\\/") for form in escaped}
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


class Scrubber:
    """Replaces every form of the given secrets, longest first (so a password inside `user:password` goes with it)."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        forms = {form for secret in secrets if secret for form in variants(secret)}
        self.forms = sorted(forms, key=len, reverse=True)
        self._bytes = [(form.encode(), REDACTED.encode()) for form in self.forms]
        # Every answer of every call is scrubbed and nearly none holds a secret: one search for any form first (in
        # C), and the replacing, longest form first, only when one is there.
        self._any_text = re.compile("|".join(map(re.escape, self.forms))) if self.forms else None
        self._any_bytes = re.compile(b"|".join(re.escape(form) for form, _ in self._bytes)) if self.forms else None

    def text(self, text: str) -> str:
        if self._any_text is None or not self._any_text.search(text):
            return text
        for form in self.forms:
            if form in text:
                text = text.replace(form, REDACTED)
        return text

    def texts(self, values: dict[str, str]) -> dict[str, str]:
        """`values` (e.g. an answer's headers) with each value scrubbed, as `text` does it."""
        if self._any_text is None or not self._any_text.search("\n".join(values.values())):
            return dict(values)
        return {key: self.text(value) for key, value in values.items()}

    def bytes(self, raw: bytes) -> bytes:
        if self._any_bytes is None:
            return raw
        if self._any_bytes.search(raw):
            for form, redacted in self._bytes:
                if form in raw:
                    raw = raw.replace(form, redacted)
        if self.forms and b"\\" in raw:  # without an escape, every decoded string is spelt as on the wire
            raw = self._decoded(raw)
        return raw

    def _decoded(self, raw: builtins.bytes) -> builtins.bytes:
        """`raw` re-encoded with every decoded string scrubbed, when it is JSON that hides a secret in escapes."""
        try:
            document = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return raw
        try:
            scrubbed = self._json(document)
        except RecursionError:
            return raw
        if scrubbed == document:
            return raw
        return json.dumps(scrubbed, ensure_ascii=False).encode()

    def _json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(key): self._json(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._json(item) for item in value]
        return value

    def __bool__(self) -> bool:
        return bool(self.forms)
