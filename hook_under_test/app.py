"""`POST /registrationHook` and `GET /healthz` as a Starlette app."""

from __future__ import annotations

import hmac
import json
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mock_okta.contract import PROGRESSIVE_PROFILE, ContractError, validate_request

from . import rules
from .settings import HookSettings


class _TooLarge(Exception):
    pass


def create_app(settings: HookSettings | None = None) -> Starlette:
    settings = settings or HookSettings.build()
    header_name = settings.auth_header_name.lower()
    secret = settings.auth_header_value.encode("latin-1")
    limit = settings.max_body_bytes

    async def registration_hook(request: Request) -> Response:
        supplied = request.headers.get(header_name)
        # compare_digest keeps the time independent of where the first wrong byte is.
        if supplied is None or not hmac.compare_digest(supplied.encode("latin-1"), secret):
            return Response(status_code=401)
        media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type != "application/json":
            return _error(415, "unsupported_media_type", "Content-Type must be application/json")
        try:
            raw = await _read_body(request, limit)
        except _TooLarge:
            return _error(413, "payload_too_large", f"body is larger than {limit} bytes")
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            return _error(400, "invalid_json", f"body is not valid JSON: {exc}")
        try:
            parsed = validate_request(body)
        except ContractError as exc:
            return _error(400, "invalid_request", f"not an Okta registration hook request: {exc.message}", exc.path)
        if getattr(parsed, "requestType", None) == PROGRESSIVE_PROFILE:
            answer = rules.progressive_profile(body["data"]["userProfileUpdate"])
        else:
            answer = rules.registration(body["data"]["userProfile"], settings.allowed_domains)
        return JSONResponse(answer)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = "method_not_allowed" if exc.status_code == 405 else "not_found"
        return _error(exc.status_code, code, str(exc.detail), headers=exc.headers)

    return Starlette(
        routes=[
            Route("/registrationHook", registration_hook, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        exception_handlers={HTTPException: http_error},
    )


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _TooLarge
    return bytes(body)


def _error(
    status: int, code: str, message: str, location: str = "$", headers: dict[str, str] | None = None
) -> JSONResponse:
    content: dict[str, Any] = {"error": code, "message": message, "location": location}
    return JSONResponse(content, status_code=status, headers=headers)
