"""Drift between the requests a hook really received from Okta and the contract the mock emulates: fields Okta
sends that the mock does not, fields the mock sends that Okta did not, and changed JSON types. The values of the
sign-up form (`data.userProfile`, the user's profile, `userProfileUpdate`) depend on each org's form and schema, so
only their presence and type are compared, not their attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .contract import PROGRESSIVE_PROFILE, SSR, ContractError, validate_request
from .jsonsafe import loads_strict
from .payloads import build_request

FORM_VALUES = frozenset({"data.userProfile", "data.context.user.profile", "data.userProfileUpdate"})
CLASSIC = "classic (no requestType)"


@dataclass
class DriftReport:
    records: int = 0
    findings: list[str] = field(default_factory=list)

    @property
    def drifted(self) -> bool:
        return bool(self.findings)


def shape(document: Any, prefix: str = "") -> dict[str, str]:
    """JSON path → JSON type of every member (array items as `[]`)."""
    paths: dict[str, str] = {}
    if isinstance(document, dict):
        for key, value in document.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            paths[path] = _type(value)
            if path not in FORM_VALUES:
                paths.update(shape(value, path))
    elif isinstance(document, list):
        for item in document:
            paths.update(shape(item, f"{prefix}[]"))
    return paths


def _type(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "object", list: "array", str: "string", bool: "boolean"}.get(type(value), "number")


def _kind(request: dict[str, Any]) -> str:
    kind = request.get("requestType")
    return kind if isinstance(kind, str) else CLASSIC


def _generated(kind: str) -> dict[str, str]:
    if kind == PROGRESSIVE_PROFILE:
        return shape(build_request("profile-update", seed=1))
    generated = shape(build_request("registration", seed=1))
    if kind == CLASSIC:
        generated.pop("requestType", None)
    return generated


def compare(folder: Path) -> DriftReport:
    """Every finding for the records (`*.json`, one request each) in `folder`."""
    report = DriftReport()
    received: dict[str, dict[str, set[str]]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            request = loads_strict(path.read_bytes())
        except (OSError, ValueError) as exc:  # incl. JSON nothing could send on (NaN, a lone surrogate...)
            report.findings.append(f"{path.name}: not a readable JSON request ({exc})")
            continue
        if not isinstance(request, dict):
            report.findings.append(f"{path.name}: not a JSON object")
            continue
        report.records += 1
        try:
            validate_request(request)
        except ContractError as exc:
            report.findings.append(f"{path.name}: breaks the contract schema at {exc.path}: {exc.message}")
        types = received.setdefault(_kind(request), {})
        for member, json_type in shape(request).items():
            types.setdefault(member, set()).add(json_type)
    for kind, okta in sorted(received.items()):
        if kind not in (SSR, PROGRESSIVE_PROFILE, CLASSIC):
            report.findings.append(f"Okta sent requestType {kind!r}, which the mock does not know")
            continue
        mock = _generated(kind)
        for member in sorted(set(okta) - set(mock)):
            report.findings.append(f"{kind}: Okta sends {member} ({'/'.join(sorted(okta[member]))}); the mock does not")
        for member in sorted(set(mock) - set(okta)):
            report.findings.append(f"{kind}: the mock sends {member} ({mock[member]}); Okta did not")
        for member in sorted(set(mock) & set(okta)):
            if mock[member] not in okta[member] or len(okta[member] - {"null"}) > 1:
                seen = "/".join(sorted(okta[member]))
                report.findings.append(f"{kind}: {member} is {seen} from Okta, {mock[member]} from the mock")
    return report
