"""The request objects every inline hook type's request shares, as Okta's management spec names them
(`InlineHookRequestObject`, `InlineHookRequestObjectUrl`; the context user with its `_links`): one definition for every
hook type's contract."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class OktaModel(BaseModel):
    # Okta adds fields over time; a hook must not break on them, and neither must we.
    model_config = ConfigDict(extra="allow")


class RequestUrl(OktaModel):
    value: str


class InlineHookRequestObject(OktaModel):
    id: str
    method: str
    url: RequestUrl
    ipAddress: str


class Link(OktaModel):
    href: str


class UserLinks(OktaModel):
    groups: Link
    factors: Link


class ContextUser(OktaModel):
    id: str
    passwordChanged: str | None = None
    profile: dict[str, Any]
    links: UserLinks | None = Field(default=None, alias="_links")
