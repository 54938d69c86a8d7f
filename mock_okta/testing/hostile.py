"""Hostile requests for every entry point of a mock org (Hypothesis strategies; needs the `test` extra): JSON with
NaN, Infinity, numbers beyond a double, lone surrogates, deep nesting and wrong types, in every body, query and
form the org reads. `make test` sends a short sample; `benchmarks/run.py --only fuzz` sends 10,000.

The rule they check: no input makes the org answer 5xx, and afterwards every read still answers 200.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
from hypothesis import strategies as st

from ..org import Org

# (method, path, what the endpoint reads). {hook}, {policy}, {rule}, {user}, {handle}, {registration} (the Classic
# registration policy), and {app}, {as_policy}, {as_rule} (`oauth_ids`: an OpenID Connect app, the `default`
# authorization server's policy and rule) are filled with real ids.
ENDPOINTS: tuple[tuple[str, str, str], ...] = (
    ("POST", "/api/v1/inlineHooks", "json"),
    ("PUT", "/api/v1/inlineHooks/{hook}", "json"),
    ("POST", "/api/v1/inlineHooks/{hook}", "json"),
    ("POST", "/api/v1/inlineHooks/{hook}/execute", "json"),
    ("PUT", "/api/v1/policies/{policy}", "json"),
    ("PUT", "/api/v1/policies/{policy}/rules/{rule}", "json"),
    ("GET", "/api/v1/users", "query"),
    ("GET", "/api/v1/logs", "query"),
    ("GET", "/api/v1/users/{text}", "none"),
    ("POST", "/api/v1/users", "json"),
    ("POST", "/api/v1/groups", "json"),
    ("GET", "/api/v1/groups", "query"),
    ("POST", "/api/v1/meta/schemas/user/default", "json"),
    ("POST", "/_mock/service-apps", "json"),
    ("PUT", "/_mock/config", "json"),
    ("GET", "/_mock/journal", "query"),
    ("POST", "/idp/idx/introspect", "json"),
    ("POST", "/idp/idx/enroll", "json"),
    ("POST", "/idp/idx/enroll/new", "idx"),
    ("POST", "/idp/idx/identify", "idx"),
    ("POST", "/idp/idx/cancel", "idx"),
    ("POST", "/admin/inline-hooks/new", "form"),
    ("POST", "/admin/inline-hooks/{hook}", "form"),
    ("POST", "/admin/inline-hooks/{hook}/preview/request", "json"),
    ("POST", "/admin/inline-hooks/{hook}/preview/response", "json"),
    ("GET", "/", "query"),
    ("GET", "/api/v1/registration/form", "none"),
    ("POST", "/api/v1/registration/{registration}/register", "registration"),
    ("POST", "/api/v1/registration/{text}/register", "registration"),
    ("POST", "/api/v1/authn", "json"),
    ("GET", "/login/sessionCookieRedirect", "query"),
    ("GET", "/login/token/redirect", "query"),
    ("GET", "/welcome/{text}", "none"),
    ("GET", "/app/UserHome", "none"),
    ("GET", "/_mock/mailbox", "query"),
    ("PUT", "/_mock/self-service-registration", "json"),
    ("POST", "/admin/self-service-registration", "form"),
    ("POST", "/idp/idx/challenge/answer", "json"),
    ("POST", "/idp/idx/challenge/resend", "json"),
    ("POST", "/idp/idx/challenge/poll", "json"),
    ("POST", "/idp/idx/enroll/update", "idx"),
    ("POST", "/idp/idx/skip", "json"),
    ("POST", "/idp/idx/credential/enroll", "json"),
    ("GET", "/email/verify/{text}", "none"),
    ("POST", "/api/v1/hook-keys", "json"),
    ("PUT", "/api/v1/hook-keys/{text}", "json"),
    ("GET", "/api/v1/hook-keys/public/{text}", "none"),
    ("POST", "/_mock/oauth-clients", "json"),
    ("POST", "/oauth2/default/v1/token", "form"),
    ("POST", "/admin/profile-enrollment", "form"),
    ("POST", "/admin/hook-keys", "form"),
    # Custom authorization servers, OpenID Connect apps and their protocol endpoints (issue 22).
    ("POST", "/api/v1/authorizationServers", "json"),
    ("PUT", "/api/v1/authorizationServers/default", "json"),
    ("GET", "/api/v1/authorizationServers", "query"),
    ("POST", "/api/v1/authorizationServers/default/scopes", "json"),
    ("POST", "/api/v1/authorizationServers/default/claims", "json"),
    ("POST", "/api/v1/authorizationServers/default/policies", "json"),
    ("POST", "/api/v1/authorizationServers/default/policies/{as_policy}/rules", "json"),
    ("PUT", "/api/v1/authorizationServers/default/policies/{as_policy}/rules/{as_rule}", "json"),
    ("POST", "/api/v1/apps", "json"),
    ("PUT", "/api/v1/apps/{app}", "json"),
    ("POST", "/api/v1/apps/{app}/users", "json"),
    ("GET", "/api/v1/apps", "query"),
    ("GET", "/oauth2/default/v1/authorize", "query"),
    ("GET", "/oauth2/{text}/v1/authorize", "query"),
    ("POST", "/oauth2/default/v1/introspect", "form"),
    ("POST", "/oauth2/default/v1/revoke", "form"),
    ("GET", "/oauth2/default/v1/userinfo", "query"),
    ("GET", "/oauth2/default/v1/logout", "query"),
    ("GET", "/oauth2/{text}/.well-known/openid-configuration", "none"),
)
# Reads that must still answer 200 after any of the above.
READS = (
    "/api/v1/users",
    "/api/v1/logs",
    "/api/v1/inlineHooks",
    "/api/v1/policies?type=PROFILE_ENROLLMENT",
    "/api/v1/groups",
    "/api/v1/meta/schemas/user/default",
    "/_mock/journal",
    "/_mock/config",
    "/admin/inline-hooks",
    "/admin/journal",
    "/_mock/self-service-registration",
    "/_mock/mailbox?to=ann%40example.com",
    "/admin/self-service-registration",
    "/admin/profile-enrollment",
    "/admin/hook-keys",
    "/api/v1/hook-keys",
    "/oauth2/default/.well-known/oauth-authorization-server",
    "/oauth2/default/.well-known/openid-configuration",
    "/api/v1/authorizationServers",
    "/api/v1/authorizationServers/default/policies",
    "/api/v1/apps",
)
# Raw JSON a serializer would never write but a client can send.
RAW_NUMBERS = ("NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e-999", "1" * 5000, "-0")


@dataclass(frozen=True)
class HostileRequest:
    method: str
    path: str
    reads: str
    body: bytes
    content_type: str
    query: dict[str, str]
    form: dict[str, str]


def texts() -> st.SearchStrategy[str]:
    """Any text, lone surrogates and control characters included."""
    return st.one_of(
        st.text(st.characters(codec=None, exclude_categories=()), max_size=20),
        st.sampled_from(["\ud800", "\udfff x", "café", "\x00", "a\r\nb: c", "<script>", "'\"", " s3cret ", ""]),
    )


def values() -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        texts(),
    )
    return st.recursive(
        leaves,
        lambda children: st.lists(children, max_size=3) | st.dictionaries(texts(), children, max_size=4),
        max_leaves=12,
    )


def okta_shaped() -> st.SearchStrategy[dict[str, Any]]:
    """Objects with the member names the org reads, each holding something hostile."""
    names = st.sampled_from(
        [
            "name",
            "type",
            "version",
            "channel",
            "config",
            "uri",
            "headers",
            "authScheme",
            "key",
            "value",
            "actions",
            "profileEnrollment",
            "access",
            "preRegistrationInlineHooks",
            "profileAttributes",
            "timeout",
            "maxRetries",
            "strictHttps",
            "unknownKeysFail",
            "stateHandle",
            "stateToken",
            "userProfile",
            "email",
            "firstName",
            "login",
            "data",
            "requestType",
            "user",
            "description",
            "enabled",
            "inlineHookId",
            "fields",
            "required",
            "activation",
            "defaultGroupId",
            "postRegistrationRedirect",
            "password",
            "token",
            "relayState",
            "credentials",
            "passcode",
            "identifier",
            "tokenEndpointAuthMethod",
            "scopes",
            "jwks",
            "hookKeyId",
            "authType",
            "clientId",
            "clientSecret",
            "tokenUrl",
            "audiences",
            "conditions",
            "grantTypes",
            "include",
            "exclude",
            "people",
            "groups",
            "token",
            "accessTokenLifetimeMinutes",
            "refreshTokenLifetimeMinutes",
            "refreshTokenWindowMinutes",
            "inlineHook",
            "id",
            "priority",
            "status",
            "claimType",
            "valueType",
            "alwaysIncludeInToken",
            "group_filter_type",
            "consent",
            "metadataPublish",
            "signOnMode",
            "label",
            "settings",
            "oauthClient",
            "application_type",
            "grant_types",
            "response_types",
            "redirect_uris",
            "token_endpoint_auth_method",
            "client_id",
            "client_secret",
            "pkce_required",
            "keys",
        ]
    )
    return st.recursive(
        st.dictionaries(names, values(), max_size=4),
        lambda children: st.dictionaries(names, children | values(), max_size=4),
        max_leaves=16,
    )


@st.composite
def json_bodies(draw: st.DrawFn) -> bytes:
    document = draw(st.one_of(okta_shaped(), values()))
    text = json.dumps(document, allow_nan=True)  # surrogates come out as \\ud800 escapes, NaN as NaN
    if draw(st.booleans()):
        text = text.replace("0", draw(st.sampled_from(RAW_NUMBERS)), 1)
    if draw(st.integers(0, 9)) == 0:
        text = "[" * 5000 + text + "]" * 5000
    return text.encode()


@st.composite
def hostile_requests(draw: st.DrawFn) -> HostileRequest:
    method, path, reads = draw(st.sampled_from(ENDPOINTS))
    body, content_type, query, form = b"", "", {}, {}
    if reads in ("json", "idx", "registration"):
        body = draw(json_bodies())
        content_type = draw(st.sampled_from(["application/json", "application/json", "text/plain", ""]))
    elif reads == "query":
        keys = [
            *("search", "filter", "q", "since", "until", "limit", "after", "sortOrder", "registration", "widget"),
            *("engine", "to", "token", "redirectUrl"),
        ]
        query = draw(st.dictionaries(st.sampled_from(keys), texts(), max_size=3))
    elif reads == "form":
        fields = [
            *("name", "uri", "auth_key", "auth_value", "headers", "attach"),
            *("enabled", "inlineHookId", "order.email", "required.email", "order.firstName", "order.password"),
            *("defaultGroupId", "emailVerification", "postRegistrationRedirect"),
            *("grant_type", "client_id", "client_secret", "scope", "client_assertion", "client_assertion_type"),
            *("registration", "progressiveProfiling", "order.employeeNumber", "auth_type", "client_id", "token_url"),
        ]
        form = draw(st.dictionaries(st.sampled_from(fields), texts(), max_size=6))
    return HostileRequest(method, path, reads, body, content_type, query, form)


def oauth_ids(org: Org) -> dict[str, str]:
    """Ids for the OAuth 2.0 entry points: a new OpenID Connect app, the `default` server's policy and rule."""
    app, _ = org.apps.create(
        {
            "label": "Fuzzed app",
            "signOnMode": "OPENID_CONNECT",
            "settings": {
                "oauthClient": {
                    "application_type": "web",
                    "grant_types": ["authorization_code"],
                    "redirect_uris": ["http://127.0.0.1:9/cb"],
                }
            },
        }
    )
    [policy] = org.store.as_policies("default")
    [rule] = org.store.as_rules(policy.id)
    return {"app": app.id, "as_policy": policy.id, "as_rule": rule.id}


def send(client: httpx.Client, request: HostileRequest, ids: dict[str, str], token: str) -> httpx.Response:
    path = request.path.format(text="x%ED%A0%80y%00", **ids)  # a lone surrogate's UTF-8 bytes and a NUL, escaped
    headers = {"Authorization": f"SSWS {token}"}
    if request.reads == "idx":
        document = request.body.replace(b'"stateHandle"', b'"ignored"')
        body = b'{"stateHandle": "' + ids["handle"].encode() + b'", "userProfile": ' + document + b"}"
        return client.request(
            request.method, path, content=body, headers={**headers, "Content-Type": "application/json"}
        )
    if request.reads == "registration":  # the v1 widget's body: {"userProfile": {...}, "relayState": ...}
        body = b'{"userProfile": ' + request.body + b', "relayState": "/app"}'
        return client.request(
            request.method, path, content=body, headers={**headers, "Content-Type": "application/json"}
        )
    if request.content_type:
        headers["Content-Type"] = request.content_type
    query = {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for k, v in request.query.items()}
    form = {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for k, v in request.form.items()}
    if form:
        return client.request(request.method, path, data=form, headers=headers)
    return client.request(request.method, path, params=query, content=request.body or None, headers=headers)
