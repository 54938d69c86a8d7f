"""Okta's API error JSON and the errors the Management API raises."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

SUMMARIES = {
    "E0000001": "Api validation failed: {0}",
    "E0000003": "The request body was not well-formed.",
    "E0000006": "You do not have permission to perform the requested action",
    "E0000007": "Not found: Resource not found: {0}",
    "E0000011": "Invalid token provided",
    "E0000022": "The endpoint does not support the provided HTTP method",
    "E0000031": "Invalid search criteria.",
    "E0000134": "Okta could not communicate correctly with an inline hook.",
    "E0000135": "An inline hook responded with an error.",
    "E0000137": "Okta did not receive a response from an inline hook.",
}


class OktaError(Exception):
    def __init__(self, status: int, code: str, subject: str = "", causes: list[str] | None = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.summary = SUMMARIES[code].format(subject)
        self.causes = causes or []


def not_found(what: str, kind: str) -> OktaError:
    return OktaError(404, "E0000007", f"{what} ({kind})")


def okta_error_response(status: int, code: str, summary: str, causes: list[str] | None = None) -> JSONResponse:
    """errorCode, errorSummary, errorLink (= the code), errorId, errorCauses: Okta's shape for every API error."""
    body = {
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": "oae" + secrets.token_urlsafe(16)[:19],
        "errorCauses": [{"errorSummary": cause} for cause in causes or []],
    }
    return JSONResponse(body, status)


async def handle_okta_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OktaError)
    return okta_error_response(exc.status, exc.code, exc.summary, exc.causes)


def check_ssws(request: Request, token: str) -> None:
    """`Authorization: SSWS <token>`, compared in constant time."""
    header = request.headers.get("authorization", "")
    # Okta's own Python SDK (3.4) sends "SSWS<token>" without the space, and Okta accepts it.
    if not header.startswith("SSWS") or not hmac.compare_digest(header[4:].strip().encode(), token.encode()):
        raise OktaError(401, "E0000011")


class BodyLimit:
    """ASGI middleware: request bodies over `limit` bytes get Okta's error JSON with 413, declared or streamed."""

    def __init__(self, app: Any, limit: int = 1024 * 1024) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._reject(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                await self._reject(scope, receive, send)
                return
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        response = okta_error_response(
            413, "E0000001", f"Api validation failed: the request body exceeds {self.limit} bytes"
        )
        await response(scope, receive, send)
