"""Okta's JSON for the OAuth 2.0 objects: authorization servers, scopes, claims, access policies and rules, and
OpenID Connect apps, with absolute `_links`, as a real org answers (okta-sdk-python cassettes
`test_auth_server_it/*.yaml`, `test_authorization_server_rules_it/...test_policy_rules_lifecycle.yaml`,
`test_applications_it/...test_create_open_id_connect_app.yaml`). A client secret appears only in the answer that
made it, as the spec's `ApplicationCredentialsOAuthClient` says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from .oauth_models import (
    AuthorizationServer,
    AuthorizationServerPolicy,
    AuthorizationServerPolicyRule,
    LifecycleStatus,
    OAuth2Claim,
    OAuth2Scope,
    OidcApp,
)

KEY_ROTATION_DAYS = 90  # a real org's nextRotation is lastRotated + 90 days (the cassettes above)


def _hint(href: str, *methods: str) -> dict[str, Any]:
    return {"href": href, "hints": {"allow": list(methods)}}


def _lifecycle(href: str, status: str) -> dict[str, Any]:
    return (
        {"deactivate": _hint(f"{href}/lifecycle/deactivate", "POST")}
        if status == LifecycleStatus.ACTIVE
        else {"activate": _hint(f"{href}/lifecycle/activate", "POST")}
    )


def render_server(server: AuthorizationServer, base_url: str, kid: str) -> dict[str, Any]:
    href = f"{base_url}/api/v1/authorizationServers/{server.id}"
    issuer = f"{base_url}/oauth2/{server.id}"
    created = datetime.strptime(server.created, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    rotation = (created + timedelta(days=KEY_ROTATION_DAYS)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return {
        "id": server.id,
        "name": server.name,
        "description": server.description,
        "audiences": list(server.audiences),
        "issuer": issuer,
        "issuerMode": "ORG_URL",
        "status": server.status,
        "created": server.created,
        "lastUpdated": server.last_updated,
        "credentials": {
            "signing": {"rotationMode": "AUTO", "lastRotated": server.created, "nextRotation": rotation, "kid": kid}
        },
        "default": server.is_default,
        "_links": {
            "rotateKey": _hint(f"{href}/credentials/lifecycle/keyRotate", "POST"),
            "metadata": [
                {"name": name, **_hint(f"{issuer}/.well-known/{name}", "GET")}
                for name in ("oauth-authorization-server", "openid-configuration")
            ],
            "keys": _hint(f"{href}/credentials/keys", "GET"),
            "claims": _hint(f"{href}/claims", "GET", "POST"),
            "policies": _hint(f"{href}/policies", "GET", "POST"),
            "self": _hint(href, "GET", "DELETE", "PUT"),
            "scopes": _hint(f"{href}/scopes", "GET", "POST"),
            **_lifecycle(href, server.status),
        },
    }


def render_scope(scope: OAuth2Scope, base_url: str) -> dict[str, Any]:
    href = f"{base_url}/api/v1/authorizationServers/{scope.server_id}/scopes/{scope.id}"
    rendered: dict[str, Any] = {
        "id": scope.id,
        "name": scope.name,
        "description": scope.description,
        "system": scope.system,
        "metadataPublish": scope.metadata_publish,
        "consent": scope.consent,
        "optional": scope.optional,
        "default": scope.default,
    }
    if scope.display_name is not None:
        rendered["displayName"] = scope.display_name
    return {**rendered, "_links": {"self": _hint(href, "GET", "PUT", "DELETE")}}


def render_claim(claim: OAuth2Claim, base_url: str) -> dict[str, Any]:
    href = f"{base_url}/api/v1/authorizationServers/{claim.server_id}/claims/{claim.id}"
    rendered: dict[str, Any] = {
        "id": claim.id,
        "name": claim.name,
        "status": claim.status,
        "claimType": claim.claim_type,
        "valueType": claim.value_type,
    }
    if claim.value is not None:
        rendered["value"] = claim.value
    if claim.group_filter_type:
        rendered["group_filter_type"] = claim.group_filter_type
    return {
        **rendered,
        "conditions": {"scopes": list(claim.scopes)},
        "system": claim.system,
        "alwaysIncludeInToken": claim.always_include_in_token,
        "_links": {"self": _hint(href, "GET", "PUT", "DELETE")},
    }


def render_policy(policy: AuthorizationServerPolicy, base_url: str) -> dict[str, Any]:
    href = f"{base_url}/api/v1/authorizationServers/{policy.server_id}/policies/{policy.id}"
    return {
        "id": policy.id,
        "status": policy.status,
        "name": policy.name,
        "description": policy.description,
        "priority": policy.priority,
        "system": policy.system,
        "conditions": {"clients": {"include": list(policy.clients)}},
        "created": policy.created,
        "lastUpdated": policy.last_updated,
        "_links": {
            "self": _hint(href, "GET", "PUT", "DELETE"),
            "rules": _hint(f"{href}/rules", "GET"),
            **_lifecycle(href, policy.status),
        },
        "type": "OAUTH_AUTHORIZATION_POLICY",
    }


def render_rule(rule: AuthorizationServerPolicyRule, base_url: str) -> dict[str, Any]:
    href = f"{base_url}/api/v1/authorizationServers/{rule.server_id}/policies/{rule.policy_id}/rules/{rule.id}"
    token: dict[str, Any] = {
        "accessTokenLifetimeMinutes": rule.token.access_token_minutes,
        "refreshTokenLifetimeMinutes": rule.token.refresh_token_minutes,
        "refreshTokenWindowMinutes": rule.token.refresh_window_minutes,
    }
    if rule.token.inline_hook_id:
        token["inlineHook"] = {"id": rule.token.inline_hook_id}
    users: dict[str, Any] = {"exclude": list(rule.users_exclude)}
    if rule.users_include:
        users["include"] = list(rule.users_include)
    groups: dict[str, Any] = {"include": list(rule.groups_include)}
    if rule.groups_exclude:
        groups["exclude"] = list(rule.groups_exclude)
    return {
        "id": rule.id,
        "status": rule.status,
        "name": rule.name,
        "priority": rule.priority,
        "created": rule.created,
        "lastUpdated": rule.last_updated,
        "system": rule.system,
        "conditions": {
            "people": {"users": users, "groups": groups},
            "grantTypes": {"include": list(rule.grant_types)},
            "scopes": {"include": list(rule.scopes)},
        },
        "actions": {"token": token},
        "_links": {"self": _hint(href, "GET", "PUT", "DELETE"), **_lifecycle(href, rule.status)},
        "type": "RESOURCE_ACCESS",
    }


def render_app(app: OidcApp, base_url: str, secret: str | None = None) -> dict[str, Any]:
    href = f"{base_url}/api/v1/apps/{app.id}"
    oauth_client: dict[str, Any] = {
        "autoKeyRotation": True,
        "client_id": app.client_id,
        "token_endpoint_auth_method": app.token_endpoint_auth_method,
        "pkce_required": app.pkce_required,
    }
    if secret is not None:
        oauth_client["client_secret"] = secret
    settings: dict[str, Any] = {
        **app.extra_settings,
        "redirect_uris": list(app.redirect_uris),
        "post_logout_redirect_uris": list(app.post_logout_redirect_uris),
        "response_types": list(app.response_types),
        "grant_types": list(app.grant_types),
        "application_type": app.application_type,
        "consent_method": app.consent_method,
        "issuer_mode": app.extra_settings.get("issuer_mode", "ORG_URL"),
    }
    if app.jwks is not None:
        settings["jwks"] = app.jwks
    links: dict[str, Any] = {
        "appLinks": [
            {"name": "oidc_client_link", "href": f"{base_url}/home/oidc_client/{app.id}/aln", "type": "text/html"}
        ],
        "groups": {"href": f"{href}/groups"},
        "users": {"href": f"{href}/users"},
        "self": {"href": href},
    }
    links.update(
        {"deactivate": {"href": f"{href}/lifecycle/deactivate"}}
        if app.active
        else {"activate": {"href": f"{href}/lifecycle/activate"}}
    )
    return {
        "id": app.id,
        "name": "oidc_client",
        "label": app.label,
        "status": app.status,
        "lastUpdated": app.last_updated,
        "created": app.created,
        # A real org sends nulls here (the cassette) where the spec says string: the mock leaves them out.
        "accessibility": {"selfService": False},
        "visibility": {
            "autoSubmitToolbar": False,
            "hide": {"iOS": True, "web": True},
            "appLinks": {"oidc_client_link": True},
        },
        "features": [],
        "signOnMode": "OPENID_CONNECT",
        "credentials": {
            "userNameTemplate": {"template": "${source.login}", "type": "BUILT_IN"},
            "signing": {},
            "oauthClient": oauth_client,
        },
        "settings": {
            "app": {},
            "notifications": {"vpn": {"network": {"connection": "DISABLED"}}},
            "oauthClient": settings,
        },
        "_links": links,
    }
