"""`mock-okta widget install | path`: the genuine Okta Sign-In Widget where mock-okta finds it, for use outside a
checkout (a checkout installs it with `make widget`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..org.web.hosted_page import (
    WIDGET_PACKAGE,
    WIDGET_VERSION,
    dist_of,
    user_widget_root,
    widget_dir,
    widget_installed,
)

widget_app = typer.Typer(help="The Okta Sign-In Widget the hosted sign-in page serves.", no_args_is_help=True)


@widget_app.command()
def install(
    dir: Annotated[str | None, typer.Option("--dir", help="Install here instead of the user's cache folder.")] = None,
) -> None:
    """Install the pinned @okta/okta-signin-widget with npm (into ~/.cache/mock-okta/widget by default)."""
    npm = shutil.which("npm")
    if npm is None:
        print("mock-okta: error: npm is required: apt-get install -y nodejs npm", file=sys.stderr)
        raise typer.Exit(2)
    root = Path(dir) if dir else user_widget_root()
    root.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(root), "--no-audit", "--no-fund", "--no-package-lock", "--silent"]
    done = subprocess.run([*command, f"{WIDGET_PACKAGE}@{WIDGET_VERSION}"], capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["npm failed"])[-1]
        print(f"mock-okta: error: npm could not install {WIDGET_PACKAGE}@{WIDGET_VERSION}: {last}", file=sys.stderr)
        raise typer.Exit(1)
    print(f"installed {WIDGET_PACKAGE}@{WIDGET_VERSION} in {dist_of(root)}")
    if dir:
        print(f"point mock-okta at it: export MOCK_OKTA_WIDGET_DIR={dist_of(root)}")


@widget_app.command()
def path() -> None:
    """Print the widget folder mock-okta serves from; exit 1 when the widget is not installed there."""
    print(widget_dir())
    if not widget_installed():
        print("mock-okta: the widget is not installed there: mock-okta widget install", file=sys.stderr)
        raise typer.Exit(1)
