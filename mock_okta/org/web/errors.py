"""Okta's error JSON for every failure the web layer sees: the org's OktaErrors, FastAPI's request validation,
unknown routes and methods, and the spec's routes the mock does not serve (501, see `gaps`)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ..errors import ApiValidationError, MalformedBody, MethodNotAllowed, NotEmulated, OktaError, ResourceNotFound
from .gaps import GAP_HEADER, gap_for, spec_route


def okta_error_response(error: OktaError) -> JSONResponse:
    """errorCode, errorSummary, errorLink (= the code), errorId, errorCauses: Okta's shape for every API error."""
    body = {
        "errorCode": error.code,
        "errorSummary": error.summary,
        "errorLink": error.code,
        "errorId": "oae" + secrets.token_urlsafe(16)[:19],
        "errorCauses": [{"errorSummary": c} if isinstance(c, str) else dict(c) for c in error.causes],
    }
    return JSONResponse(body, error.status)


async def handle_okta_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OktaError)  # registered for OktaError only
    if isinstance(exc, ResourceNotFound):
        gap = gap_for(request.method, request.url.path, request.app)
        if gap is not None:
            return _gap_response(NotEmulated(gap.method, gap.template))
    if isinstance(exc, NotEmulated):
        return _gap_response(exc)
    return okta_error_response(exc)


def _gap_response(gap: NotEmulated) -> Response:
    response = okta_error_response(gap)
    response.headers[GAP_HEADER] = gap.route
    return response


async def handle_invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)  # registered for RequestValidationError only
    errors = exc.errors()
    causes = [f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in errors]
    if any(error["loc"][:1] == ("body",) for error in errors):
        return okta_error_response(MalformedBody(causes))
    return okta_error_response(ApiValidationError(causes))


async def handle_http_error(request: Request, exc: Exception) -> Response:
    """Okta's error JSON for unknown routes and methods too."""
    assert isinstance(exc, HTTPException)  # registered for Starlette's HTTPException only
    if exc.status_code in (404, 405):
        route = spec_route(request.method, request.url.path)
        if route is not None:
            return _gap_response(NotEmulated(route.method, route.template))
    if exc.status_code == 405:
        return okta_error_response(MethodNotAllowed())
    if exc.status_code == 404:
        return okta_error_response(ResourceNotFound(request.url.path))
    error = OktaError(str(exc.detail))
    error.status = exc.status_code
    return okta_error_response(error)


# The handler type FastAPI declares for `exception_handlers`.
Handler = Callable[[Request, Any], Coroutine[Any, Any, Response]]
EXCEPTION_HANDLERS: dict[int | type[Exception], Handler] = {
    OktaError: handle_okta_error,
    RequestValidationError: handle_invalid_request,
    HTTPException: handle_http_error,
}
