"""The Identity Engine registration flow the Sign-In Widget talks to (`/idp/idx/...`), as plain functions that
return IDX (ion) documents. The web layer only parses requests and writes these replies.

Shapes follow the widget's own IDX fixtures (okta-signin-widget `playground/mocks/data/idp/idx/`: identify.json,
enroll-profile-new.json, error-new-signup-email-exists.json, terminal-registration.json,
error-account-creation.json).
"""

from __future__ import annotations

from typing import Any

from ..hooktypes import REGISTRATION
from ..hooktypes.registration.payloads import registration_request
from ..hooktypes.registration.verdict import end_user_texts
from .inline_hooks import InlineHooks
from .ion import IdxReply, cancel, expired, message, messages, remediation, transaction
from .journey import Journey
from .models import FlowStep, IdxFlow, LogTarget, ProfileAttribute, ProfileEnrollmentPolicy, SchemaAttribute
from .okta_json import DEFAULT_RULE_ID
from .profile_form import check_fields, form_fields
from .settings import OrgSettings
from .store import DuplicateLogin, Store
from .users import Users

SIGN_UP_FIRST_TEXT = "Sign up is not open in this transaction yet: choose Sign up first."
IN_PROGRESS_TEXT = "This registration is already being processed."
SIGN_UP_DONE_TEXT = "This sign-up was already submitted: continue with the step shown."


