"""`mock-okta`: the command line (`commands`), its terminal rendering (`render`), `serve` and `demo`."""

from .commands import app, main

__all__ = ["app", "main"]
