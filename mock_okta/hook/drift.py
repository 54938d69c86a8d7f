"""Drift between the requests a hook really received from Okta and the contract the mock emulates: fields Okta
sends that the mock does not, fields the mock sends that Okta did not, and changed JSON types, for every hook type
(each record's `eventType` names its type). Members whose contents depend on the org (a type's `org_values`: the
sign-up form, a user's profile...) are compared by presence and type only, not by their attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .jsonsafe import loads_strict
from .registry import ContractError, HookType, Registry
from .shape import shape


@dataclass
class DriftReport:
    records: int = 0
    findings: list[str] = field(default_factory=list)
    # What is no drift but worth saying: requests of a kind the type knows Okta sends and the mock does not build.
    notes: list[str] = field(default_factory=list)

    @property
    def drifted(self) -> bool:
        return bool(self.findings)


def compare(folder: Path, registry: Registry) -> DriftReport:
    """Every finding for the records (`*.json`, one request each) in `folder`."""
    report = DriftReport()
    received: dict[tuple[str, str], dict[str, set[str]]] = {}
    types: dict[str, HookType[Any]] = {}
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
        hook_type = registry.find(request.get("eventType"))
        if hook_type is None:
            report.findings.append(
                f"{path.name}: eventType {request.get('eventType')!r} is no hook type the mock knows"
            )
            continue
        try:
            hook_type.validate_request(request)
        except ContractError as exc:
            report.findings.append(f"{path.name}: breaks the contract schema at {exc.path}: {exc.message}")
        types[hook_type.type] = hook_type
        seen = received.setdefault((hook_type.type, hook_type.drift_kind(request)), {})
        for member, json_type in shape(request, hook_type.org_values).items():
            seen.setdefault(member, set()).add(json_type)
    for (type_string, kind), okta in sorted(received.items()):
        hook_type = types[type_string]
        mock = hook_type.generated_shape(kind) if kind in hook_type.drift_kinds() else None
        if mock is None and kind in hook_type.known_kinds():
            report.notes.append(f"{kind}: a kind of {hook_type.name} request Okta sends that the mock does not build")
            continue
        if mock is None:
            report.findings.append(f"Okta sent requestType {kind!r}, which the mock does not know")
            continue
        for member in sorted(set(okta) - set(mock)):
            report.findings.append(f"{kind}: Okta sends {member} ({'/'.join(sorted(okta[member]))}); the mock does not")
        for member in sorted(set(mock) - set(okta)):
            report.findings.append(f"{kind}: the mock sends {member} ({mock[member]}); Okta did not")
        for member in sorted(set(mock) & set(okta)):
            if mock[member] not in okta[member] or len(okta[member] - {"null"}) > 1:
                seen_types = "/".join(sorted(okta[member]))
                report.findings.append(f"{kind}: {member} is {seen_types} from Okta, {mock[member]} from the mock")
    return report
