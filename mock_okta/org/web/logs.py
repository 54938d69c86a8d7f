"""`/api/v1/logs`: the System Log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from .. import Org, system_log
from .deps import api_access, get_org

router = APIRouter(prefix="/api/v1/logs", tags=["logs"], dependencies=[Depends(api_access("logs"))])


@router.get("")
async def list_log_events(
    request: Request,
    org: Annotated[Org, Depends(get_org)],
    since: str | None = None,
    until: str | None = None,
    filter: str | None = None,
    q: str | None = None,
    after: str | None = None,
    limit: int = 100,
    sortOrder: str = "ASCENDING",
) -> Response:
    """System Log events (`filter` such as `eventType eq "inline_hook.response.processed"`, `q` keywords), with
    Okta's `Link` headers: `rel="next"` carries the `after` cursor, and an open-ended query always has one to poll."""
    page = system_log.query(
        org.store, since=since, until=until, filter=filter, q=q, after=after, limit=limit, sort_order=sortOrder
    )
    links = [f'<{request.url}>; rel="self"']
    if page.has_next and page.cursor is not None:
        links.append(
            f'<{request.url.remove_query_params("after").include_query_params(after=page.cursor)}>; rel="next"'
        )
    elif page.has_next:
        links.append(f'<{request.url}>; rel="next"')
    return JSONResponse(page.events, headers={"Link": ", ".join(links)})
