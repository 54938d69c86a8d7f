"""Classic Engine self-service registration: the org's setting (Directory > Self-Service Registration), the form the
v1 Sign-In Widget reads (`GET /api/v1/registration/form`) and the registration it posts
(`POST /api/v1/registration/{policyId}/register`), with the registration inline hook as its Extension.

Shapes follow the widget's own fixtures and code (okta-signin-widget `playground/mocks/data/api/v1/registration/
form.json` and `register.json`, `test/unit/helpers/xhr/ERROR_INVALID_EMAIL_DOMAIN.js` and `ERROR_notUnique.js`,
`src/v1/controllers/RegistrationController.js`); the hook request is the Classic one of the registration hook
reference (no `requestType`, the register URL, a null `action`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ..hooktypes import REGISTRATION
from ..hooktypes.registration.payloads import classic_registration_request
from .errors import ApiValidationError, OktaError, ResourceNotFound
from .inline_hooks import InlineHooks
from .models import (
    REGISTRATION_HOOK,
    ClassicActivation,
    HookStatus,
    LogTarget,
    RegistrationField,
    SelfServiceRegistration,
    User,
    UserStatus,
)
from .passwords import policy_problems
from .store import DuplicateLogin, Store
from .system_log import user_lifecycle
from .user_schema import EMAIL, UserSchema
from .users import Users

PASSWORD = "password"
# Okta's default password policy (`passwords`) as the Classic form carries it: the widget's texts
# (`registration.passwordComplexity.*`) and its rules, as in the form fixture.
PASSWORD_RULES = (
    ("At least 8 character(s)", {"minLength": 8}),
    ("At least 1 number(s)", {"format": "/[\\d]+/"}),
    ("At least 1 lowercase letter(s)", {"format": "/[a-z]+/"}),
    ("At least 1 uppercase letter(s)", {"format": "/[A-Z]+/"}),
    ("Does not contain part of username", {"format": "/^[#/userName]/"}),
)
REGISTRATION_FAILED = "Registration cannot be completed at this time"
ACTIVATION_SUBJECT = "Activate Account"
MAX_FIELDS = 20
SETTING_KEYS = {
    "enabled",
    "inlineHookId",
    "fields",
    "defaultGroupId",
    "activation",
    "postRegistrationRedirect",
}


class RegistrationNotEnabled(OktaError):
    """Self-service registration is off in this org: E0000060 "Unsupported operation.", 501 Not Implemented, as in
    Okta's error-code list (okta-developer-docs `packages/@okta/vuepress-site/data/error-codes.json`; the older
    Markdown table of the same docs said 404)."""

    status = 501
    code = "E0000060"
    summary = "Unsupported operation."


class RegistrationFailed(OktaError):
    """400 E0000135: the Extension (registration inline hook) denied the registration or could not be used; the
    hook's errorCauses go back to the widget, which shows the first one."""

    code = "E0000135"
    summary = REGISTRATION_FAILED

    def __init__(self, causes: list[dict[str, str]]) -> None:
        super().__init__(None, causes)


class RegistrationInvalid(OktaError):
    """400 E0000001 with one errorCause per field, each naming its field in `location` (the widget shows it under
    that field); duplicate logins carry `reason` UNIQUE_CONSTRAINT, as in the widget's fixture."""

    def __init__(self, causes: list[dict[str, str]], summary: str = "Api validation failed") -> None:
        super().__init__(summary, causes)


@dataclass(frozen=True)
class Registered:
    user: User
    activation_token: str | None  # set when the user is active at once; else the activation email was sent


