"""Writes `management-subset.json`: the operations of Okta's Management API spec that mock-okta serves, with
every schema they reference, so the conformance test validates answers without the 3.5 MB spec at hand.

    python tests/spec/extract.py path/to/management-oneOfInheritance.yaml

Source: okta/okta-management-openapi-spec, dist/current/management-oneOfInheritance.yaml.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from mock_okta.org.web import create_app
from mock_okta.org.web.gaps import served, spec_routes

HERE = Path(__file__).parent


def refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            found.add(node["$ref"])
        mapping = (
            node.get("discriminator", {}).get("mapping", {}) if isinstance(node.get("discriminator"), dict) else {}
        )
        found |= set(mapping.values())
        for value in node.values():
            found |= refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= refs(value)
    return found


def _resolved_responses(spec: dict[str, Any], responses: dict[str, Any]) -> dict[str, Any]:
    resolved = {}
    for status, body in responses.items():
        if "$ref" in body:
            body = spec["components"]["responses"][body["$ref"].rsplit("/", 1)[1]]
        resolved[str(status)] = body
    return resolved


def main(spec_path: str) -> None:
    spec = yaml.safe_load(Path(spec_path).read_text())
    app = create_app()
    operations: dict[str, dict[str, Any]] = {}
    for route in spec_routes():
        if served(route, app):
            operation = spec["paths"][route.template][route.method.lower()]
            responses = {
                status: {"schema": body["content"]["application/json"]["schema"]}
                for status, body in _resolved_responses(spec, operation["responses"]).items()
                if "application/json" in body.get("content", {})
            }
            operations.setdefault(route.template, {})[route.method.lower()] = {"responses": responses}
    components: dict[str, dict[str, Any]] = {}
    pending = refs(operations)
    while pending:
        ref = pending.pop()
        if not ref.startswith("#/components/"):
            continue  # a JSON-schema-internal ref ("#/definitions/..." inside an example)
        _, _, section, name = ref.split("/", 3)
        if name in components.get(section, {}):
            continue
        node = spec["components"][section][name]
        components.setdefault(section, {})[name] = node
        pending |= refs(node)
    subset = {
        "source": "okta/okta-management-openapi-spec dist/current/management-oneOfInheritance.yaml",
        "version": spec["info"]["version"],
        "paths": operations,
        "components": components,
    }
    (HERE / "management-subset.json").write_text(json.dumps(subset, indent=1, sort_keys=True, default=str) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
