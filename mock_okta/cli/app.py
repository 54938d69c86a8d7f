"""The `mock-okta` app: every command, in the order --help lists them."""

from __future__ import annotations

import typer

from .commands.demo import demo
from .commands.drift import drift
from .commands.fire import fire
from .commands.load import load
from .commands.org import org_app
from .commands.schema import schema
from .commands.serve import serve
from .commands.verify import verify
from .commands.widget import widget_app
from .help import HelpCommand, HelpGroup

app = typer.Typer(
    cls=HelpGroup,
    help="Mock Okta and test harness for Okta's hooks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
for command in (fire, load, verify, drift, schema, demo, serve):
    app.command(cls=HelpCommand)(command)
app.add_typer(org_app, name="org")
app.add_typer(widget_app, name="widget")


def main() -> None:
    app()
