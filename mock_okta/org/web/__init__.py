"""The org over HTTP: Okta's Management API subset, the IDX endpoints and hosted sign-in page the Sign-In Widget
uses, the control API and the admin pages. Routes reach the org through `request.app.state.org`.

`create_app` is imported on first use: importing one module of this package (say `hosted_page`, to find the
widget) must not import the whole app, whose routers import that very module back (a cycle, and a third of a
second at every `mock-okta --help`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name != "create_app":
        raise AttributeError(f"module 'mock_okta.org.web' has no attribute {name!r}")
    from .app import create_app

    return create_app
