"""`/api/v1/logs`: the System Log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from .. import Org, system_log
from .deps import get_org, require_api_token

router = APIRouter(prefix="/api/v1/logs", tags=["logs"], dependencies=[Depends(require_api_token)])


@router.get("")
def list_log_events(
    org: Annotated[Org, Depends(get_org)],
    since: str | None = None,
    until: str | None = None,
    filter: str | None = None,
    limit: int = 100,
    sortOrder: str = "ASCENDING",
) -> Response:
    """System Log events (`filter` such as `eventType eq "inline_hook.response.processed"`)."""
    events = system_log.query(org.store, since=since, until=until, filter=filter, limit=limit, sort_order=sortOrder)
    return JSONResponse(events)
