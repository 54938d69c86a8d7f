"""`mock-okta drift`: the requests a hook really received (`hook-under-test --record DIR`) against the contract and
the mock's own requests; exit 1 on drift."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..common import fail


def drift(
    folder: Annotated[str, typer.Argument(help="Folder of recorded requests (hook-under-test --record DIR).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Compare requests a hook really received with the contract and the mock's requests: exit 1 on drift."""
    from ...hook.drift import compare
    from ...hooktypes import REGISTRY

    path = Path(folder)
    if not path.is_dir():
        fail(f"{folder} is not a folder of recorded requests")
    report = compare(path, REGISTRY)
    if report.records == 0 and not report.findings:
        fail(f"{folder} holds no recorded requests (*.json)")
    if as_json:
        print(json.dumps({"records": report.records, "drift": report.findings, "notes": report.notes}, indent=2))
    else:
        for finding in report.findings:
            print(f"drift: {finding}")
        for note in report.notes:
            print(f"note: {note}")
        print(f"{report.records} recorded request(s): {'drift found' if report.drifted else 'no drift'}")
    if report.drifted:
        raise typer.Exit(1)
