"""Admin pages modelled on Okta's Admin Console (Workflow > Inline Hooks, the Preview tab, Directory > Profile
Editor, Directory > Self-Service Registration of a Classic org) and a journal of hook calls. Server-rendered from
templates; the Preview tab's two buttons use a little JavaScript."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from ...hook.channel import parse_header
from ...hook.settings import ConfigError, Engine
from ...hooktypes import REGISTRY
from .. import Org
from ..errors import OktaError
from ..inline_hooks import http_hook_body
from ..models import REGISTRATION_HOOK, HookStatus, InlineHook
from ..okta_json import DEFAULT_RULE_ID, render_hook_call, render_rule
from ..user_schema import CUSTOM_TYPES
from .deps import get_org
from .templating import templates

router = APIRouter(prefix="/admin", include_in_schema=False)
OrgDep = Annotated[Org, Depends(get_org)]
HOOKS_PAGE = "/admin/inline-hooks"


def page(request: Request, template: str, title: str, status: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, template, {"title": title, **context}, status_code=status)


def to_hooks_page() -> Response:
    return RedirectResponse(HOOKS_PAGE, 303)


@router.get("")
async def home() -> Response:
    return to_hooks_page()


@router.get("/inline-hooks")
async def inline_hooks(request: Request, org: OrgDep) -> Response:
    attached = org.inline_hooks.attached()
    where = "self-service registration" if org.settings.engine == Engine.CLASSIC else "the profile enrollment policy"
    return page(
        request,
        "admin/inline_hooks.html",
        "Inline Hooks",
        hooks=org.inline_hooks.all(),
        attached_id=attached.id if attached else None,
        attached_to=where,
    )


def hook_form(
    request: Request, title: str, action: str, values: dict[str, str], causes: list[str], *, editing: bool
) -> Response:
    status = 400 if causes else 200
    org = request.app.state.org
    return page(
        request,
        "admin/hook_form.html",
        title,
        status,
        action=action,
        values=values,
        causes=causes,
        editing=editing,
        hook_keys=org.hook_keys.all(),
        hook_types=[(hook_type.type, hook_type.title) for hook_type in REGISTRY],
    )


def body_from_form(form: dict[str, str], existing: InlineHook | None) -> tuple[dict[str, Any], list[str]]:
    """The API body the Admin Console's form stands for, and any header lines it could not read."""
    causes = []
    headers = []
    for line in form.get("headers", "").splitlines():
        if line.strip():
            try:
                key, value = parse_header(line)
                headers.append({"key": key, "value": value})
            except ConfigError as exc:
                causes.append(f"Custom headers: {exc}")
    body = http_hook_body(form.get("name", ""), form.get("uri", "").strip(), None)
    # Okta's Add Inline Hook starts from a type; an edit keeps the stored one (a type never changes).
    body["type"] = existing.type if existing else form.get("type") or REGISTRATION_HOOK
    config = body["channel"]["config"]
    config["headers"] = headers
    auth_type = form.get("auth_type", "header")
    if auth_type in ("client_secret_post", "private_key_jwt"):
        body["channel"]["type"] = "OAUTH"
        config.update(
            authType=auth_type,
            clientId=form.get("client_id", "").strip(),
            tokenUrl=form.get("token_url", "").strip(),
            scope=form.get("scope", "").strip() or None,
        )
        if auth_type == "private_key_jwt":
            config["hookKeyId"] = form.get("hook_key_id", "")
        elif form.get("client_secret") or not existing:
            config["clientSecret"] = form.get("client_secret", "")
        return body, causes
    key, value = form.get("auth_key", "").strip(), form.get("auth_value", "")
    if key:
        scheme: dict[str, Any] = {"type": "HEADER", "key": key}
        if value or not existing:
            scheme["value"] = value
        config["authScheme"] = scheme
    return body, causes


async def read_form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


def profile_editor(request: Request, org: Org, values: dict[str, str], causes: list[str]) -> Response:
    return page(
        request,
        "admin/profile_editor.html",
        "Profile Editor",
        400 if causes else 200,
        attributes=org.user_schema.attributes(),
        types=CUSTOM_TYPES,
        values=values,
        causes=causes,
    )


