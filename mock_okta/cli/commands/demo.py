"""`mock-okta demo`: the guide's two cases, reproduced with one command (the run itself is `..demo`)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..common import check_engine
from ..options import engine_option


def demo(
    screenshots: Annotated[str, typer.Option(help="Folder for the browser screenshots.")] = "demo-output",
    engine: Annotated[
        str, engine_option("ie (Identity Engine org) or classic (Classic Engine org, the v1 widget).")
    ] = "ie",
) -> None:
    """Start the sample hook and run the guide's two cases: an example.com address and another domain."""
    from rich.console import Console

    from ..demo import run_demo

    check_engine(engine)
    sys.exit(run_demo(Console(), screenshots, engine))
