"""Admin pages modelled on Okta's Admin Console (Workflow > Inline Hooks, the Preview tab) and a journal of hook
calls. Plain server-rendered HTML; the Preview tab's two buttons use a little JavaScript."""

from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from .channel import ChannelConfigError, parse_header
from .errors import OktaError
from .inline_hooks import (
    REGISTRATION_HOOK,
    HookValidationError,
    call_inline_hook,
    create_hook,
    delete_hook,
    find_hook,
    http_hook_body,
    set_hook_status,
    update_hook,
)
from .payloads import build_request, progressive_profile_request, registration_request
from .web import client_ip

if TYPE_CHECKING:
    from .server import MockOrg


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} - mock-okta admin</title>
<link rel="stylesheet" href="/static/admin.css"></head><body>
<header><strong>mock-okta admin</strong><nav aria-label="Admin"><a href="/admin/inline-hooks">Inline Hooks</a> ·
<a href="/admin/journal">Journal</a> · <a href="/">Sign-in page</a></nav></header>
<main><h1>{escape(title)}</h1>{body}</main></body></html>""",
        status,
    )


def errors_block(causes: list[str]) -> str:
    if not causes:
        return ""
    items = "".join(f"<li>{escape(c)}</li>" for c in causes)
    return f'<div class="errors" role="alert"><p>Fix these and save again:</p><ul>{items}</ul></div>'


def router(org: MockOrg) -> APIRouter:
    admin = APIRouter(prefix="/admin", include_in_schema=False)

    def hook_or_404(hook_id: str) -> dict[str, Any]:
        return find_hook(org.store, hook_id)

    @admin.get("")
    def home() -> Response:
        return RedirectResponse("/admin/inline-hooks", 303)

    @admin.get("/inline-hooks")
    def inline_hooks() -> Response:
        policy = org.store.policy()
        rows = []
        for hook in org.store.inline_hooks():
            hid = escape(hook["id"])
            toggle = "deactivate" if hook["status"] == "ACTIVE" else "activate"
            actions = [
                f'<a href="/admin/inline-hooks/{hid}">Edit</a>',
                f'<a href="/admin/inline-hooks/{hid}/preview">Preview</a>',
                f'<form class="inline" method="post" action="/admin/inline-hooks/{hid}/{toggle}">'
                f"<button>{toggle.capitalize()}</button></form>",
            ]
            if hook["status"] == "INACTIVE":
                actions.append(
                    f'<form class="inline" method="post" action="/admin/inline-hooks/{hid}/delete"><button>Delete</button></form>'
                )
            attached = " (attached to the profile enrollment policy)" if policy.inline_hook_id == hook["id"] else ""
            rows.append(
                f"<tr><td>{escape(hook['name'])}{attached}</td><td>{escape(hook['type'])}</td>"
                f"<td>{escape(hook['status'])}</td><td>{escape(hook['channel']['config']['uri'])}</td>"
                f"<td>{' '.join(actions)}</td></tr>"
            )
        table = (
            "<table><thead><tr><th>Name</th><th>Type</th><th>Status</th><th>URL</th><th>Actions</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            if rows
            else "<p>No inline hooks yet.</p>"
        )
        return page(
            "Inline Hooks", f'<p><a href="/admin/inline-hooks/new">Add Inline Hook</a> (Registration)</p>{table}'
        )

    def hook_form(action: str, values: dict[str, str], causes: list[str], editing: bool) -> str:
        secret_hint = "Leave blank to keep the current secret." if editing else "Sent verbatim with every call."
        attach = (
            ""
            if editing
            else '<label><input type="checkbox" name="attach" value="yes" checked> '
            "Attach to the profile enrollment policy (Enrollment &gt; Inline hook)</label>"
        )
        return f"""{errors_block(causes)}
