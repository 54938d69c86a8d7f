"""`mock-okta widget install | path`: the genuine Okta Sign-In Widget where mock-okta finds it, for use outside a
checkout (a checkout installs it with `make widget`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..common import fail
from ..help import HelpCommand, HelpGroup

widget_app = typer.Typer(
    cls=HelpGroup, help="The Okta Sign-In Widget the hosted sign-in page serves.", no_args_is_help=True
)


@widget_app.command(cls=HelpCommand)
def install(
    dir: Annotated[str | None, typer.Option("--dir", help="Install here instead of the user's cache folder.")] = None,
) -> None:
    """Install the pinned @okta/okta-signin-widget with npm (into ~/.cache/mock-okta/widget by default)."""
    # The hosted page's module (where the widget is looked for) comes with the web app: only when a command runs.
    from ...org.web.hosted_page import WIDGET_PACKAGE, WIDGET_VERSION, dist_of, user_widget_root

    npm = shutil.which("npm")
    if npm is None:
        fail("npm is required: apt-get install -y nodejs npm")
    root = Path(dir) if dir else user_widget_root()
    root.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(root), "--no-audit", "--no-fund", "--no-package-lock", "--silent"]
    done = subprocess.run([*command, f"{WIDGET_PACKAGE}@{WIDGET_VERSION}"], capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["npm failed"])[-1]
        fail(f"npm could not install {WIDGET_PACKAGE}@{WIDGET_VERSION}: {last}", 1)
    print(f"installed {WIDGET_PACKAGE}@{WIDGET_VERSION} in {dist_of(root)}")
    if dir:
        print(f"point mock-okta at it: export MOCK_OKTA_WIDGET_DIR={dist_of(root)}")


@widget_app.command(cls=HelpCommand)
def path() -> None:
    """Print the widget folder mock-okta serves from; exit 1 when the widget is not installed there."""
    from ...org.web.hosted_page import widget_dir, widget_installed

    print(widget_dir())
    if not widget_installed():
        print("mock-okta: the widget is not installed there: mock-okta widget install", file=sys.stderr)
        raise typer.Exit(1)
