"""`POST /registrationHook`, `POST /tokenHook` and `GET /healthz`.

The hook endpoints are plain ASGI callables reached before Starlette's router: Okta gives a hook 3 s in all, and
benchmarks/README.md shows Starlette's request/response objects and middleware cost about a third of the
throughput on this path. Everything else (health, 404, 405) goes through Starlette.
"""

from __future__ import annotations

import hmac
import json
import time
import uuid
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from mock_okta.hooktypes.registration.contract import PROGRESSIVE_PROFILE, ContractError, validate_request
from mock_okta.hooktypes.token.contract import EVENT_TYPE as TOKEN_EVENT_TYPE

from . import rules
from .oauth import TokenValidator
from .settings import HookSettings

HOOK_PATH = "/registrationHook"
# The token inline hook guide's endpoint (docs/guides/token-inline-hook: `app.post("/tokenHook", ...)`).
TOKEN_HOOK_PATH = "/tokenHook"


class _Rejected(Exception):
    def __init__(self, status: int, code: str = "", message: str = "", location: str = "$") -> None:
        self.status, self.code, self.message, self.location = status, code, message, location


class _Endpoint:
    """What every hook route does before its rules: auth, content checks, a bounded body, strict JSON."""

    # The name of the hook type in "not an Okta ... request" answers.
    kind = ""

    def __init__(self, settings: HookSettings) -> None:
        self.settings = settings
        self._header = settings.auth_header_name.lower().encode("latin-1")
        self._secret = settings.auth_header_value.encode("latin-1")
        self._tokens = (
            TokenValidator(settings.oauth_issuer, settings.oauth_audience, settings.oauth_scope)
            if settings.oauth_issuer
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"])
        try:
            if self._tokens is not None and not await self._tokens.valid(headers.get(b"authorization")):
                raise _Rejected(401)
            answer = self.answer(headers, await self._body(scope, receive))
        except _Rejected as rejected:
            if rejected.status == 401:
                await _send(send, 401, b"")
            else:
                error = {"error": rejected.code, "message": rejected.message, "location": rejected.location}
                await _send(send, rejected.status, json.dumps(error).encode())
            return
        if answer is None:
            await _send(send, 204, b"")
        else:
            await _send(send, 200, json.dumps(answer, separators=(",", ":")).encode())

    def answer(self, headers: dict[bytes, bytes], raw: bytes) -> dict[str, Any] | None:
        """The answer to an authenticated call (with OAuth the Bearer token was checked before the body was read);
        None: 204, no change."""
        return self.respond(self.authenticated_body(headers, raw))

    def respond(self, body: dict[str, Any]) -> dict[str, Any] | None:
        raise NotImplementedError

    def authenticated_body(self, headers: dict[bytes, bytes], raw: bytes) -> dict[str, Any]:
        if self._tokens is None:
            supplied = headers.get(self._header)
            # compare_digest keeps the time independent of where the first wrong byte is.
            if supplied is None or not hmac.compare_digest(supplied, self._secret):
                raise _Rejected(401)
        media_type = headers.get(b"content-type", b"").partition(b";")[0].strip().lower()
        if media_type != b"application/json":
            raise _Rejected(415, "unsupported_media_type", "Content-Type must be application/json")
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise _Rejected(400, "invalid_json", f"body is not valid JSON: {exc}") from None
        if self.settings.record_dir is not None and isinstance(body, dict):
            record(Path(self.settings.record_dir), body)
        if not isinstance(body, dict):
            raise _Rejected(400, "invalid_request", f"not an Okta {self.kind} hook request: expected a JSON object")
        return body

    async def _body(self, scope: Scope, receive: Receive) -> bytes:
        limit = self.settings.max_body_bytes
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                raise _Rejected(413, "payload_too_large", f"body is larger than {limit} bytes")
        body = b""
        while True:
            message = await receive()
            chunk: bytes = message.get("body", b"")
            body += chunk
            if len(body) > limit:
                raise _Rejected(413, "payload_too_large", f"body is larger than {limit} bytes")
            if not message.get("more_body"):
                return body


class RegistrationHook(_Endpoint):
    """The guide's registration hook: the exact domain rule, and progressive profile's employee number."""

    kind = "registration"

    def respond(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            parsed = validate_request(body)
        except ContractError as exc:
            message = f"not an Okta registration hook request: {exc.message}"
            raise _Rejected(400, "invalid_request", message, exc.path) from None
        if getattr(parsed, "requestType", None) == PROGRESSIVE_PROFILE:
            return rules.progressive_profile(body["data"]["userProfileUpdate"])
        return rules.registration(body["data"]["userProfile"], self.settings.allowed_domains)


class TokenHook(_Endpoint):
    """The token inline hook guide's patients hook: `extPatientId` in the ID token of a known patient, nothing
    (204) for anyone else."""

    kind = "token"

    def respond(self, body: dict[str, Any]) -> dict[str, Any] | None:
        # A tolerant reader: the guide's hook reads `data.identity.claims.preferred_username` and nothing else, and so
        # does this. Okta's spec marks no member of TokenPayLoad, BaseToken or BaseContext required, and the guide's
        # Preview request (an `identity` of `claims` alone, no `token`) must be answered, not refused. What is not a
        # token hook request at all (another eventType, no `data` object) is still a 400.
        if body.get("eventType") != TOKEN_EVENT_TYPE:
            message = f"not an Okta token hook request: eventType must be {TOKEN_EVENT_TYPE}"
            raise _Rejected(400, "invalid_request", message, "eventType")
        data = body.get("data")
        if not isinstance(data, dict):
            raise _Rejected(400, "invalid_request", "not an Okta token hook request: data must be an object", "data")
        identity = data.get("identity")
        if identity is None:
            return rules.patient_claim(None, id_token=False)  # no ID token is minted: nothing to patch
        claims = identity.get("claims") if isinstance(identity, dict) else None
        if not isinstance(claims, dict):
            message = "not an Okta token hook request: data.identity.claims must be an object"
            raise _Rejected(400, "invalid_request", message, "data.identity.claims")
        return rules.patient_claim(claims.get("preferred_username"), id_token=True)


class HookApp:
    """ASGI entry: the hook paths straight to their endpoints, the rest to Starlette."""

    def __init__(self, settings: HookSettings) -> None:
        self.settings = settings
        self.hook = RegistrationHook(settings)
        self.token_hook = TokenHook(settings)
        self._endpoints: dict[str, _Endpoint] = {HOOK_PATH: self.hook, TOKEN_HOOK_PATH: self.token_hook}
        self.starlette = Starlette(
            routes=[
                Route(HOOK_PATH, self.hook, methods=["POST"]),
                Route(TOKEN_HOOK_PATH, self.token_hook, methods=["POST"]),
                Route("/healthz", _healthz, methods=["GET"]),
            ],
            exception_handlers={HTTPException: _http_error},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = self._endpoints.get(scope["path"]) if scope["type"] == "http" else None
        if endpoint is not None and scope["method"] == "POST":
            await endpoint(scope, receive, send)
        else:
            await self.starlette(scope, receive, send)


def create_app(settings: HookSettings | None = None) -> HookApp:
    return HookApp(settings or HookSettings.build())


def record(folder: Path, body: dict[str, Any]) -> None:
    """One file per request, for `mock-okta drift`; the name sorts by arrival."""
    name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.json"
    (folder / name).write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")


async def _healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = "method_not_allowed" if exc.status_code == 405 else "not_found"
    content = {"error": code, "message": str(exc.detail), "location": "$"}
    return JSONResponse(content, status_code=exc.status_code, headers=exc.headers)


async def _send(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-length", str(len(body)).encode())]
    if body:
        headers.append((b"content-type", b"application/json"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
