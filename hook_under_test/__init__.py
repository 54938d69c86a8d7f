"""The guide's registration inline hook, done properly: constant-time auth, exact domain rule, progressive
profile, clean errors on bad input."""

from .app import create_app
from .settings import HookSettings

__all__ = ["HookSettings", "create_app"]
