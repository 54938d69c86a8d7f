"""How `/v1/authorize` answers: an error page while the client is not trusted, else the client's redirect URI with
the code (or the error) in its response mode. Shared by the authorize endpoint and the end of a sign-in
(`/login/token/redirect`)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from ..oidc import Outcome, Redirect, Shown
from .templating import templates

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def authorize_response(request: Request, outcome: Outcome) -> Response:
    """A shown error page, or the answer at the client's redirect URI in its response mode."""
    if isinstance(outcome, Shown):
        context: dict[str, object] = {"title": outcome.error, "text": outcome.description}
        return templates.TemplateResponse(request, "notice.html", context, outcome.status, headers=NO_STORE)
    assert isinstance(outcome, Redirect)
    if outcome.mode == "form_post":
        context = {"action": outcome.redirect_uri, "params": outcome.params}
        return templates.TemplateResponse(request, "form_post.html", context, headers=NO_STORE)
    separator = "#" if outcome.mode == "fragment" else ("&" if "?" in outcome.redirect_uri else "?")
    # "The Referrer-Policy header is automatically included ... no-referrer" (docs /authorize, response_mode).
    headers = {**NO_STORE, "Referrer-Policy": "no-referrer"}
    return RedirectResponse(outcome.redirect_uri + separator + urlencode(outcome.params), 302, headers=headers)
