"""Okta's error JSON for every failure the web layer sees: the org's OktaErrors, FastAPI's request validation,
unknown routes and methods, the spec's routes the mock does not serve (501, see `gaps`), and the database's
failures (a full disk: 503; anything else: 500)."""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ..errors import (
    ApiValidationError,
    InternalServerError,
    MalformedBody,
    MethodNotAllowed,
    NotEmulated,
    OktaError,
    ReadOnlyMode,
    ResourceNotFound,
)
from .gaps import GAP_HEADER, gap_for, spec_route

log = logging.getLogger("mock_okta.org")
# SQLite's primary result codes for a database that cannot take a write (the low byte of an extended code).
CANNOT_WRITE = (sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY)


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


async def handle_store_error(request: Request, exc: Exception) -> Response:
    """A database error, in Okta's error JSON rather than a plain-text 500 and a dropped connection. The store
    keeps a change and its System Log events in one transaction, so what failed was not kept: sending the request
    again once the disk has room gives the answer it would have had. SQLite's message names no value."""
    assert isinstance(exc, sqlite3.Error)  # registered for sqlite3.Error only
    code = getattr(exc, "sqlite_errorcode", None)
    # The route's template, not the path: a path can carry a token (an email link's).
    route = getattr(request.scope.get("route"), "path", "an unknown route")
    log.error("mock-okta: the org's database failed on %s %s: %s", request.method, route, exc)
    if code is not None and code & 0xFF in CANNOT_WRITE:
        return okta_error_response(ReadOnlyMode([f"mock-okta could not write the org's database ({exc}): not kept"]))
    return okta_error_response(InternalServerError([f"mock-okta's database failed: {exc}"]))


# The handler type FastAPI declares for `exception_handlers`.
Handler = Callable[[Request, Any], Coroutine[Any, Any, Response]]
EXCEPTION_HANDLERS: dict[int | type[Exception], Handler] = {
    OktaError: handle_okta_error,
    RequestValidationError: handle_invalid_request,
    HTTPException: handle_http_error,
    sqlite3.Error: handle_store_error,
}