class RegistrationFlow:
    """Self-service registration under the profile enrollment policy held in the store."""

    def __init__(self, store: Store, settings: OrgSettings, hooks: InlineHooks, users: Users) -> None:
        self.store = store
        self.settings = settings
        self.hooks = hooks
        self.users = users
        self.journey = Journey(store, settings, hooks, users.schema)

    def start(self, device: str | None = None) -> str:
        """A new transaction; `device` is the browser's device cookie, which an email magic link must come back
        with (`magic_link`)."""
        handle = self.store.new_flow(self.settings.flow_ttl_seconds)
        if device:
            self.store.bind_device(handle, device)
        return handle

    # -- replies for each IDX call ----------------------------------------------------------------------------
    def introspect(self, handle: Any, origin: str) -> IdxReply:
        flow = self._flow(handle)
        if flow is None:
            return expired()
        if flow.step in (FlowStep.ENROLL_PROFILE, FlowStep.REGISTERING):
            return IdxReply(200, self._enroll_profile_doc(flow, origin))
        later = self.journey.current_doc(flow, origin)
        return IdxReply(200, later if later is not None else self._identify_doc(flow, origin))

    def select_enroll_profile(self, handle: Any, origin: str) -> IdxReply:
        flow = self._flow(handle)
        if flow is None:
            return expired()
        if not self.store.policy().registration_open:
            return registration_disabled(flow)
        self.store.set_flow_step(flow.state_handle, FlowStep.ENROLL_PROFILE)
        return IdxReply(200, self._enroll_profile_doc(flow, origin))

    def select_identify(self, handle: Any, origin: str) -> IdxReply:
        flow = self._flow(handle)
        if flow is None:
            return expired()
        self.store.set_flow_step(flow.state_handle, FlowStep.IDENTIFY)
        return IdxReply(200, self._identify_doc(flow, origin))

    def cancel(self, handle: Any, origin: str) -> IdxReply:
        """Okta ends the transaction; the widget then starts again from the sign-in form."""
        return self.select_identify(handle, origin)

    def identify(self, handle: Any, identifier: Any, origin: str) -> IdxReply:
        """Sign-in's first step: the username; then the password (`journey`)."""
        flow = self._flow(handle)
        if flow is None:
            return expired()
        return self.journey.identify(flow, identifier, self._identify_doc(flow, origin))

    async def enroll_new(self, handle: Any, user_profile: Any, origin: str, client_ip: str) -> IdxReply:
        flow = self._flow(handle)
        if flow is None:
            return expired()
        policy = self.store.policy()
        if not policy.registration_open:
            return registration_disabled(flow)
        if flow.step == FlowStep.IDENTIFY:
            # The sign-up form was never offered in this transaction (the widget asks /idp/idx/enroll first).
            doc = self._identify_doc(flow, origin)
            doc["messages"] = messages(message(SIGN_UP_FIRST_TEXT))
            return IdxReply(400, doc)
        later = self.journey.current_doc(flow, origin)
        if later is not None:
            # The sign-up form was submitted and accepted: this transaction has moved on (the email, the password).
            later["messages"] = messages(message(SIGN_UP_DONE_TEXT))
            return IdxReply(400, later)
        if not self.store.claim_flow(flow.state_handle):
            # Another request of this transaction is registering right now: one registration per state handle.
            doc = {**transaction(flow), "messages": messages(message(IN_PROGRESS_TEXT))}
            return IdxReply(409, doc)
        done = False
        try:
            reply, done = await self._register(flow, policy, user_profile, origin, client_ip)
            return reply
        finally:
            if not done:
                self.store.set_flow_step(flow.state_handle, FlowStep.ENROLL_PROFILE)

    async def _register(
        self, flow: IdxFlow, policy: ProfileEnrollmentPolicy, user_profile: Any, origin: str, client_ip: str
    ) -> tuple[IdxReply, bool]:
        """The reply, and whether the transaction is finished (a user was created)."""
        if not isinstance(user_profile, dict):
            doc = self._enroll_profile_doc(flow, origin)
            doc["messages"] = messages(message("userProfile must be an object of form values."))
            return IdxReply(400, doc), False
        attributes = {a.name: a for a in policy.profile_attributes}
        submitted = {
            name: value.strip() if isinstance(value, str) else value
            for name, value in user_profile.items()
            if name in attributes
        }
        # Okta checks the form against the user schema first: a refused value never reaches the hook.
        errors = check_fields(policy.profile_attributes, self._schema(), submitted)
        if errors:
            return self._form_errors(flow, origin, errors, submitted), False
        profile = {**submitted, "login": submitted.get("login") or submitted.get("email")}
        if profile["login"] and self.store.login_taken(str(profile["login"])):
            return self._duplicate(flow, origin, attributes, submitted), False

        hook = self.store.inline_hook(policy.inline_hook_id) if policy.inline_hook_id else None
        if hook is not None and hook.active:
            # `source`: "the ID of the registration inline hook" (spec, create-registration-hook).
            request = registration_request(profile, source=hook.id, ip_address=client_ip)
            run = await self.hooks.call_as(REGISTRATION, hook, request, client_ip)
            verdict = run.verdict
            if verdict.failure:
                generic = message(verdict.messages[0].text, key="registration.error.generic")
                return IdxReply(400, self._terminal(flow, generic)), False
            if not verdict.allowed:
                field_errors: dict[str, list[dict[str, Any]]] = {}
                form_messages = []
                for shown in verdict.messages:
                    if shown.field is None:  # Okta's own text: "Registration denied." and the like
                        form_messages.append(message(shown.text))
                    elif shown.field in attributes:
                        field_errors.setdefault(shown.field, []).append(message(shown.text))
                if not field_errors and not form_messages:
                    # The hook's causes name attributes that are not on this form: Okta shows none of them.
                    form_messages.append(message(end_user_texts(self.settings.verdict_rules).registration_no_causes))
                return self._form_errors(flow, origin, field_errors, submitted, form_messages), False
            profile = {**profile, **verdict.profile_updates}
        try:
            # The user (with its events) and the transaction's next step together: a sign-up whose step could not be
            # written keeps no user, so the same form can be sent again instead of answering "already exists".
            with self.store.transaction():
                user = self.users.register(
                    profile,
                    policy.target_status,
                    client_ip,
                    group_ids=policy.rule.target_group_ids,
                    rule=LogTarget(DEFAULT_RULE_ID, "PolicyRule", "Catch-all Rule", "Catch-all Rule"),
                )
                # The transaction goes on: email verification (if the rule asks for it), then a password.
                return self.journey.after_registration(flow, user, policy, origin), True
        except DuplicateLogin:
            return self._duplicate(flow, origin, attributes, submitted), False

    # -- internals ----------------------------------------------------------------------------------------------
    def _flow(self, handle: Any) -> IdxFlow | None:
        return self.store.flow(handle) if isinstance(handle, str) and handle else None

    def _duplicate(
        self,
        flow: IdxFlow,
        origin: str,
        attributes: dict[str, ProfileAttribute],
        submitted: dict[str, Any],
    ) -> IdxReply:
        name = "login" if "login" in attributes else "email"
        label = attributes[name].label if name in attributes else "Email"
        text = f"A user with this {label} already exists"
        errors = {name: [message(text, key="registration.error.notUniqueWithinOrg", params=[label])]}
        return self._form_errors(flow, origin, errors, submitted)

    def _form_errors(
        self,
        flow: IdxFlow,
        origin: str,
        field_errors: dict[str, list[dict[str, Any]]],
        submitted: dict[str, Any],
        form_messages: list[dict[str, Any]] | None = None,
    ) -> IdxReply:
        doc = self._enroll_profile_doc(flow, origin, field_errors, submitted)
        if form_messages:
            doc["messages"] = messages(*form_messages)
        return IdxReply(400, doc)

    def _schema(self) -> dict[str, SchemaAttribute]:
        return {a.name: a for a in self.users.schema.attributes()}

    def _identify_doc(self, flow: IdxFlow, origin: str) -> dict[str, Any]:
        handle = flow.state_handle
        identify = remediation(
            "identify",
            origin,
            "/idp/idx/identify",
            [
                # Required, as in the widget's identify.json: the widget refuses a blank one before sending it.
                {"name": "identifier", "label": "Username", "required": True},
                {"name": "rememberMe", "label": "Remember Me", "type": "boolean"},
            ],
            handle,
        )
        offered = [identify]
        if self.store.policy().registration_open:
            # Only then does the widget show "Sign up".
            offered.append(remediation("select-enroll-profile", origin, "/idp/idx/enroll", [], handle))
        return {
            **transaction(flow),
            "remediation": {"type": "array", "value": offered},
            "cancel": cancel(origin, handle),
        }

    def _enroll_profile_doc(
        self,
        flow: IdxFlow,
        origin: str,
        field_errors: dict[str, list[dict[str, Any]]] | None = None,
        submitted: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        handle = flow.state_handle
        form = form_fields(self.store.policy().profile_attributes, self._schema(), submitted, field_errors)
        enroll = remediation(
            "enroll-profile", origin, "/idp/idx/enroll/new", [{"name": "userProfile", "form": {"value": form}}], handle
        )
        back = remediation("select-identify", origin, "/idp/idx/identify/select", [], handle)
        return {
            **transaction(flow),
            "remediation": {"type": "array", "value": [enroll, back]},
            "cancel": cancel(origin, handle),
        }

    def _terminal(self, flow: IdxFlow, entry: dict[str, Any]) -> dict[str, Any]:
        return {**transaction(flow), "messages": messages(entry)}


def registration_disabled(flow: IdxFlow) -> IdxReply:
    """Sign-up asked for while the policy's rule does not register unknown users: the widget's key for it (its
    TerminalView's REGISTRATION_NOT_ENABLED) with the widget's text for the key (login.properties)."""
    text = "Sign up is not enabled for this organization."
    body = {**transaction(flow), "messages": messages(message(text, key="oie.registration.is.not.enabled"))}
    return IdxReply(403, body)
