"""The mock org: its typed state (`models`, kept by `store` in SQLite), its rules as services (inline hooks,
users and groups, the user schema, the profile enrollment policy, the System Log, the IDX registration flow, Classic
self-service registration and the mailbox) and its settings.

`web` serves it over HTTP; nothing in this package outside `web` knows about HTTP frameworks.
"""

from __future__ import annotations

from .apps import Apps
from .as_policies import AccessPolicies
from .authorization_servers import AuthorizationServers
from .classic import ClassicRegistration
from .groups import Groups
from .hook_keys import HookKeys
from .idx import RegistrationFlow
from .inline_hooks import InlineHooks
from .models import MailMessage
from .oauth import CustomAuthorizationServer, OrgAuthorizationServer
from .oidc import OpenIdConnect
from .oidc.keys import ServerKeys
from .oidc.token_hook import TokenHookStep
from .policy import ProfileEnrollment
from .rate_limits import RateLimits
from .sessions import Sessions
from .settings import OrgSettings
from .store import Store
from .user_schema import UserSchema
from .users import Users


class Org:
    """One org: the store, the settings and the services over them. Every change goes through a service, so the
    API, the admin pages, the CLI and the fixtures apply the same rules and write the same System Log events."""

    def __init__(self, store: Store | None = None, settings: OrgSettings | None = None) -> None:
        self.store = store or Store()
        self.settings = settings or OrgSettings()
        self.store.retention = lambda: self.settings.retention
        self.user_schema = UserSchema(self.store)
        self.inline_hooks = InlineHooks(self.store, self.settings, self.user_schema)
        self.hook_keys = HookKeys(self.store)
        self.users = Users(self.store, self.user_schema)
        self.groups = Groups(self.store)
        self.sessions = Sessions(self.store)
        self.profile_enrollment = ProfileEnrollment(self.store, self.user_schema)
        self.rate_limits = RateLimits(lambda: self.settings.rate_limit)
        self.authorization_server = OrgAuthorizationServer(self.store)
        self.custom_authorization_server = CustomAuthorizationServer(self.store)
        # Custom authorization servers (Management API) and the OpenID Connect apps that are their clients.
        self.authorization_servers = AuthorizationServers(self.store)
        self.access_policies = AccessPolicies(self.store, self.authorization_servers)
        self.apps = Apps(self.store)
        self.oidc = OpenIdConnect(self.store, ServerKeys(self.custom_authorization_server.signing))
        # Tokens minted under a rule that names a token inline hook go through it (the shared channel).
        self.oidc.hook = TokenHookStep(self.store, self.inline_hooks)
        self.flow = RegistrationFlow(self.store, self.settings, self.inline_hooks, self.users)
        self.classic = ClassicRegistration(self.store, self.inline_hooks, self.users, self.user_schema)

    def mailbox(self, to: str) -> list[MailMessage]:
        """The emails the org sent to an address, oldest first."""
        return self.store.mailbox(to)

    def reset(self) -> None:
        """No hooks, users, flows, journal or log; the default policy with no hook; Okta's default settings."""
        self.store.reset()
        self.settings.restore_defaults()
        self.rate_limits.clear()
        self.store.retention = lambda: self.settings.retention


__all__ = ["Org", "OrgSettings", "Store"]
