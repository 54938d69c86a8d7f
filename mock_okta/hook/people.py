"""Generated people for any hook type's requests (faker): a name and a unique-looking address."""

from __future__ import annotations

import secrets
from functools import lru_cache

from faker import Faker


@lru_cache(maxsize=8)
def faker(locale: str) -> Faker:
    # Building a Faker loads every provider for the locale (tens of ms); one per locale is plenty.
    return Faker(locale)


def fake_person(*, seed: int | None = None, locale: str = "en_US", domain: str | None = None) -> tuple[str, str, str]:
    """(first name, last name, address at `domain`, default example.com); `seed` makes them repeatable."""
    fake = faker(locale)
    fake.seed_instance(seed if seed is not None else secrets.randbits(64))
    first, last = fake.first_name(), fake.last_name()
    local = "".join(ch for ch in f"{first}.{last}".lower() if ch.isascii() and (ch.isalnum() or ch == "."))
    # The numeric tail keeps addresses unique across thousands of generated users.
    return first, last, f"{local or 'user'}.{fake.random_int(1000, 9999)}@{domain or 'example.com'}"