class ClassicRegistration:
    def __init__(self, store: Store, hooks: InlineHooks, users: Users, schema: UserSchema) -> None:
        self.store = store
        self.hooks = hooks
        self.users = users
        self.schema = schema

    # -- the setting -------------------------------------------------------------------------------------------
    def setting(self) -> SelfServiceRegistration:
        return self.store.self_service_registration()

    def update(self, body: Any) -> SelfServiceRegistration:
        """Change the setting from the control API's JSON (the names `setting_json` writes); left-out keys stay."""
        if not isinstance(body, dict):
            raise ApiValidationError(["The request body must be a JSON object"])
        current, causes, changes = self.setting(), list[str](), dict[str, Any]()
        for key in sorted(set(body) - SETTING_KEYS):
            causes.append(f"{key}: Unknown setting; known: {', '.join(sorted(SETTING_KEYS))}")
        if "enabled" in body:
            if isinstance(body["enabled"], bool):
                changes["enabled"] = body["enabled"]
            else:
                causes.append("enabled: Must be true or false")
        if "inlineHookId" in body:
            hook_id = body["inlineHookId"]
            hook = self.store.inline_hook(hook_id) if isinstance(hook_id, str) else None
            if hook_id is None:
                changes["inline_hook_id"] = None
            elif hook is None or hook.type != REGISTRATION_HOOK:
                causes.append(f"inlineHookId: No registration inline hook with id {str(hook_id)[:40]!r}")
            elif hook.status != HookStatus.ACTIVE:
                causes.append("inlineHookId: The inline hook must be ACTIVE to be the Extension")
            else:
                changes["inline_hook_id"] = hook_id
        if "fields" in body:
            fields = self._fields(body["fields"], causes)
            if fields is not None:
                changes["fields"] = fields
        if "defaultGroupId" in body:
            group_id = body["defaultGroupId"]
            if group_id is None:
                changes["default_group_id"] = None
            elif not isinstance(group_id, str) or self.store.group(group_id) is None:
                causes.append(f"defaultGroupId: No group with id {str(group_id)[:40]!r}")
            else:
                changes["default_group_id"] = group_id
        if "activation" in body:
            if isinstance(body["activation"], str) and body["activation"] in ClassicActivation.__members__:
                changes["activation"] = ClassicActivation(body["activation"])
            else:
                causes.append(
                    "activation: EMAIL (the user clicks the activation email's link) or NONE (active at once)"
                )
        if "postRegistrationRedirect" in body:
            redirect = body["postRegistrationRedirect"]
            if redirect is None or redirect == "":
                changes["post_registration_redirect"] = None
            elif isinstance(redirect, str) and re.match(r"^https?://[^\s]+$", redirect) and len(redirect) <= 1024:
                changes["post_registration_redirect"] = redirect
            else:
                causes.append("postRegistrationRedirect: An absolute http(s) URL, or null for the default")
        if causes:
            raise ApiValidationError(causes)
        return self.store.save_self_service_registration(replace(current, **changes))

    def _fields(self, value: Any, causes: list[str]) -> tuple[RegistrationField, ...] | None:
        if not isinstance(value, list) or not value or len(value) > MAX_FIELDS:
            causes.append(f"fields: A list of 1 to {MAX_FIELDS} {{name, required}} objects, in form order")
            return None
        known, fields, seen = self.schema.names(), [], set()
        for index, entry in enumerate(value):
            name = entry.get("name") if isinstance(entry, dict) else None
            required = entry.get("required", False) if isinstance(entry, dict) else None
            if not isinstance(name, str) or (name not in known and name != PASSWORD):
                causes.append(f"fields[{index}].name: Not an attribute of the user schema: {str(name)[:40]!r}")
            elif name in seen:
                causes.append(f"fields[{index}].name: {name!r} is on the form twice")
            elif not isinstance(required, bool):
                causes.append(f"fields[{index}].required: Must be true or false")
            else:
                seen.add(name)
                fields.append(RegistrationField(name, required))
        # Okta's Classic form always asks for the email and a password, both required.
        for name in ("email", PASSWORD):
            if not any(f.name == name and f.required for f in fields):
                causes.append(f"fields: {name!r} must be on the form and required")
        return tuple(fields) if len(fields) == len(value) else None

    # -- the form the widget reads -----------------------------------------------------------------------------
    def form(self) -> dict[str, Any]:
        setting = self._enabled()
        attributes = {a.name: a for a in self.schema.attributes()}
        properties: dict[str, Any] = {}
        for field in setting.fields:
            if field.name == PASSWORD:
                properties[PASSWORD] = {
                    "type": "string",
                    "title": "Password",
                    "allOf": [{"description": text, **rule} for text, rule in PASSWORD_RULES],
                    "default": "Password",
                }
                continue
            attribute = attributes.get(field.name)
            if attribute is None:  # a custom attribute removed after it was put on the form
                continue
            entry: dict[str, Any] = {"type": attribute.type, "title": _title(field.name, attribute.title)}
            if field.name == "email":
                entry.update(type="email", format="email")
            if attribute.min_length is not None:
                entry["minLength"] = attribute.min_length
            if attribute.max_length is not None:
                entry["maxLength"] = attribute.max_length
            entry["default"] = entry["title"]
            properties[field.name] = entry
        return {
            "policyId": setting.policy_id,
            "lastUpdate": setting.last_update,
            "profileSchema": {
                "properties": properties,
                "required": [f.name for f in setting.fields if f.required and f.name in properties],
                "fieldOrder": [f.name for f in setting.fields if f.name in properties],
            },
        }

    # -- the registration the widget posts ---------------------------------------------------------------------
    async def register(self, policy_id: str, body: Any, client_ip: str, origin: str) -> Registered:
        setting = self._enabled()
        if policy_id != setting.policy_id:
            raise ResourceNotFound(policy_id, "RegistrationPolicy")
        user_profile = body.get("userProfile") if isinstance(body, dict) else None
        if not isinstance(user_profile, dict):
            raise ApiValidationError(["userProfile: Required, an object of the form's values"])
        # The password is checked against the policy but not kept: the mock signs users in by token only.
        profile = self._validated(setting, user_profile)

        hook = self.store.inline_hook(setting.inline_hook_id) if setting.inline_hook_id else None
        if hook is not None and hook.status == HookStatus.ACTIVE:
            request = classic_registration_request(profile, policy_id=setting.policy_id, ip_address=client_ip)
            verdict = (await self.hooks.call_as(REGISTRATION, hook, request, client_ip)).verdict
            if not verdict.allowed:
                raise RegistrationFailed(verdict.error_causes)
            profile = {**profile, **verdict.profile_updates}

        active = setting.activation == ClassicActivation.NONE
        try:
            # The user, its events and its activation token (and email) together: a registration whose email could
            # not be written keeps no user, so it can be sent again instead of answering "already exists".
            with self.store.transaction():
                user = self.users.register(
                    profile,
                    UserStatus.ACTIVE if active else UserStatus.PROVISIONED,
                    client_ip,
                    group_ids=(setting.default_group_id,) if setting.default_group_id else (),
                    rule=LogTarget(
                        setting.policy_id, "RegistrationPolicy", "Self-Service Registration", "Registration"
                    ),
                )
                token = self.store.new_token("activation", user.id)
                if active:
                    # The widget signs the user in with it (`POST /api/v1/authn` {token}).
                    return Registered(user, token)
                self.store.send_mail(
                    str(user.profile["email"]),
                    ACTIVATION_SUBJECT,
                    f"Hi {user.profile.get('firstName') or user.profile['login']},\n\n"
                    "Welcome! To verify your email address and activate your account, open this link:\n"
                    f"{origin}/welcome/{token}\n\nThis link expires in 7 days.",
                    f"{origin}/welcome/{token}",
                    "registration.activation",
                )
        except DuplicateLogin:
            raise _duplicate() from None
        return Registered(user, None)

    def activate(self, token: str, client_ip: str) -> User | None:
        """Open the activation email's link: the user becomes ACTIVE (None for an unknown, used or expired link)."""
        with self.store.transaction():  # the link is used up only if the activation and its event are kept
            user_id = self.store.redeem_token("activation", token)
            user = self.store.user(user_id) if user_id else None
            if user is None or user.status != UserStatus.PROVISIONED:
                return None
            activated = self.store.set_user_status(user.id, UserStatus.ACTIVE) or user
            self.store.log_event(
                user_lifecycle(activated, "user.lifecycle.activate", "Activate Okta user", client_ip, by_user=True)
            )
        return activated

    # -- internals ---------------------------------------------------------------------------------------------
    def _enabled(self) -> SelfServiceRegistration:
        setting = self.setting()
        if not setting.enabled:
            raise RegistrationNotEnabled()
        return setting

    def _validated(self, setting: SelfServiceRegistration, submitted: dict[str, Any]) -> dict[str, Any]:
        """The profile the hook sees (form attributes, trimmed; `login` from the email when the form has none; never
        the password), or RegistrationInvalid as Okta checks the form before calling the hook."""
        attributes = {a.name: a for a in self.schema.attributes()}
        on_form = {f.name: f for f in setting.fields}
        causes: list[dict[str, str]] = []
        for name in sorted(set(submitted) - set(on_form)):
            causes.append(_cause(name[:100], f"Property name '{name[:100]}' is not on the registration form"))
        values: dict[str, Any] = {}
        for name, field in on_form.items():
            value = submitted.get(name)
            if isinstance(value, str):
                value = value if name == PASSWORD else value.strip()
            elif value is not None:
                causes.append(_cause(name, "The field must be text"))
                continue
            if value in (None, ""):
                if field.required:
                    causes.append(_cause(name, "The field cannot be left blank"))
                continue
            attribute = attributes.get(name)
            if attribute is not None and attribute.max_length is not None and len(value) > attribute.max_length:
                causes.append(_cause(name, f"The field cannot be longer than {attribute.max_length} characters"))
            elif attribute is not None and attribute.min_length and len(value) < attribute.min_length:
                causes.append(_cause(name, f"The field must be at least {attribute.min_length} characters"))
            values[name] = value
        email = values.get("email")
        if isinstance(email, str) and not EMAIL.match(email):
            causes.append(_cause("email", "'Email' must be in the form of an email address"))
        password = values.pop(PASSWORD, "")
        if password:
            unmet = policy_problems(password, values)
            if unmet:
                causes.append(_cause(PASSWORD, "Password requirements were not met: " + "; ".join(unmet)))
        if causes:
            raise RegistrationInvalid(causes)
        profile = {**values, "login": values.get("login") or values["email"]}
        if self.store.login_taken(str(profile["login"])):
            raise _duplicate()
        return profile


