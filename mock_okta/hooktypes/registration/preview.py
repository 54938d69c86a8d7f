"""The registration hook's Preview form (Admin Console, Workflow > Inline Hooks > Preview): a user of the org or
a generated one, the engine, and the kind of request."""

from __future__ import annotations

from typing import Any

from ...hook.registry import PreviewContext, PreviewField
from ...hook.settings import ENGINES, Engine
from .payloads import (
    RequestType,
    build_request,
    classic_registration_request,
    fake_profile_update,
    progressive_profile_request,
    registration_request,
)

FORM_ATTRIBUTES = ("firstName", "lastName", "email", "login")


def preview_fields(context: PreviewContext) -> tuple[PreviewField, ...]:
    users = (("", "A generated user (faker)"), *((uid, str(p.get("login", uid))) for uid, p in context.users))
    return (
        PreviewField("user", "data.userProfile", users),
        PreviewField(
            "engine",
            "Engine",
            ((Engine.IE, "Identity Engine"), (Engine.CLASSIC, "Classic Engine (no requestType)")),
            context.engine,
        ),
        PreviewField(
            "requestType",
            "requestType",
            (
                (RequestType.REGISTRATION, "Self-Service Registration"),
                (RequestType.PROFILE_UPDATE, "Progressive Profile"),
            ),
        ),
    )


def preview_request(choice: dict[str, Any], context: PreviewContext) -> dict[str, Any]:
    """The request for the form's choices; ValueError with the text the page shows."""
    kind = choice.get("requestType")
    if kind not in tuple(RequestType):
        raise ValueError("Choose a user and a request type.")
    engine = choice.get("engine", Engine.IE)
    if engine not in ENGINES:
        raise ValueError("Choose Identity Engine or Classic Engine.")
    if engine == Engine.CLASSIC and kind != RequestType.REGISTRATION:
        raise ValueError("A Classic Engine org has no progressive profile.")
    user_id = choice.get("user")
    profile = dict(context.users).get(user_id) if isinstance(user_id, str) and user_id else None
    if user_id and profile is None:
        raise ValueError("That user no longer exists.")
    if profile is None:
        return build_request(kind, engine=engine)
    if kind == RequestType.REGISTRATION:
        form: dict[str, Any] = {k: profile[k] for k in FORM_ATTRIBUTES if k in profile}
        if engine == Engine.CLASSIC:
            return classic_registration_request(form, policy_id=context.classic_policy_id)
        return registration_request(form)
    assert isinstance(user_id, str)
    return progressive_profile_request(profile, fake_profile_update(), user_id=user_id)