@router.get("/profile-editor")
async def show_profile_editor(request: Request, org: OrgDep) -> Response:
    return profile_editor(request, org, {"type": "string"}, [])


@router.post("/profile-editor")
async def add_attribute(request: Request, org: OrgDep) -> Response:
    """Add Attribute: the same change as `POST /api/v1/meta/schemas/user/default` with one custom property."""
    form = await read_form(request)
    definition: dict[str, Any] = {"title": form.get("title", ""), "type": form.get("type", "string")}
    if form.get("description"):
        definition["description"] = form["description"]
    body = {"definitions": {"custom": {"properties": {form.get("name", "").strip(): definition}}}}
    try:
        org.user_schema.update(body)
    except OktaError as exc:
        return profile_editor(request, org, form, exc.cause_texts)
    return RedirectResponse("/admin/profile-editor", 303)


@router.post("/profile-editor/{name}/delete")
async def delete_attribute(org: OrgDep, name: str) -> Response:
    org.user_schema.update({"definitions": {"custom": {"properties": {name: None}}}})
    return RedirectResponse("/admin/profile-editor", 303)


@router.get("/inline-hooks/new")
async def new_hook(request: Request) -> Response:
    return hook_form(request, "Add Inline Hook", f"{HOOKS_PAGE}/new", {"auth_key": "Authorization"}, [], editing=False)


@router.post("/inline-hooks/new")
async def create(request: Request, org: OrgDep) -> Response:
    form = await read_form(request)
    body, causes = body_from_form(form, None)
    if not causes:
        try:
            hook = org.inline_hooks.create(body)
        except OktaError as exc:
            causes = exc.cause_texts
        else:
            if form.get("attach") == "yes" and hook.type == REGISTRATION_HOOK:
                org.inline_hooks.attach(hook)
            return to_hooks_page()
    return hook_form(request, "Add Inline Hook", f"{HOOKS_PAGE}/new", form, causes, editing=False)


@router.get("/inline-hooks/{hook_id}")
async def edit_hook(request: Request, org: OrgDep, hook_id: str) -> Response:
    hook = org.inline_hooks.get(hook_id)
    channel = hook.channel
    values = {
        "name": hook.name,
        "uri": channel.uri,
        "auth_key": channel.auth_scheme.key if channel.auth_scheme else "",
        "headers": "\n".join(f"{h.key}: {h.value}" for h in channel.headers),
    }
    if channel.oauth is not None:
        oauth = channel.oauth
        values.update(
            auth_type=oauth.auth_type,
            client_id=oauth.client_id,
            token_url=oauth.token_url,
            scope=oauth.scope or "",
            hook_key_id=oauth.hook_key_id or "",
        )
    return hook_form(request, f"Edit {hook.name}", f"{HOOKS_PAGE}/{hook_id}", values, [], editing=True)


@router.post("/inline-hooks/{hook_id}")
async def save_hook(request: Request, org: OrgDep, hook_id: str) -> Response:
    hook = org.inline_hooks.get(hook_id)
    form = await read_form(request)
    body, causes = body_from_form(form, hook)
    if not causes:
        try:
            # The Admin Console keeps the secret when its field is left empty: an update, not a replace.
            org.inline_hooks.update(hook, body, partial=True)
        except OktaError as exc:
            causes = exc.cause_texts
        else:
            return to_hooks_page()
    return hook_form(request, f"Edit {hook.name}", f"{HOOKS_PAGE}/{hook_id}", form, causes, editing=True)


@router.post("/inline-hooks/{hook_id}/activate")
async def activate(org: OrgDep, hook_id: str) -> Response:
    org.inline_hooks.set_status(org.inline_hooks.get(hook_id), HookStatus.ACTIVE)
    return to_hooks_page()


@router.post("/inline-hooks/{hook_id}/deactivate")
async def deactivate(org: OrgDep, hook_id: str) -> Response:
    org.inline_hooks.set_status(org.inline_hooks.get(hook_id), HookStatus.INACTIVE)
    return to_hooks_page()


