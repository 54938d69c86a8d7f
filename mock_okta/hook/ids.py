"""Okta-shaped ids and timestamps, for every hook type's requests and the org's objects."""

from __future__ import annotations

import secrets
import string
from datetime import UTC, datetime

_ID_ALPHABET = string.ascii_letters + string.digits


def okta_id(prefix: str) -> str:
    """An id shaped like Okta's: a 3-letter prefix and 17 base-62 characters (`reg…`, `00u…`, `cal…`)."""
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(20 - len(prefix)))


def event_time(now: datetime | None = None) -> str:
    """ISO-8601 UTC with milliseconds, as Okta writes `eventTime`."""
    now = now or datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