def setting_json(setting: SelfServiceRegistration) -> dict[str, Any]:
    """The setting as the control API and the admin page show it."""
    return {
        "policyId": setting.policy_id,
        "enabled": setting.enabled,
        "inlineHookId": setting.inline_hook_id,
        "fields": [{"name": f.name, "required": f.required} for f in setting.fields],
        "defaultGroupId": setting.default_group_id,
        "activation": setting.activation.value,
        "postRegistrationRedirect": setting.post_registration_redirect,
        "lastUpdate": setting.last_update,
    }


def _title(name: str, schema_title: str) -> str:
    # The Classic form labels the primary email "Email" (form fixture), not the schema's "Primary email".
    return "Email" if name == "email" else schema_title


def _cause(field: str, summary: str) -> dict[str, str]:
    return {
        "errorSummary": summary,
        "reason": "INVALID_VALUE",
        "locationType": "body",
        "location": field,
        "domain": "registration request",
    }


def _duplicate() -> RegistrationInvalid:
    # As the widget's fixture ERROR_notUnique: E0000001 "Api validation failed: null", reason UNIQUE_CONSTRAINT,
    # `location` "Email" (the field's title, not its name), which the widget puts into "An account with that {0}
    # already exists" (RegistrationController.renderIsNotUniqueError).
    cause = {
        "errorSummary": "A user with this Email already exists",
        "reason": "UNIQUE_CONSTRAINT",
        "locationType": "body",
        "location": "Email",
        "domain": "registration request",
    }
    return RegistrationInvalid([cause], "Api validation failed: null")
