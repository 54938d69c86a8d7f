"""The org over HTTP: Okta's Management API subset, the IDX endpoints and hosted sign-in page the Sign-In Widget
uses, the control API and the admin pages. Routes reach the org through `request.app.state.org`."""

from .app import create_app

__all__ = ["create_app"]
