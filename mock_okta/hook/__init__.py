"""What every Okta hook type shares: calling a hook the way Okta does, and the seam each type plugs into.

The HTTP channel with its auth schemes, deadline, retry, size cap and redirect rule (`channel`, `wire`, `oauth`),
strict JSON (`jsonsafe`), call settings (`settings`), the verdict's shared terms (`outcome`), the one
call-and-decide path (`run`), the registry of hook types (`registry`), and the generic runners for cases, `verify`
and drift. Nothing here names a hook type, a web framework, the org or pytest: each type lives in
`mock_okta.hooktypes`.
"""

from .channel import AuthScheme, ChannelConfig, Failure, HookChannel
from .outcome import HookRun, Message, Verdict, VerdictRules, Violation
from .registry import HookType, Registry, RequestOptions
from .run import run_hook, run_hook_sync
from .settings import CallSettings, ConfigError

__all__ = [
    "AuthScheme",
    "CallSettings",
    "ChannelConfig",
    "ConfigError",
    "Failure",
    "HookChannel",
    "HookRun",
    "HookType",
    "Message",
    "Registry",
    "RequestOptions",
    "Verdict",
    "VerdictRules",
    "Violation",
    "run_hook",
    "run_hook_sync",
]