<form method="post" action="{escape(action)}">
<label for="name">Name</label><input type="text" id="name" name="name" required value="{escape(values.get("name", ""))}">
<label for="uri">URL</label><input type="url" id="uri" name="uri" required placeholder="https://hooks.example.com/registrationHook" value="{escape(values.get("uri", ""))}">
<label for="auth_key">Authentication field</label><input type="text" id="auth_key" name="auth_key" placeholder="Authorization" value="{escape(values.get("auth_key", ""))}">
<label for="auth_value">Authentication secret</label><input type="password" id="auth_value" name="auth_value" autocomplete="off">
<p class="hint">{secret_hint}</p>
<label for="headers">Custom headers</label><textarea id="headers" name="headers" style="min-height:4rem" placeholder="X-Other-Header: value">{escape(values.get("headers", ""))}</textarea>
<p class="hint">One <code>Name: value</code> per line.</p>
{attach}
<button type="submit">Save</button> <a href="/admin/inline-hooks">Cancel</a>
</form>"""

    def body_from_form(form: dict[str, str], existing: dict[str, Any] | None) -> tuple[dict[str, Any], list[str]]:
        causes = []
        headers = []
        for line in form.get("headers", "").splitlines():
            if line.strip():
                try:
                    key, value = parse_header(line)
                    headers.append({"key": key, "value": value})
                except ChannelConfigError as exc:
                    causes.append(f"Custom headers: {exc}")
        key, value = form.get("auth_key", "").strip(), form.get("auth_value", "")
        body = http_hook_body(form.get("name", ""), form.get("uri", "").strip(), None)
        body["channel"]["config"]["headers"] = headers
        if key:
            scheme: dict[str, Any] = {"type": "HEADER", "key": key}
            if value or not existing:
                scheme["value"] = value
            body["channel"]["config"]["authScheme"] = scheme
        return body, causes

    async def read_form(request: Request) -> dict[str, str]:
        return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}

    @admin.get("/inline-hooks/new")
    def new_hook() -> Response:
        return page("Add Inline Hook", hook_form("/admin/inline-hooks/new", {"auth_key": "Authorization"}, [], False))

    @admin.post("/inline-hooks/new")
    async def create(request: Request) -> Response:
        form = await read_form(request)
        body, causes = body_from_form(form, None)
        if not causes:
            try:
                hook = create_hook(org.store, org.settings, body)
            except HookValidationError as exc:
                causes = exc.causes
            else:
                if form.get("attach") == "yes":
                    org.store.update_policy(inline_hook_id=hook["id"])
                return RedirectResponse("/admin/inline-hooks", 303)
        return page("Add Inline Hook", hook_form("/admin/inline-hooks/new", form, causes, False), 400)

    @admin.get("/inline-hooks/{hook_id}")
    def edit_hook(hook_id: str) -> Response:
        hook = hook_or_404(hook_id)
        config = hook["channel"]["config"]
        values = {
            "name": hook["name"],
            "uri": config["uri"],
            "auth_key": (config.get("authScheme") or {}).get("key", ""),
            "headers": "\n".join(f"{h['key']}: {h['value']}" for h in config.get("headers") or []),
        }
        return page(f"Edit {hook['name']}", hook_form(f"/admin/inline-hooks/{hook_id}", values, [], True))

    @admin.post("/inline-hooks/{hook_id}")
    async def save_hook(request: Request, hook_id: str) -> Response:
        hook = hook_or_404(hook_id)
        form = await read_form(request)
        body, causes = body_from_form(form, hook)
        if not causes:
            try:
                update_hook(org.store, org.settings, hook, body, partial=False)
            except HookValidationError as exc:
                causes = exc.causes
            else:
                return RedirectResponse("/admin/inline-hooks", 303)
        return page(f"Edit {hook['name']}", hook_form(f"/admin/inline-hooks/{hook_id}", form, causes, True), 400)

    @admin.post("/inline-hooks/{hook_id}/activate")
    def activate(hook_id: str) -> Response:
        set_hook_status(org.store, hook_or_404(hook_id), "ACTIVE")
        return RedirectResponse("/admin/inline-hooks", 303)

    @admin.post("/inline-hooks/{hook_id}/deactivate")
    def deactivate(hook_id: str) -> Response:
        set_hook_status(org.store, hook_or_404(hook_id), "INACTIVE")
        return RedirectResponse("/admin/inline-hooks", 303)

    @admin.post("/inline-hooks/{hook_id}/delete")
    def delete(hook_id: str) -> Response:
        try:
            delete_hook(org.store, hook_or_404(hook_id))
        except OktaError as exc:
            if exc.status == 404:
                raise
            back = '<p><a href="/admin/inline-hooks">Back to Inline Hooks</a></p>'
            return page("Inline Hooks", errors_block(exc.causes) + back, exc.status)
        return RedirectResponse("/admin/inline-hooks", 303)

    @admin.get("/inline-hooks/{hook_id}/preview")
    def preview(hook_id: str) -> Response:
        hook = hook_or_404(hook_id)
        options = ['<option value="">A generated user (faker)</option>'] + [
            f'<option value="{escape(u["id"])}">{escape(u["profile"].get("login", u["id"]))}</option>'
            for u in org.store.users()
        ]
        hid = escape(hook_id)
        body = f"""<p>Hook: <strong>{escape(hook["name"])}</strong> ({escape(hook["status"])}) →
{escape(hook["channel"]["config"]["uri"])}</p>
<section aria-labelledby="configure"><h2 id="configure">Configure Inline Hook request</h2>
<label for="user">data.userProfile</label><select id="user">{"".join(options)}</select>
<label for="requestType">requestType</label><select id="requestType">
<option value="registration">Self-Service Registration</option><option value="profile-update">Progressive Profile</option></select>
<button type="button" id="generate">Generate Request</button>
<label for="request">Request (editable JSON)</label><textarea id="request" spellcheck="false"></textarea>
<button type="button" id="view">View Response</button></section>
<div id="problem" role="alert"></div>
<section aria-labelledby="response-title" id="response-section" hidden><h2 id="response-title">Response</h2>
<p id="status"></p><pre id="response"></pre></section>
<section aria-labelledby="verdict-title" id="verdict-section" hidden><h2 id="verdict-title">What Okta does</h2>
<div id="verdict"></div></section>
<script src="/static/preview.js" data-base="/admin/inline-hooks/{hid}/preview"></script>"""
        return page(f"Preview: {hook['name']}", body)

    @admin.post("/inline-hooks/{hook_id}/preview/request")
    async def preview_request(request: Request, hook_id: str) -> Response:
        hook_or_404(hook_id)
        try:
            choice = await request.json()
        except ValueError:
            choice = None
        if not isinstance(choice, dict) or choice.get("requestType") not in ("registration", "profile-update"):
            return JSONResponse({"error": "Choose a user and a request type."}, 400)
        user = org.store.user(choice["user"]) if choice.get("user") else None
        if choice.get("user") and user is None:
            return JSONResponse({"error": "That user no longer exists."}, 400)
        if user is None:
            return JSONResponse(build_request(choice["requestType"]))
        profile = {k: user["profile"][k] for k in ("firstName", "lastName", "email", "login") if k in user["profile"]}
        if choice["requestType"] == "registration":
            return JSONResponse(registration_request(profile))
        return JSONResponse(
            progressive_profile_request(user["profile"], {"employeeNumber": "1234"}, user_id=user["id"])
        )

    @admin.post("/inline-hooks/{hook_id}/preview/response")
    async def preview_response(request: Request, hook_id: str) -> Response:
        hook = hook_or_404(hook_id)
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError as exc:
            return JSONResponse({"error": f"The request is not valid JSON: {exc}"}, 400)
        if not isinstance(body, dict):
            return JSONResponse({"error": "The request must be a JSON object."}, 400)
        if hook["type"] != REGISTRATION_HOOK:
            return JSONResponse({"error": "Preview here supports registration hooks."}, 400)
        run = await call_inline_hook(org.store, org.settings, hook, body, client_ip(request))
        return JSONResponse(run.to_json())

    @admin.get("/journal")
    def journal() -> Response:
        names = {h["id"]: h["name"] for h in org.store.inline_hooks()}
        rows = []
        for call in org.store.hook_calls(limit=200):
            request_body = call["request"]["body"]
            profile = (request_body.get("data") or {}).get("userProfile") or {}
            rows.append(
                f"<tr><td>{escape(call['created'])}</td><td>{escape(names.get(call['inlineHookId'], call['inlineHookId'] or ''))}</td>"
                f"<td>{escape(str(request_body.get('requestType', '')))}</td><td>{escape(str(profile.get('email', '')))}</td>"
                f'<td class="{escape(call["registration"])}">{escape(call["registration"])}</td>'
                f"<td>{escape(call['failure'] or '')}</td><td>{call['totalMs']:.1f}</td><td>{len(call['attempts'])}</td>"
                f"<td><details><summary>Exchange</summary><pre>{escape(json.dumps(call, indent=2))}</pre></details></td></tr>"
            )
        table = (
            "<table><thead><tr><th>Time</th><th>Hook</th><th>requestType</th><th>Email</th><th>Outcome</th>"
            "<th>Failure</th><th>Latency (ms)</th><th>Attempts</th><th></th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            if rows
            else "<p>No hook calls yet.</p>"
        )
        return page("Journal", f"<p>Recent hook calls, newest first.</p>{table}")

    return admin
