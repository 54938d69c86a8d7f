"""Custom authorization servers, their scopes and their claims, validated as Okta's Authorization Servers API does
(okta-developer-docs `docs/reference/api/authorization-servers`, last full version; the spec's `AuthorizationServer`,
`OAuth2Scope`, `OAuth2Claim`), with the System Log events of Okta's catalog (`oauth2.as.*`, `oauth2.scope.*`,
`oauth2.claim.*`, okta-developer-docs `data/event-types.json`). Access policies and rules are in `as_policies`."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from ..hook.ids import event_time, okta_id
from .claim_values import expression_problem
from .errors import ApiValidationError, ResourceNotFound
from .models import LogTarget
from .oauth_defaults import system_claims, system_scopes
from .oauth_models import AuthorizationServer, LifecycleStatus, OAuth2Claim, OAuth2Scope
from .store import Store
from .system_log import log_event

# Scope names: printable ASCII without space, double quote or backslash (RFC 6749 scope-token), not okta's own
# (`okta.`/`okta:` prefixes, `okta`, `*`): the docs' "Scope properties" notes.
SCOPE_NAME = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,300}$")
CONSENTS = ("REQUIRED", "IMPLICIT", "FLEXIBLE")
METADATA_PUBLISH = ("NO_CLIENTS", "ALL_CLIENTS")
CLAIM_TYPES = ("RESOURCE", "IDENTITY")
# Okta's claim value types a client may create (SYSTEM is Okta's own) and the group filters of GROUPS claims.
CLAIM_VALUE_TYPES = ("EXPRESSION", "GROUPS")
GROUP_FILTERS = ("STARTS_WITH", "EQUALS", "CONTAINS", "REGEX")
# Claims Okta reserves in access and ID tokens (okta-developer-docs `docs/reference/api/oidc`, "Reserved claims in
# the payload section" and the ID token's base claims): a custom claim cannot take their names.
RESERVED_CLAIMS = frozenset(
    {"ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp", "sub", "auth_time", "amr", "idp", "nonce"}
    | {"at_hash", "c_hash", "acr", "nbf", "ver", "client_id"}
)
EVENTS = {
    "oauth2.as.created": "Authorization server is created",
    "oauth2.as.updated": "Authorization server is updated",
    "oauth2.as.activated": "Authorization server is activated",
    "oauth2.as.deactivated": "Authorization server is deactivated",
    "oauth2.as.deleted": "Authorization server is deleted",
    "oauth2.scope.created": "OAuth2 scope is created",
    "oauth2.scope.updated": "OAuth2 scope is updated",
    "oauth2.scope.deleted": "OAuth2 scope is deleted",
    "oauth2.claim.created": "OAuth2 claim is created",
    "oauth2.claim.updated": "OAuth2 claim is updated",
    "oauth2.claim.deleted": "OAuth2 claim is deleted",
}


def server_target(server: AuthorizationServer) -> LogTarget:
    return LogTarget(server.id, "AuthorizationServer", server.name, server.name)


class AuthorizationServers:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _log(self, event_type: str, server: AuthorizationServer, also: LogTarget | None = None) -> None:
        targets = (server_target(server), also) if also else (server_target(server),)
        self.store.log_event(log_event(event_type, EVENTS[event_type], targets=targets))

    # -- servers ----------------------------------------------------------------------------------------------
    def get(self, server_id: str) -> AuthorizationServer:
        server = self.store.authorization_server(server_id)
        if server is None:
            raise ResourceNotFound(server_id, "AuthorizationServer")
        return server

    def find(self, q: str | None = None) -> list[AuthorizationServer]:
        """All servers, or those whose name or audience starts with `q` (the API's `q`)."""
        servers = self.store.authorization_servers()
        if not q:
            return servers
        q = q.lower()
        return [s for s in servers if s.name.lower().startswith(q) or any(a.lower().startswith(q) for a in s.audiences)]

    def create(self, body: Any) -> AuthorizationServer:
        """A new ACTIVE server with Okta's system scopes and claims and no policy (a real org's answer)."""
        name, description, audiences = self._fields(body, None)
        now = event_time()
        server = AuthorizationServer(okta_id("aus"), name, description, audiences, LifecycleStatus.ACTIVE, now, now)
        with self.store.transaction():
            self.store.save_authorization_server(server)
            for scope in system_scopes(server.id):
                self.store.save_scope(scope)
            for claim in system_claims(server.id):
                self.store.save_claim(claim)
            self._log("oauth2.as.created", server)
        return server

    def replace(self, server_id: str, body: Any) -> AuthorizationServer:
        server = self.get(server_id)
        name, description, audiences = self._fields(body, server)
        updated = replace(server, name=name, description=description, audiences=audiences, last_updated=event_time())
        with self.store.transaction():
            self.store.save_authorization_server(updated)
            self._log("oauth2.as.updated", updated)
        return updated

    def set_status(self, server_id: str, status: LifecycleStatus) -> AuthorizationServer:
        """An INACTIVE server mints nothing: its endpoints answer as for an unknown server."""
        server = self.get(server_id)
        updated = replace(server, status=status, last_updated=event_time())
        with self.store.transaction():
            self.store.save_authorization_server(updated)
            self._log("oauth2.as.activated" if status == LifecycleStatus.ACTIVE else "oauth2.as.deactivated", updated)
        return updated

    def delete(self, server_id: str) -> None:
        """A real org deletes an ACTIVE server as well as an INACTIVE one (okta-sdk-python cassette
        `test_authorization_server_rules_it/...test_policy_rules_lifecycle.yaml`)."""
        server = self.get(server_id)
        with self.store.transaction():
            self.store.delete_authorization_server(server.id)
            self._log("oauth2.as.deleted", server)

    def _fields(self, body: Any, existing: AuthorizationServer | None) -> tuple[str, str, tuple[str, ...]]:
        if not isinstance(body, dict):
            raise ApiValidationError(["The request body must be a JSON object"])
        causes = []
        name, description, audiences = body.get("name"), body.get("description"), body.get("audiences")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 100:
            causes.append("name: The field cannot be left blank and must be at most 100 characters")
        elif any(
            s.name.lower() == name.strip().lower() and (existing is None or s.id != existing.id)
            for s in self.store.authorization_servers()
        ):
            causes.append("name: An authorization server with this name already exists")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 1024:
            causes.append("description: The field cannot be left blank and must be at most 1024 characters")
        # "Okta currently supports only one audience" (spec); "If the string contains ':' it must be a valid URI"
        # (docs, Limits).
        if not isinstance(audiences, list) or len(audiences) != 1 or not isinstance(audiences[0], str):
            causes.append("audiences: Exactly one audience (a string) is required")
        elif not 1 <= len(audiences[0]) <= 1024 or not audiences[0].isprintable() or not _audience_ok(audiences[0]):
            causes.append("audiences: An audience that contains ':' must be a valid URI")
        if causes or not isinstance(name, str) or not isinstance(description, str) or not isinstance(audiences, list):
            raise ApiValidationError(causes)
        return name.strip(), description.strip(), (audiences[0],)

    # -- scopes -----------------------------------------------------------------------------------------------
    def scopes(self, server_id: str, q: str | None = None) -> list[OAuth2Scope]:
        found = self.store.scopes(self.get(server_id).id)
        return [s for s in found if not q or s.name.lower().startswith(q.lower())]

    def scope(self, server_id: str, scope_id: str) -> OAuth2Scope:
        for scope in self.scopes(server_id):
            if scope.id == scope_id:
                return scope
        raise ResourceNotFound(scope_id, "OAuth2Scope")

    def create_scope(self, server_id: str, body: Any) -> OAuth2Scope:
        server = self.get(server_id)
        scope = self._scope(server, body, OAuth2Scope(okta_id("scp"), server.id, ""))
        with self.store.transaction():
            self.store.save_scope(scope)
            self._log("oauth2.scope.created", server, LogTarget(scope.id, "OAuth2Scope", scope.name, scope.name))
        return scope

    def replace_scope(self, server_id: str, scope_id: str, body: Any) -> OAuth2Scope:
        server, existing = self.get(server_id), self.scope(server_id, scope_id)
        scope = self._scope(server, body, existing)
        with self.store.transaction():
            self.store.save_scope(scope)
            self._log("oauth2.scope.updated", server, LogTarget(scope.id, "OAuth2Scope", scope.name, scope.name))
        return scope

    def delete_scope(self, server_id: str, scope_id: str) -> None:
        server, scope = self.get(server_id), self.scope(server_id, scope_id)
        if scope.system:
            raise ApiValidationError([f"{scope.name}: A system scope cannot be deleted"])
        with self.store.transaction():
            self.store.delete_scope(scope.id)
            self._log("oauth2.scope.deleted", server, LogTarget(scope.id, "OAuth2Scope", scope.name, scope.name))

    def _scope(self, server: AuthorizationServer, body: Any, existing: OAuth2Scope) -> OAuth2Scope:
        if not isinstance(body, dict):
            raise ApiValidationError(["The request body must be a JSON object"])
        causes = []
        name = body.get("name")
        if not isinstance(name, str) or not SCOPE_NAME.match(name):
            causes.append("name: Printable ASCII without spaces, double quotes or backslashes (1 to 300 characters)")
        elif name.lower().startswith(("okta.", "okta:")) or name in ("okta", "*"):
            causes.append("name: A scope name cannot start with okta. or okta:, nor be okta or *")
        elif existing.system and name != existing.name:
            causes.append("name: The name of a system scope cannot change")
        elif any(s.name == name and s.id != existing.id for s in self.store.scopes(server.id)):
            causes.append("name: A scope with this name already exists in the authorization server")
        texts = {key: body.get(key) for key in ("description", "displayName")}
        for key, value in texts.items():
            if value is not None and (not isinstance(value, str) or len(value) > 1024):
                causes.append(f"{key}: A string of at most 1024 characters")
        consent = body.get("consent", existing.consent)
        if consent not in CONSENTS:
            causes.append(f"consent: One of {', '.join(CONSENTS)}")
        publish = body.get("metadataPublish", existing.metadata_publish)
        if publish not in METADATA_PUBLISH:
            causes.append(f"metadataPublish: One of {', '.join(METADATA_PUBLISH)}")
        flags = {key: body.get(key, False) for key in ("default", "optional")}
        causes += [f"{key}: A boolean" for key, value in flags.items() if not isinstance(value, bool)]
        if causes or not isinstance(name, str):
            raise ApiValidationError(causes)
        description, display = texts["description"], texts["displayName"]
        return replace(
            existing,
            name=name,
            description=description if isinstance(description, str) else existing.description,
            display_name=display if isinstance(display, str) else None,
            consent=str(consent),
            metadata_publish=str(publish),
            default=bool(flags["default"]),
            optional=bool(flags["optional"]),
        )

    # -- claims -----------------------------------------------------------------------------------------------
    def claims(self, server_id: str) -> list[OAuth2Claim]:
        return self.store.claims(self.get(server_id).id)

    def claim(self, server_id: str, claim_id: str) -> OAuth2Claim:
        for claim in self.claims(server_id):
            if claim.id == claim_id:
                return claim
        raise ResourceNotFound(claim_id, "OAuth2Claim")

    def create_claim(self, server_id: str, body: Any) -> OAuth2Claim:
        server = self.get(server_id)
        empty = OAuth2Claim(okta_id("ocl"), server.id, "", LifecycleStatus.ACTIVE, "RESOURCE", "EXPRESSION", None)
        claim = self._claim(server, body, empty)
        with self.store.transaction():
            self.store.save_claim(claim)
            self._log("oauth2.claim.created", server, LogTarget(claim.id, "OAuth2Claim", claim.name, claim.name))
        return claim

    def replace_claim(self, server_id: str, claim_id: str, body: Any) -> OAuth2Claim:
        server, existing = self.get(server_id), self.claim(server_id, claim_id)
        if existing.value_type == "SYSTEM":
            raise ApiValidationError([f"{existing.name}: A system claim cannot be changed"])
        claim = self._claim(server, body, existing)
        with self.store.transaction():
            self.store.save_claim(claim)
            self._log("oauth2.claim.updated", server, LogTarget(claim.id, "OAuth2Claim", claim.name, claim.name))
        return claim

    def delete_claim(self, server_id: str, claim_id: str) -> None:
        server, claim = self.get(server_id), self.claim(server_id, claim_id)
        if claim.system:
            raise ApiValidationError([f"{claim.name}: A system claim cannot be deleted"])
        with self.store.transaction():
            self.store.delete_claim(claim.id)
            self._log("oauth2.claim.deleted", server, LogTarget(claim.id, "OAuth2Claim", claim.name, claim.name))

    def _claim(self, server: AuthorizationServer, body: Any, existing: OAuth2Claim) -> OAuth2Claim:
        if not isinstance(body, dict):
            raise ApiValidationError(["The request body must be a JSON object"])
        causes = []
        name, claim_type, value_type = body.get("name"), body.get("claimType"), body.get("valueType")
        value, status = body.get("value"), body.get("status", LifecycleStatus.ACTIVE)
        if not isinstance(name, str) or not 1 <= len(name) <= 100 or not name.isprintable() or " " in name:
            causes.append("name: 1 to 100 printable characters without spaces")
        elif name in RESERVED_CLAIMS:
            causes.append(f"name: {name} is a reserved claim")
        elif any(
            c.name == name and c.claim_type == claim_type and c.id != existing.id for c in self.store.claims(server.id)
        ):
            causes.append("name: A claim with this name and claimType already exists")
        if claim_type not in CLAIM_TYPES:
            causes.append(f"claimType: One of {', '.join(CLAIM_TYPES)}")
        if value_type not in CLAIM_VALUE_TYPES:
            causes.append(f"valueType: One of {', '.join(CLAIM_VALUE_TYPES)}")
        if status not in (LifecycleStatus.ACTIVE, LifecycleStatus.INACTIVE):
            causes.append("status: ACTIVE or INACTIVE")
        if not isinstance(value, str) or not 1 <= len(value) <= 1024:
            causes.append("value: Required, at most 1024 characters")
        elif value_type == "EXPRESSION":
            problem = expression_problem(value)
            if problem:
                causes.append(f"value: {problem}")
        group_filter = body.get("group_filter_type")
        if value_type == "GROUPS" and group_filter not in GROUP_FILTERS:
            causes.append(f"group_filter_type: One of {', '.join(GROUP_FILTERS)} for a GROUPS claim")
        conditions = body.get("conditions") or {}
        scopes = conditions.get("scopes", []) if isinstance(conditions, dict) else None
        if not isinstance(scopes, list) or not all(isinstance(s, str) and SCOPE_NAME.match(s) for s in scopes):
            causes.append("conditions.scopes: A list of scope names")
        always = body.get("alwaysIncludeInToken", True)
        if not isinstance(always, bool):
            causes.append("alwaysIncludeInToken: A boolean")
        if causes or not isinstance(name, str) or not isinstance(value, str) or not isinstance(scopes, list):
            raise ApiValidationError(causes)
        return replace(
            existing,
            name=name,
            status=LifecycleStatus(status),
            claim_type=str(claim_type),
            value_type=str(value_type),
            value=value,
            scopes=tuple(scopes),
            # "Always TRUE for access token Claims" (docs, Details for alwaysIncludeInToken).
            always_include_in_token=True if claim_type == "RESOURCE" else bool(always),
            group_filter_type=str(group_filter) if value_type == "GROUPS" else None,
        )


def _audience_ok(audience: str) -> bool:
    if ":" not in audience:
        return True
    try:
        parts = urlsplit(audience)
    except ValueError:
        return False
    return bool(parts.scheme) and bool(parts.netloc or parts.path) and " " not in audience
