"""OpenID Connect apps (`/api/v1/apps` with `signOnMode: OPENID_CONNECT`), validated as Okta does, their lifecycle
and their user and group assignments.

Sources: the spec's `OpenIdConnectApplication`, `ApplicationCredentialsOAuthClient` ("If a `client_secret` isn't
provided on creation, and the `token_endpoint_auth_method` requires one, Okta generates a random `client_secret`",
"only shown when an OAuth 2.0 client app is created or updated", `client_id` defaults to the app's id, its
characters, `pkce_required` "must be true" with `none`), `OpenIdConnectApplicationSettingsClient`;
okta-developer-docs `docs/reference/api/apps` (last full version: the valid grant types per `application_type`,
redirect URIs required but for client credentials and password, "Applications must be deactivated before they can
be deleted"); a real org's answer recorded by okta-sdk-python (`test_applications_it/...
test_create_open_id_connect_app.yaml`). Other sign-on modes are the mock's gap (501)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from ..hook.ids import event_time, okta_id
from .errors import ApiValidationError, AppDeleteForbidden, FeatureNotEmulated, ResourceNotFound
from .models import LogTarget
from .oauth import jwks_problem
from .oauth_models import ApplicationType, LifecycleStatus, OidcApp
from .store import Store
from .system_log import log_event

AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none", "private_key_jwt")
SECRET_METHODS = ("client_secret_basic", "client_secret_post")
# docs `reference/api/apps`, "Different application types have different valid values for the corresponding grant
# type"; a browser app may also use refresh tokens (docs `guides/refresh-tokens`: refresh token rotation for SPAs).
VALID_GRANTS = {
    ApplicationType.BROWSER: ("authorization_code", "implicit", "refresh_token"),
    ApplicationType.NATIVE: ("authorization_code", "implicit", "password", "refresh_token"),
    ApplicationType.SERVICE: ("client_credentials",),
    ApplicationType.WEB: ("authorization_code", "implicit", "refresh_token", "client_credentials"),
}
RESPONSE_TYPES = ("code", "token", "id_token")
CLIENT_ID = re.compile(r"^[A-Za-z0-9$\-_.+!*'(),]{6,100}$")
KEPT_SETTINGS = ("client_uri", "logo_uri", "policy_uri", "tos_uri", "initiate_login_uri", "issuer_mode")
EVENTS = {
    "application.lifecycle.create": "Create application",
    "application.lifecycle.update": "Update application",
    "application.lifecycle.activate": "Activate application",
    "application.lifecycle.deactivate": "Deactivate application",
    "application.lifecycle.delete": "Delete application",
    "application.user_membership.add": "Add user to application membership",
    "application.user_membership.remove": "Remove user's application membership",
}


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def app_target(app: OidcApp) -> LogTarget:
    return LogTarget(app.id, "AppInstance", "oidc_client", app.label)


class Apps:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _log(self, event_type: str, app: OidcApp, also: LogTarget | None = None) -> None:
        targets = (app_target(app), also) if also else (app_target(app),)
        self.store.log_event(log_event(event_type, EVENTS[event_type], targets=targets))

    def get(self, app_id: str) -> OidcApp:
        app = self.store.app(app_id)
        if app is None:
            raise ResourceNotFound(app_id, "AppInstance")
        return app

    def find(self, q: str | None = None) -> list[OidcApp]:
        """All apps, or those whose label starts with `q` (the API's `q` matches name or label)."""
        apps = self.store.apps()
        return [a for a in apps if not q or a.label.lower().startswith(q.lower()) or "oidc_client".startswith(q)]

    def create(self, body: Any, *, activate: bool = True) -> tuple[OidcApp, str | None]:
        """A new app and its client secret (None for public and private_key_jwt clients), shown this once."""
        now = event_time()
        app_id = okta_id("0oa")
        app, secret = self._validated(body, None, app_id, now)
        if not activate:
            app = replace(app, status=LifecycleStatus.INACTIVE)
        with self.store.transaction():
            self.store.save_app(app)
            self._log("application.lifecycle.create", app)
        return app, secret

    def replace(self, app_id: str, body: Any) -> tuple[OidcApp, str | None]:
        existing = self.get(app_id)
        app, secret = self._validated(body, existing, existing.id, existing.created)
        app = replace(app, status=existing.status, last_updated=event_time())
        with self.store.transaction():
            self.store.save_app(app)
            self._log("application.lifecycle.update", app)
        return app, secret

    def set_status(self, app_id: str, status: LifecycleStatus) -> OidcApp:
        """An INACTIVE app's client is refused by every authorization server."""
        app = replace(self.get(app_id), status=status, last_updated=event_time())
        with self.store.transaction():
            self.store.save_app(app)
            kind = "activate" if status == LifecycleStatus.ACTIVE else "deactivate"
            self._log(f"application.lifecycle.{kind}", app)
        return app

    def delete(self, app_id: str) -> None:
        app = self.get(app_id)
        if app.active:
            raise AppDeleteForbidden()
        with self.store.transaction():
            self.store.delete_app(app.id)
            self._log("application.lifecycle.delete", app)

    # -- assignments ------------------------------------------------------------------------------------------
    def assign_user(self, app_id: str, body: Any) -> tuple[str, str]:
        """(user id, when): `{"id": <user id>, "scope": "USER"}`."""
        app = self.get(app_id)
        user_id = body.get("id") if isinstance(body, dict) else None
        user = self.store.user(user_id) if isinstance(user_id, str) and user_id else None
        if user is None:
            raise ApiValidationError(["id: The id of a user of this org"])
        now = event_time()
        with self.store.transaction():
            self.store.assign(app.id, "USER", user.id, now)
            self._log("application.user_membership.add", app, LogTarget(user.id, "User", user.login, user.login))
        return user.id, now

    def unassign_user(self, app_id: str, user_id: str) -> None:
        app = self.get(app_id)
        with self.store.transaction():
            if not self.store.unassign(app.id, "USER", user_id):
                raise ResourceNotFound(user_id, "AppUser")
            self._log("application.user_membership.remove", app, LogTarget(user_id, "User", user_id, user_id))

    def assign_group(self, app_id: str, group_id: str) -> str:
        app = self.get(app_id)
        if self.store.group(group_id) is None:
            raise ResourceNotFound(group_id, "UserGroup")
        now = event_time()
        self.store.assign(app.id, "GROUP", group_id, now)
        return now

    def unassign_group(self, app_id: str, group_id: str) -> None:
        if not self.store.unassign(self.get(app_id).id, "GROUP", group_id):
            raise ResourceNotFound(group_id, "ApplicationGroupAssignment")

    # -- validation -------------------------------------------------------------------------------------------
    def _validated(self, body: Any, existing: OidcApp | None, app_id: str, created: str) -> tuple[OidcApp, str | None]:
        if not isinstance(body, dict):
            raise ApiValidationError(["The request body must be a JSON object"])
        mode = body.get("signOnMode")
        if mode != "OPENID_CONNECT":
            if isinstance(mode, str) and mode.isupper() and len(mode) < 40:
                raise FeatureNotEmulated(f"apps with signOnMode {mode} (only OPENID_CONNECT)")
            raise ApiValidationError(["signOnMode: Required; mock-okta emulates OPENID_CONNECT apps"])
        causes: list[str] = []
        if body.get("name", "oidc_client") != "oidc_client":
            causes.append('name: Must be "oidc_client" for an OpenID Connect app')
        label = body.get("label")
        if not isinstance(label, str) or not 1 <= len(label.strip()) <= 100:
            causes.append("label: The field cannot be left blank and must be at most 100 characters")
        credentials = _object(body, "credentials", causes)
        oauth_client = _object(credentials, "oauthClient", causes, "credentials.")
        settings = _object(body, "settings", causes)
        client_settings = _object(settings, "oauthClient", causes, "settings.")
        method = oauth_client.get("token_endpoint_auth_method", "client_secret_basic")
        if method == "client_secret_jwt":
            raise FeatureNotEmulated("token_endpoint_auth_method client_secret_jwt")
        if method not in AUTH_METHODS:
            causes.append(f"credentials.oauthClient.token_endpoint_auth_method: One of {', '.join(AUTH_METHODS)}")
        client_id = oauth_client.get("client_id", existing.client_id if existing else app_id)
        if existing and client_id != existing.client_id:
            causes.append("credentials.oauthClient.client_id: The client_id cannot change")
        elif not isinstance(client_id, str) or not CLIENT_ID.match(client_id) or client_id == "ALL_CLIENTS":
            causes.append("credentials.oauthClient.client_id: 6 to 100 letters, digits or $-_.+!*'(),")
        elif existing is None and self.store.app_by_client_id(client_id) is not None:
            causes.append("credentials.oauthClient.client_id: Another app has this client_id")
        secret = oauth_client.get("client_secret")
        if secret is not None and (not isinstance(secret, str) or not 14 <= len(secret) <= 100 or not secret.isascii()):
            causes.append("credentials.oauthClient.client_secret: 14 to 100 ASCII characters")
        try:
            app_type = ApplicationType(str(client_settings.get("application_type")))
        except ValueError:
            causes.append("settings.oauthClient.application_type: One of web, browser, native, service")
            app_type = ApplicationType.WEB
        grants = _strings(client_settings, "grant_types", causes)
        responses = _strings(client_settings, "response_types", causes) or (
            () if grants == ("client_credentials",) else ("code",)
        )
        redirects = _strings(client_settings, "redirect_uris", causes)
        logouts = _strings(client_settings, "post_logout_redirect_uris", causes)
        causes += _type_problems(app_type, str(method), grants, responses, redirects)
        causes += [f"settings.oauthClient.redirect_uris: {uri[:80]!r} {p}" for uri in redirects if (p := _uri(uri))]
        causes += [f"settings.oauthClient.post_logout_redirect_uris: {u[:80]!r} {p}" for u in logouts if (p := _uri(u))]
        default_pkce = app_type in (ApplicationType.BROWSER, ApplicationType.NATIVE) or method == "none"
        pkce = oauth_client.get("pkce_required", default_pkce)
        if not isinstance(pkce, bool) or (method == "none" and pkce is not True):
            causes.append(
                "credentials.oauthClient.pkce_required: A boolean, true when token_endpoint_auth_method is none"
            )
        consent = client_settings.get("consent_method", "TRUSTED")
        if consent not in ("TRUSTED", "REQUIRED"):
            causes.append("settings.oauthClient.consent_method: TRUSTED or REQUIRED")
        jwks = client_settings.get("jwks")
        if method == "private_key_jwt":
            problem = jwks_problem(jwks)
            if problem:
                causes.append(f"settings.oauthClient.{problem}")
        extra = {k: client_settings[k] for k in KEPT_SETTINGS if isinstance(client_settings.get(k), str)}
        if causes or not isinstance(label, str) or not isinstance(client_id, str):
            raise ApiValidationError(causes)
        shown = None
        digest = existing.secret_digest if existing else None
        if method in SECRET_METHODS and (secret is not None or digest is None):
            shown = secret if isinstance(secret, str) else secrets.token_urlsafe(30)
            digest = secret_digest(shown)
        app = OidcApp(
            id=app_id,
            label=label.strip(),
            status=LifecycleStatus.ACTIVE,
            client_id=client_id,
            token_endpoint_auth_method=str(method),
            application_type=app_type,
            grant_types=grants,
            response_types=responses,
            redirect_uris=redirects,
            post_logout_redirect_uris=logouts,
            pkce_required=bool(pkce),
            consent_method=str(consent),
            created=created,
            last_updated=created,
            secret_digest=digest if method in SECRET_METHODS else None,
            jwks={"keys": jwks["keys"]} if method == "private_key_jwt" and isinstance(jwks, dict) else None,
            extra_settings=extra,
        )
        return app, shown


def _object(parent: dict[str, Any], key: str, causes: list[str], prefix: str = "") -> dict[str, Any]:
    value = parent.get(key, {})
    if not isinstance(value, dict):
        causes.append(f"{prefix}{key}: An object")
        return {}
    return value


def _strings(parent: dict[str, Any], key: str, causes: list[str]) -> tuple[str, ...]:
    values = parent.get(key, [])
    if (
        not isinstance(values, list)
        or len(values) > 100
        or not all(isinstance(v, str) and 0 < len(v) <= 1024 for v in values)
    ):
        causes.append(f"settings.oauthClient.{key}: A list of strings")
        return ()
    return tuple(dict.fromkeys(values))


def _type_problems(
    app_type: ApplicationType,
    method: str,
    grants: tuple[str, ...],
    responses: tuple[str, ...],
    redirects: tuple[str, ...],
) -> list[str]:
    causes = []
    valid = VALID_GRANTS[app_type]
    if not grants:
        causes.append("settings.oauthClient.grant_types: At least one grant type")
    for grant in grants:
        if grant not in valid:
            causes.append(f"settings.oauthClient.grant_types: {grant[:60]!r} is not valid for a {app_type} app")
    if app_type in (ApplicationType.WEB, ApplicationType.NATIVE) and grants and "authorization_code" not in grants:
        causes.append(f"settings.oauthClient.grant_types: A {app_type} app must have authorization_code")
    if app_type == ApplicationType.BROWSER and method != "none":
        causes.append("credentials.oauthClient.token_endpoint_auth_method: A browser app is a public client: none")
    if app_type == ApplicationType.SERVICE and method == "none":
        causes.append("credentials.oauthClient.token_endpoint_auth_method: A service app must authenticate")
    for response in responses:
        if response not in RESPONSE_TYPES:
            causes.append(f"settings.oauthClient.response_types: Each one of {', '.join(RESPONSE_TYPES)}")
        elif response == "code" and "authorization_code" not in grants:
            causes.append("settings.oauthClient.response_types: code needs the authorization_code grant type")
        elif response == "token" and not {"implicit", "client_credentials"} & set(grants):
            # The client credentials grant answers with an access token too: Okta's guides create service apps
            # with `response_types: [token]` (customize-tokens-returned-from-okta, secure-oauth-between-orgs).
            causes.append("settings.oauthClient.response_types: token needs the implicit or client_credentials grant")
        elif response == "id_token" and "implicit" not in grants:
            # Only a user's sign-in gives an ID token; a service app "works with OAuth 2.0 flow (not OpenID Connect)".
            causes.append("settings.oauthClient.response_types: id_token needs the implicit grant type")
    redirected = {"authorization_code", "implicit"} & set(grants)
    if redirected and not redirects:
        causes.append("settings.oauthClient.redirect_uris: At least one for the authorization_code or implicit grant")
    return causes


def _uri(uri: str) -> str | None:
    """Why a redirect URI is not one Okta takes: absolute, without a fragment (docs, `wildcard_redirect`)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "is not a URI"
    if not parts.scheme or not (parts.netloc or parts.path) or not uri.isprintable() or " " in uri:
        return "must be an absolute URI"
    if parts.fragment or "#" in uri:
        return "must not have a fragment"
    return None