@router.post("/inline-hooks/{hook_id}/delete")
async def delete(request: Request, org: OrgDep, hook_id: str) -> Response:
    hook = org.inline_hooks.get(hook_id)
    try:
        org.inline_hooks.delete(hook)
    except OktaError as exc:
        return page(request, "admin/message.html", "Inline Hooks", exc.status, causes=exc.cause_texts)
    return to_hooks_page()


@router.get("/journal")
async def journal(request: Request, org: OrgDep) -> Response:
    names = {h.id: h.name for h in org.inline_hooks.all()}
    rows = []
    for call in org.inline_hooks.journal(limit=200):
        hook_type = REGISTRY.find(call.request_body.get("eventType"))
        rows.append(
            {
                "created": call.created,
                "hook": names.get(call.inline_hook_id or "")
                or call.record.get("inlineHookName")
                or (f"{call.inline_hook_id} (deleted)" if call.inline_hook_id else ""),
                "request_type": str(call.request_body.get("requestType", "")),
                "subject": hook_type.subject(call.request_body) if hook_type else "",
                "registration": call.registration,
                "failure": call.failure or "",
                "total_ms": call.total_ms,
                "attempts": len(call.record["attempts"]),
                "exchange": json.dumps(render_hook_call(call), indent=2),
            }
        )
    return page(request, "admin/journal.html", "Journal", rows=rows)


SSR_PAGE = "/admin/self-service-registration"


def placement_rows(candidates: list[tuple[str, str]], placed: list[tuple[str, str, bool]]) -> list[dict[str, Any]]:
    """The rows of a page that places attributes on a form: every candidate (name, title) with its label, its
    position (1, 2, ...; empty: off the form) and its required flag, the placed ones first, in form order."""
    on_form = {name: (index + 1, label, required) for index, (name, label, required) in enumerate(placed)}
    rows = []
    for name, title in candidates:
        order, label, required = on_form.get(name, ("", title, False))
        rows.append({"name": name, "label": label, "order": order, "required": required})
    return sorted(rows, key=lambda r: (r["order"] == "", r["order"] or 0))


def read_placement(form: dict[str, str], names: list[str]) -> tuple[list[tuple[str, bool]], list[str]]:
    """The attributes the page's form puts on the form, as (name, required) in position order, and any position
    that is not a whole number."""
    placed, causes = [], []
    for name in names:
        order = form.get(f"order.{name}", "").strip()
        if not order:
            continue
        if not (order.isascii() and order.isdigit()):  # "¹" is a digit to Python, not to int()
            causes.append(f"Position of {name}: a whole number, or empty to leave it off the form")
            continue
        placed.append((int(order), name, form.get(f"required.{name}") == "on"))
    return [(name, required) for _, name, required in sorted(placed)], causes


def ssr_page(request: Request, org: Org, causes: list[str], status: int = 200) -> Response:
    setting = org.classic.setting()
    candidates = [("password", "Password"), *((a.name, a.title) for a in org.user_schema.attributes())]
    titles = dict(candidates)
    rows = placement_rows(candidates, [(f.name, titles.get(f.name, f.name), f.required) for f in setting.fields])
    hooks = [h for h in org.inline_hooks.all() if h.type == REGISTRATION_HOOK and h.active]
    groups = [g for g in org.groups.find() if g.type != "BUILT_IN"]
    return page(
        request,
        "admin/self_service_registration.html",
        "Self-Service Registration",
        status,
        setting=setting,
        rows=rows,
        hooks=hooks,
        groups=groups,
        engine=org.settings.engine,
        causes=causes,
    )


@router.get("/self-service-registration")
async def show_self_service_registration(request: Request, org: OrgDep) -> Response:
    return ssr_page(request, org, [])


