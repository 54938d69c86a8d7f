"""Okta's hook types, one package each, on the shared engine of `mock_okta.hook`.

`REGISTRY` is the table every front door reads (the CLI, the cases file, the Inline Hooks API, Preview, the
journal, the pytest plugin). Adding a type: write its package (a `HookType` subclass and its parts) and register
it on the line below. `KNOWN` are the other inline hook types Okta's API takes: the mock stores and lists hooks of
these types, and calls none of them until a package emulates the type.
"""

from __future__ import annotations

from ..hook.registry import Registry
from .registration import REGISTRATION
from .token import TOKEN

KNOWN = (
    "com.okta.import.transform",
    "com.okta.saml.tokens.transform",
    "com.okta.telephony.provider",
    "com.okta.user.credential.password.import",
)

REGISTRY = Registry(known=KNOWN)
REGISTRY.register(REGISTRATION)
REGISTRY.register(TOKEN)

__all__ = ["KNOWN", "REGISTRATION", "REGISTRY", "TOKEN"]
