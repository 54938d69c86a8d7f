"""`mock-okta`: the app (`app`) and its commands (`commands`, one module each, sharing `options` and `common`),
the work behind the larger ones (`serve`, `demo`, `load`) and the terminal rendering (`render`, `junit`)."""

from .app import app, main

__all__ = ["app", "main"]