@router.post("/self-service-registration")
async def save_self_service_registration(request: Request, org: OrgDep) -> Response:
    """The same change as `PUT /_mock/self-service-registration`, from the page's form."""
    form = await read_form(request)
    fields, causes = read_placement(form, ["password", *(a.name for a in org.user_schema.attributes())])
    body: dict[str, Any] = {
        "enabled": form.get("enabled") == "on",
        "inlineHookId": form.get("inlineHookId") or None,
        "fields": [{"name": name, "required": required} for name, required in fields],
        "defaultGroupId": form.get("defaultGroupId") or None,
        "activation": "EMAIL" if form.get("emailVerification") == "on" else "NONE",
        "postRegistrationRedirect": form.get("postRegistrationRedirect", "").strip() or None,
    }
    if not causes:
        try:
            org.classic.update(body)
        except OktaError as exc:
            causes = exc.cause_texts
        else:
            return RedirectResponse(SSR_PAGE, 303)
    return ssr_page(request, org, causes, 400)


@router.get("/hook-keys")
async def show_hook_keys(request: Request, org: OrgDep) -> Response:
    return hook_keys_page(request, org, [])


@router.post("/hook-keys")
async def create_hook_key(request: Request, org: OrgDep) -> Response:
    """Create key: the same as `POST /api/v1/hook-keys`."""
    try:
        org.hook_keys.create({"name": (await read_form(request)).get("name", "")})
    except OktaError as exc:
        return hook_keys_page(request, org, exc.cause_texts, 400)
    return RedirectResponse("/admin/hook-keys", 303)


def hook_keys_page(request: Request, org: Org, causes: list[str], status: int = 200) -> Response:
    keys = org.hook_keys.all()
    used = {k.id for k in keys if org.hook_keys.in_use(k)}
    return page(request, "admin/hook_keys.html", "Hook Keys", status, keys=keys, used=used, causes=causes)


POLICY_PAGE = "/admin/profile-enrollment"


def policy_page(request: Request, org: Org, causes: list[str], status: int = 200) -> Response:
    policy = org.profile_enrollment.policy()
    candidates = [(a.name, a.title) for a in org.user_schema.attributes()]
    rows = placement_rows(candidates, [(a.name, a.label, a.required) for a in policy.profile_attributes])
    hooks = [h for h in org.inline_hooks.all() if h.type == REGISTRATION_HOOK]
    return page(
        request,
        "admin/profile_enrollment.html",
        "User Profile Policy",
        status,
        policy=policy,
        rows=rows,
        hooks=hooks,
        rule_id=DEFAULT_RULE_ID,
        causes=causes,
    )


@router.get("/profile-enrollment")
async def show_profile_enrollment(request: Request, org: OrgDep) -> Response:
    return policy_page(request, org, [])


@router.post("/profile-enrollment")
async def save_profile_enrollment(request: Request, org: OrgDep) -> Response:
    """The rule's profile enrollment action from the page's form, through the Policies API's own validation."""
    form = await read_form(request)
    policy = org.profile_enrollment.policy()
    titles = {a.name: a.title for a in org.user_schema.attributes()}
    labels = {a.name: a.label for a in policy.profile_attributes}
    chosen, causes = read_placement(form, list(titles))
    action = render_rule(policy, "")["actions"]["profileEnrollment"]
    action.update(
        unknownUserAction="REGISTER" if form.get("registration") == "on" else "DENY",
        activationRequirements={"emailVerification": form.get("emailVerification") == "on"},
        progressiveProfilingAction="ENABLED" if form.get("progressiveProfiling") == "on" else "DISABLED",
        preRegistrationInlineHooks=[{"inlineHookId": form["inlineHookId"]}] if form.get("inlineHookId") else [],
        profileAttributes=[
            {"name": name, "label": labels.get(name, titles[name]), "required": required} for name, required in chosen
        ],
    )
    action.pop("access", None)
    if not causes:
        try:
            org.profile_enrollment.replace_rule(policy.id, DEFAULT_RULE_ID, {"actions": {"profileEnrollment": action}})
        except OktaError as exc:
            causes = exc.cause_texts
        else:
            return RedirectResponse(POLICY_PAGE, 303)
    return policy_page(request, org, causes, 400)
