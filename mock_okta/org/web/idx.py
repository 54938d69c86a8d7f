"""`/idp/idx/*`: the Identity Engine endpoints the Sign-In Widget calls. A JSON object in, an ion document out;
the flow itself is the org's `RegistrationFlow`."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request, Response

from ...hook.jsonsafe import loads_strict
from ..idx import RegistrationFlow
from ..ion import ION_CONTENT_TYPE, IdxReply, message, messages
from .deps import base_url, client_ip, org_of
from .middleware import is_json

router = APIRouter(prefix="/idp/idx", include_in_schema=False)
Step = Callable[[RegistrationFlow, dict[str, Any], Request], Awaitable[IdxReply]]


async def introspect(flow: RegistrationFlow, body: dict[str, Any], request: Request) -> IdxReply:
    # The hosted page boots the widget with a stateToken; later calls carry the stateHandle.
    return flow.introspect(body.get("stateToken") or body.get("stateHandle"), base_url(request))


async def enroll_new(flow: RegistrationFlow, body: dict[str, Any], request: Request) -> IdxReply:
    ip = client_ip(request)
    return await flow.enroll_new(body.get("stateHandle"), body.get("userProfile"), base_url(request), ip)


def by_handle(step: Callable[[RegistrationFlow, Any, str], IdxReply]) -> Step:
    async def call(flow: RegistrationFlow, body: dict[str, Any], request: Request) -> IdxReply:
        return step(flow, body.get("stateHandle"), base_url(request))

    return call


async def identify(flow: RegistrationFlow, body: dict[str, Any], request: Request) -> IdxReply:
    return flow.identify(body.get("stateHandle"), body.get("identifier"), base_url(request))


async def answer(flow: RegistrationFlow, body: dict[str, Any], request: Request) -> IdxReply:
    origin, ip = base_url(request), client_ip(request)
    return flow.journey.answer(body.get("stateHandle"), body.get("credentials"), origin, ip)


async def resend(flow: RegistrationFlow, body: dict[str, Any], request: Request) -> IdxReply:
    return flow.journey.resend(body.get("stateHandle"), base_url(request), client_ip(request))


async def poll(flow: RegistrationFlow, body: dict[str, Any], request: Request) -> IdxReply:
    return flow.journey.poll(body.get("stateHandle"), base_url(request))


async def enroll_update(flow: RegistrationFlow, body: dict[str, Any], request: Request) -> IdxReply:
    origin, ip = base_url(request), client_ip(request)
    return await flow.journey.update_profile(body.get("stateHandle"), body.get("userProfile"), origin, ip)


async def credential_enroll(flow: RegistrationFlow, body: dict[str, Any], request: Request) -> IdxReply:
    handle, chosen = body.get("stateHandle"), body.get("authenticator")
    return flow.journey.enroll_authenticator(handle, chosen, base_url(request), client_ip(request))


async def skip(flow: RegistrationFlow, body: dict[str, Any], request: Request) -> IdxReply:
    return flow.journey.skip(body.get("stateHandle"), base_url(request))


STEPS: dict[str, Step] = {
    "/introspect": introspect,
    "/enroll": by_handle(RegistrationFlow.select_enroll_profile),
    "/enroll/new": enroll_new,
    "/enroll/update": enroll_update,
    "/identify/select": by_handle(RegistrationFlow.select_identify),
    "/identify": identify,
    "/challenge/answer": answer,
    "/challenge/resend": resend,
    "/challenge/poll": poll,
    "/cancel": by_handle(RegistrationFlow.cancel),
    "/skip": skip,
    "/credential/enroll": credential_enroll,
}


def endpoint(step: Step) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        if not is_json(request.headers.get("content-type", "")):
            # Okta's IDX endpoints take JSON only; a form post from another site is no sign-up.
            text = "The request must be JSON (Content-Type: application/json)."
            doc = {"version": "1.0.0", "messages": messages(message(text))}
            return Response(json.dumps(doc), 415, media_type=ION_CONTENT_TYPE)
        try:
            body = loads_strict(await request.body() or b"{}")
        except ValueError:
            body = None
        if isinstance(body, dict):
            reply = await step(org_of(request).flow, body, request)
        else:
            reply = IdxReply(
                400, {"version": "1.0.0", "messages": messages(message("The request body must be a JSON object."))}
            )
        return Response(json.dumps(reply.body), reply.status, media_type=ION_CONTENT_TYPE)

    return handle


for path, step in STEPS.items():
    router.add_api_route(path, endpoint(step), methods=["POST"])
