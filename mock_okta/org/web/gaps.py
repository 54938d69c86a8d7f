"""Honest gaps: every route of Okta's Management API spec that the mock does not serve answers 501 with Okta's
error JSON and an `X-Mock-Okta-Gap` header naming the route, never a 404 a client would take for Okta's answer.
The route list is the spec's own (`org/data/management-routes.txt`), so nothing is left out by hand."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from fastapi import FastAPI

GAP_HEADER = "X-Mock-Okta-Gap"
METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class SpecRoute:
    method: str
    template: str
    pattern: re.Pattern[str]


@cache
def spec_routes() -> tuple[SpecRoute, ...]:
    text = resources.files("mock_okta.org").joinpath("data/management-routes.txt").read_text()
    routes = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            method, template = line.split(" ", 1)
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
            routes.append(SpecRoute(method, template, pattern))
    return tuple(routes)


def spec_route(method: str, path: str) -> SpecRoute | None:
    """The spec's route for a request, preferring a literal segment over a parameter (`/groups/rules` before
    `/groups/{groupId}`)."""
    found = [r for r in spec_routes() if r.method == method and r.pattern.match(path)]
    return min(found, key=lambda r: r.template.count("{"), default=None)


def _app_routes(app: FastAPI) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(METHOD, path segments) of every API route the app serves, from its own OpenAPI document."""
    cached: tuple[tuple[str, tuple[str, ...]], ...] | None = getattr(app.state, "api_routes", None)
    if cached is None:
        paths = app.openapi()["paths"]
        cached = tuple(
            (method.upper(), tuple(path.split("/")))
            for path, item in paths.items()
            for method in item
            if method in METHODS
        )
        app.state.api_routes = cached
    return cached


def _segment_served(app_segment: str, spec_segment: str) -> bool:
    if app_segment.startswith("{"):
        return spec_segment.startswith("{")  # a parameter serves only a parameter, never the spec's literal
    return app_segment == spec_segment or spec_segment.startswith("{")


def served(route: SpecRoute, app: FastAPI) -> bool:
    wanted = tuple(route.template.split("/"))
    return any(
        method == route.method
        and len(segments) == len(wanted)
        and all(_segment_served(a, w) for a, w in zip(segments, wanted, strict=True))
        for method, segments in _app_routes(app)
    )


def gaps(app: FastAPI) -> list[SpecRoute]:
    return [r for r in spec_routes() if not served(r, app)]


def gap_for(method: str, path: str, app: FastAPI) -> SpecRoute | None:
    """The unserved spec route this request is for, if any: e.g. `GET /api/v1/groups/rules`, which the app's
    `/groups/{groupId}` caught and could only answer with a misleading 404."""
    route = spec_route(method, path)
    return route if route is not None and not served(route, app) else None
