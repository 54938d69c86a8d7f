"""What follows the sign-up form on an Identity Engine org, and signing in: the email authenticator (a one-time code
or the magic link), password enrollment under the org's password policy, the signed-in end, sign-in with identify
and password, and progressive profile (the registration hook again, with a `progressive.profile` request).

IDX shapes follow the widget's own fixtures (okta-signin-widget `playground/mocks/data/idp/idx/`):
authenticator-enroll-email.json, authenticator-enroll-password.json, authenticator-verification-password.json,
error-authenticator-verify-password.json, enroll-profile-with-password-returns-error.json,
enroll-profile-update-params.json, success.json; the texts are Okta's (the widget's IDX message factories:
"Invalid code. Try again.", "Password is incorrect", "There is no account with the Username {0}.").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..hooktypes import REGISTRATION
from ..hooktypes.registration.payloads import progressive_profile_request
from . import magic_link as links
from .authenticators import BY_ID, EMAIL, PASSWORD, Authenticator, offered, to_enroll
from .authenticators import EMAIL_AUTHENTICATOR_ID as EMAIL_AUTHENTICATOR_ID
from .authenticators import PASSWORD_AUTHENTICATOR_ID as PASSWORD_AUTHENTICATOR_ID
from .email_challenge import Checked, EmailChallenge, too_many_requests
from .inline_hooks import InlineHooks
from .ion import IdxReply, cancel, expired, message, messages, remediation, transaction
from .journey_docs import challenge_doc, email_doc, password_doc, select_doc
from .models import (
    FlowStep,
    IdxFlow,
    ProfileAttribute,
    ProfileEnrollmentPolicy,
    ProgressiveProfiling,
    SchemaAttribute,
    User,
    UserStatus,
)
from .passwords import hash_password, policy_problems, requirements_not_met, verify_password
from .profile_form import check_fields, form_fields
from .settings import OrgSettings
from .store import Store
from .system_log import journey_event, user_lifecycle
from .user_schema import UserSchema

LOCKOUT_ATTEMPTS = 10  # Okta's default password policy: lock after 10 failed sign-ins

INVALID_CODE = message("Invalid code. Try again.", key="api.authn.error.PASSCODE_INVALID")
INCORRECT_PASSWORD = message("Password is incorrect", key="incorrectPassword")
LOCKED_OUT = message("Your account is locked. Please contact your administrator.", key="errors.E0000119")
AUTHENTICATION_FAILED = message("Authentication failed", key="errors.E0000004")
# The widget's text for the key (login.properties); its fixture leaves `message` empty and lets the key speak.
USERNAME_REQUIRED = message("Please enter a username", key="error.username.required")
LOOPBACK = "127.0.0.1"  # the client address where a call does not carry one (a poll, the magic link's page)
SKIP_NOT_OFFERED = "Skip is not offered at this step: the form asks for required values."
NOT_OFFERED = "Choose one of the security methods offered."


class Journey:
    """Every step after the sign-up form and every sign-in step, over the flows the store keeps."""

    def __init__(self, store: Store, settings: OrgSettings, hooks: InlineHooks, schema: UserSchema) -> None:
        self.store = store
        self.settings = settings
        self.hooks = hooks
        self.schema = schema
        self.email = EmailChallenge(store)

    # -- after a sign-up the hook allowed --------------------------------------------------------------------
    def after_registration(self, flow: IdxFlow, user: User, policy: ProfileEnrollmentPolicy, origin: str) -> IdxReply:
        """The authenticators to set up (`authenticators.to_enroll`): the email first when the rule's activation
        requirements ask for its verification, then the password."""
        self.store.set_flow_step(flow.state_handle, FlowStep.SELECT_ENROLL, user_id=user.id, data={"enrolled": []})
        return IdxReply(200, self._select_doc(self._reload(flow), user, origin))

    def current_doc(self, flow: IdxFlow, origin: str) -> dict[str, Any] | None:
        """The document of the step the flow is at (for introspect: a reload, or the magic link's tab)."""
        if flow.step == FlowStep.TERMINAL:
            return dict(flow.data["doc"])
        user = self.store.user(flow.user_id) if flow.user_id else None
        if user is None:
            return None
        if flow.step == FlowStep.SELECT_ENROLL:
            return self._select_doc(flow, user, origin)
        if flow.step in (FlowStep.ENROLL_EMAIL, FlowStep.CHALLENGE_EMAIL):
            return email_doc(flow, user, origin, remaining=self._remaining(flow))
        if flow.step == FlowStep.VERIFIED:
            return self._signed_in(flow, user, origin).body
        if flow.step == FlowStep.ENROLL_PASSWORD:
            return password_doc(flow, user, origin, remaining=self._remaining(flow))
        if flow.step == FlowStep.CHALLENGE_PASSWORD:
            return challenge_doc(flow, user, origin)
        if flow.step in (FlowStep.PROFILE_UPDATE, FlowStep.UPDATING):
            return self._profile_update_doc(flow, user, origin)
        return None

    # -- /idp/idx/challenge/answer, resend, poll -------------------------------------------------------------
    def answer(self, handle: Any, credentials: Any, origin: str, client_ip: str) -> IdxReply:
        flow, user = self._flow_and_user(handle)
        if flow is None or user is None:
            return expired()
        passcode = credentials.get("passcode") if isinstance(credentials, dict) else None
        if not isinstance(passcode, str):
            passcode = ""
        if flow.step in (FlowStep.ENROLL_EMAIL, FlowStep.CHALLENGE_EMAIL):
            return self._check_code(flow, user, passcode, origin, client_ip)
        if flow.step in (FlowStep.TERMINAL, FlowStep.SELECT_ENROLL):
            return IdxReply(400, self.current_doc(flow, origin) or transaction(flow))
        if flow.step == FlowStep.ENROLL_PASSWORD:
            return self._set_password(flow, user, passcode, origin, client_ip)
        if flow.step == FlowStep.CHALLENGE_PASSWORD:
            return self._check_password(flow, user, passcode, origin, client_ip)
        return expired()

    def resend(self, handle: Any, origin: str, client_ip: str = LOOPBACK) -> IdxReply:
        flow, user = self._flow_and_user(handle)
        if flow is None or user is None or flow.step not in (FlowStep.ENROLL_EMAIL, FlowStep.CHALLENGE_EMAIL):
            return expired()
        with self.store.transaction():  # the email, its event and the new code together, or none of them
            sent = self.email.send(flow, user, origin, client_ip)
            if sent is None:
                return too_many_requests(flow)
            carried = {"enrolled": flow.data["enrolled"]} if "enrolled" in flow.data else {}
            self.store.set_flow_step(flow.state_handle, flow.step, data={**sent, **carried})
        return IdxReply(200, email_doc(self._reload(flow), user, origin, remaining=self._remaining(flow)))

    def poll(self, handle: Any, origin: str) -> IdxReply:
        """The widget polls while it shows the email view: the next step once the magic link was opened. A poll
        also says the tab is still there (`magic_link`)."""
        flow = self.store.flow(handle) if isinstance(handle, str) and handle else None
        if flow is None:
            return expired()
        if flow.step in (FlowStep.ENROLL_EMAIL, FlowStep.CHALLENGE_EMAIL):
            self.store.set_flow_step(flow.state_handle, flow.step, data={**flow.data, "seen": time.time()})
        doc = self.current_doc(flow, origin)
        return IdxReply(200, doc) if doc is not None else expired()

    def magic_link(self, token: str, device: str) -> str | None:
        """Open the email's link in a browser (`device`, its device cookie); returns the state token that tab's
        widget starts from, None for an unknown, used or expired link. Another browser gets the code for the
        original one and verifies nothing; the same browser verifies the address, and its tab says to return to
        the original tab while that one polls (the original tab moves on), or takes the transaction over when no
        tab polls any more (the original one, back, is told so)."""
        handle = self.store.token_user("emailMagicLink", token) if token else None
        flow, user = self._flow_and_user(handle)
        if flow is None or user is None or flow.step not in (FlowStep.ENROLL_EMAIL, FlowStep.CHALLENGE_EMAIL):
            return None
        sign_up = flow.step == FlowStep.ENROLL_EMAIL
        if not device or self.store.flow_device(flow.state_handle) != device:
            return self._terminal_flow(
                user, lambda f: links.otp_only(f, user, str(flow.data.get("otp")), sign_up=sign_up)
            )
        with self.store.transaction():  # the link used up only with the address verified and the tabs moved on
            self.store.redeem_token("emailMagicLink", token)
            self._email_verified(flow, user, LOOPBACK)
            if time.time() - float(flow.data.get("seen", 0)) <= links.ALIVE_SECONDS:
                return self._terminal_flow(user, lambda f: links.return_to_original_tab(f, user))
            moved = self._reload(flow)
            handle = self.store.new_flow(self.settings.flow_ttl_seconds)
            self.store.set_flow_step(handle, moved.step, user_id=user.id, data=moved.data)
            self.store.bind_device(handle, device)
            self.store.set_flow_step(flow.state_handle, FlowStep.TERMINAL, data={"doc": links.transferred(flow)})
        return handle

    def _terminal_flow(self, user: User, build: Callable[[IdxFlow], dict[str, Any]]) -> str:
        handle = self.store.new_flow(self.settings.flow_ttl_seconds)
        self.store.set_flow_step(handle, FlowStep.TERMINAL, user_id=user.id)
        terminal = self.store.flow(handle)
        assert terminal is not None
        self.store.set_flow_step(handle, FlowStep.TERMINAL, data={"doc": build(terminal)})
        return handle

    # -- setting up authenticators after sign-up: /idp/idx/credential/enroll ----------------------------------
    def enroll_authenticator(self, handle: Any, authenticator: Any, origin: str, client_ip: str = LOOPBACK) -> IdxReply:
        """The authenticator picked from `select-authenticator-enroll` (or the email's "Send me an email"): its
        enroll step, the email's code sent."""
        flow, user = self._flow_and_user(handle)
        enrolling = (FlowStep.SELECT_ENROLL, FlowStep.ENROLL_EMAIL, FlowStep.ENROLL_PASSWORD)
        if flow is None or user is None or flow.step not in enrolling:
            return expired()
        chosen = BY_ID.get(str(authenticator.get("id"))) if isinstance(authenticator, dict) else None
        if chosen is None or chosen not in offered(self._remaining(flow)):
            doc = self.current_doc(flow, origin) or transaction(flow)
            doc["messages"] = messages(message(NOT_OFFERED))
            return IdxReply(400, doc)
        if chosen == EMAIL:
            with self.store.transaction():
                sent = self.email.send(flow, user, origin, client_ip)
                if sent is None:
                    return too_many_requests(flow)
                data = {**sent, "enrolled": flow.data.get("enrolled", [])}
                self.store.set_flow_step(flow.state_handle, FlowStep.ENROLL_EMAIL, data=data)
        else:
            self.store.set_flow_step(flow.state_handle, FlowStep.ENROLL_PASSWORD, data=self._carried(flow))
        return IdxReply(200, self.current_doc(self._reload(flow), origin) or transaction(flow))

    # -- sign-in ---------------------------------------------------------------------------------------------
    def identify(self, flow: IdxFlow, identifier: Any, identify_doc: dict[str, Any]) -> IdxReply:
        """The identify form's username: the password challenge for a user who has one, else Okta's texts."""
        login = identifier.strip() if isinstance(identifier, str) else ""
        if not login:
            # The widget's fixture error-identify-multiple-errors.json: a form-level `error.username.required`.
            return IdxReply(400, {**identify_doc, "messages": messages(USERNAME_REQUIRED)})
        user = self.store.user(login)
        if user is None or user.id == login:  # by login only, never by id
            text = f"There is no account with the Username {login[:100]}."
            return IdxReply(400, {**identify_doc, "messages": messages(message(text, "INFO", "idx.unknown.user"))})
        if user.status == UserStatus.LOCKED_OUT:
            return IdxReply(400, {**identify_doc, "messages": messages(LOCKED_OUT)})
        if user.status != UserStatus.ACTIVE or not self.store.password_hash(user.id):
            return IdxReply(400, {**identify_doc, "messages": messages(AUTHENTICATION_FAILED)})
        self.store.set_flow_step(flow.state_handle, FlowStep.CHALLENGE_PASSWORD, user_id=user.id, data={})
        origin = identify_doc["remediation"]["value"][0]["href"].rsplit("/idp/idx/", 1)[0]
        return IdxReply(200, challenge_doc(self._reload(flow), user, origin))

    # -- progressive profile ---------------------------------------------------------------------------------
    async def update_profile(self, handle: Any, user_profile: Any, origin: str, client_ip: str) -> IdxReply:
        flow, user = self._flow_and_user(handle)
        if flow is None or user is None or flow.step not in (FlowStep.PROFILE_UPDATE, FlowStep.UPDATING):
            return expired()
        if not self.store.claim_flow_step(flow.state_handle, FlowStep.PROFILE_UPDATE, FlowStep.UPDATING):
            doc = self._profile_update_doc(flow, user, origin)
            doc["messages"] = messages(message("This profile update is already being processed."))
            return IdxReply(409, doc)
        try:
            return await self._update_profile(flow, user, user_profile, origin, client_ip)
        finally:
            if (self.store.flow(flow.state_handle) or flow).step == FlowStep.UPDATING:
                self.store.set_flow_step(flow.state_handle, FlowStep.PROFILE_UPDATE)

    async def _update_profile(
        self, flow: IdxFlow, user: User, user_profile: Any, origin: str, client_ip: str
    ) -> IdxReply:
        asked = {a.name: a for a in self.missing_attributes(user)}
        given = user_profile if isinstance(user_profile, dict) else {}
        update = {
            name: value.strip() if isinstance(value, str) else value for name, value in given.items() if name in asked
        }
        errors = check_fields(asked.values(), self._schema(), update)
        if errors:
            return IdxReply(400, self._profile_update_doc(flow, user, origin, errors, update))
        update = {name: value for name, value in update.items() if value not in (None, "")}
        policy = self.store.policy()
        hook = self.store.inline_hook(policy.inline_hook_id) if policy.inline_hook_id else None
        if hook is not None and hook.active and update:
            request = progressive_profile_request(
                user.profile,
                update,
                user_id=user.id,
                source=hook.id,
                ip_address=client_ip,
                password_changed=user.password_changed,
            )
            verdict = (await self.hooks.call_as(REGISTRATION, hook, request, client_ip)).verdict
            if not verdict.allowed:
                field_errors: dict[str, list[dict[str, Any]]] = {}
                form_messages = []
                for shown in verdict.messages:
                    if shown.field in asked:
                        field_errors.setdefault(shown.field, []).append(message(shown.text))
                    else:
                        form_messages.append(message(shown.text))
                doc = self._profile_update_doc(flow, user, origin, field_errors, update)
                if form_messages:
                    doc["messages"] = messages(*form_messages)
                return IdxReply(400, doc)
            update = {**update, **verdict.profile_updates}
        with self.store.transaction():  # the new profile, its event and the signed-in end together
            updated = self.store.update_profile(user.id, update) or user
            self.store.log_event(
                user_lifecycle(
                    updated, "user.account.update_profile", "Update user profile for Okta", client_ip, by_user=True
                )
            )
            return self._success(flow, updated, origin, client_ip)

    def missing_attributes(self, user: User) -> list[ProfileAttribute]:
        """The policy's attributes a signed-in user has not given, asked when the rule's progressive profiling is on
        ("Users can be prompted to provide input for newly required attributes", spec
        ProfileEnrollmentPolicyRuleAction.progressiveProfilingAction). Optional ones are asked too, with a way to
        skip them (okta-signin-widget enroll-profile-update-all-optional-params.json; okta-developer-docs
        concepts/self-service-registration: "If you add other UD attributes as optional, then users are prompted to
        provide that information when they sign in again")."""
        policy = self.store.policy()
        if policy.rule.progressive_profiling != ProgressiveProfiling.ENABLED:
            return []
        return [a for a in policy.profile_attributes if user.profile.get(a.name) in (None, "")]

    def skip(self, handle: Any, origin: str) -> IdxReply:
        """`/idp/idx/skip`: leave the optional attributes of the progressive profile form blank this time."""
        flow, user = self._flow_and_user(handle)
        if flow is None or user is None:
            return expired()
        if flow.step != FlowStep.PROFILE_UPDATE or not _skippable(self.missing_attributes(user)):
            doc = self.current_doc(flow, origin) or transaction(flow)
            doc["messages"] = messages(message(SKIP_NOT_OFFERED))
            return IdxReply(400, doc)
        return self._success(flow, user, origin)

    # -- the steps -------------------------------------------------------------------------------------------
    def _check_code(self, flow: IdxFlow, user: User, passcode: str, origin: str, client_ip: str) -> IdxReply:
        checked = self.email.check(flow, user, passcode, client_ip)
        if checked == Checked.LIMITED:
            return too_many_requests(flow)
        if checked == Checked.INVALID:
            return IdxReply(400, email_doc(flow, user, origin, [INVALID_CODE], remaining=self._remaining(flow)))
        with self.store.transaction():  # verified, its events and the next step together
            self._email_verified(flow, user, client_ip)
            if flow.step == FlowStep.CHALLENGE_EMAIL:
                return self._signed_in(flow, user, origin, client_ip)
            return IdxReply(200, self.current_doc(self._reload(flow), origin) or transaction(flow))

    def _email_verified(self, flow: IdxFlow, user: User, client_ip: str) -> None:
        """The code or the link proved the address: a sign-up's email is set up and the list of what is left comes
        next; a sign-in has every factor. The events and the step together."""
        email = (EMAIL.id, EMAIL.display_name)
        with self.store.transaction():
            self.store.log_event(journey_event("system.email.challenge_factor_redeemed", user, client_ip))
            if flow.step == FlowStep.CHALLENGE_EMAIL:
                self.store.log_event(
                    journey_event("user.authentication.auth_via_mfa", user, client_ip, authenticator=email)
                )
                self.store.set_flow_step(flow.state_handle, FlowStep.VERIFIED, data={})
                return
            self.store.log_event(journey_event("user.mfa.factor.activate", user, client_ip, authenticator=email))
            enrolled = [*flow.data.get("enrolled", []), EMAIL.id]
            self.store.set_flow_step(flow.state_handle, FlowStep.SELECT_ENROLL, data={"enrolled": enrolled})

    def _set_password(self, flow: IdxFlow, user: User, password: str, origin: str, client_ip: str) -> IdxReply:
        if not password or policy_problems(password, user.profile):
            # Okta lists every rule of the policy, not only the unmet ones (passwords.requirements_not_met).
            doc = password_doc(flow, user, origin, [requirements_not_met()], remaining=self._remaining(flow))
            return IdxReply(400, doc)
        hashed = hash_password(password)  # slow on purpose: outside the transaction, which holds the store's lock
        # The password, its event, the step, the activation and the signed-in end: all kept, or none (the same
        # password can then be sent again).
        with self.store.transaction():
            self.store.set_password(user.id, hashed)
            password_target = (PASSWORD.id, PASSWORD.display_name)
            event = journey_event("user.mfa.factor.activate", user, client_ip, authenticator=password_target)
            self.store.log_event(event)
            enrolled = [*flow.data.get("enrolled", []), PASSWORD.id]
            self.store.set_flow_step(flow.state_handle, FlowStep.SELECT_ENROLL, data={"enrolled": enrolled})
            flow = self._reload(flow)
            if self._remaining(flow):
                return IdxReply(200, self._select_doc(flow, user, origin))
            if user.status != UserStatus.ACTIVE:
                user = self.store.set_user_status(user.id, UserStatus.ACTIVE) or user
                self.store.log_event(
                    user_lifecycle(user, "user.lifecycle.activate", "Activate Okta user", client_ip, by_user=True)
                )
            return self._success(flow, user, origin, client_ip)

    def _check_password(self, flow: IdxFlow, user: User, password: str, origin: str, client_ip: str) -> IdxReply:
        if user.status == UserStatus.LOCKED_OUT:
            return IdxReply(400, challenge_doc(flow, user, origin, [LOCKED_OUT]))
        password_target = (PASSWORD.id, PASSWORD.display_name)
        right = verify_password(password, self.store.password_hash(user.id))  # slow: outside the transaction
        # The attempt's events, the failure count (and the lock), or the next step: one change, kept whole.
        with self.store.transaction():
            for event_type in ("user.authentication.verify", "user.authentication.auth_via_mfa"):
                event = journey_event(event_type, user, client_ip, authenticator=password_target, failed=not right)
                self.store.log_event(event)
            if not right:
                return self._wrong_password(flow, user, origin, client_ip)
            self.store.count_failed_login(user.id, reset=True)
            if not self.settings.sign_in_email_challenge:
                return self._signed_in(flow, user, origin, client_ip)
            sent = self.email.send(flow, user, origin, client_ip)
            if sent is None:  # the password stays verified; the email can be asked for again once the minute ends
                return too_many_requests(flow)
            self.store.set_flow_step(flow.state_handle, FlowStep.CHALLENGE_EMAIL, data=sent)
        return IdxReply(200, email_doc(self._reload(flow), user, origin))

    def _wrong_password(self, flow: IdxFlow, user: User, origin: str, client_ip: str) -> IdxReply:
        self.store.log_event(journey_event("user.session.start", user, client_ip, failed=True))
        if self.store.count_failed_login(user.id) >= LOCKOUT_ATTEMPTS:
            locked = self.store.set_user_status(user.id, UserStatus.LOCKED_OUT) or user
            lock = user_lifecycle(locked, "user.account.lock", "Max sign in attempts exceeded", client_ip)
            self.store.log_event(lock)
            return IdxReply(400, challenge_doc(flow, locked, origin, [LOCKED_OUT]))
        # A form-level message, the password field unmarked (error-authenticator-verify-password.json).
        doc = challenge_doc(flow, user, origin)
        doc["messages"] = messages(INCORRECT_PASSWORD)
        return IdxReply(400, doc)

    def _signed_in(self, flow: IdxFlow, user: User, origin: str, client_ip: str = LOOPBACK) -> IdxReply:
        """Every factor given: progressive profile first when the policy asks for attributes, else the end."""
        if self.missing_attributes(user):
            self.store.set_flow_step(flow.state_handle, FlowStep.PROFILE_UPDATE, data={})
            return IdxReply(200, self._profile_update_doc(self._reload(flow), user, origin))
        return self._success(flow, user, origin, client_ip)

    def _success(self, flow: IdxFlow, user: User, origin: str, client_ip: str = LOOPBACK) -> IdxReply:
        """The signed-in end: `success-redirect` to `/login/token/redirect?stateToken=...`, which sets the session
        cookie and goes on to the app (the widget's `playground/mocks/config/responseConfig.js`: the success href "is
        in reality a redirect (i.e. /login/token/redirect?stateToken={{stateToken}})", as its fixture
        terminal-okta-verify-enrollment-android-device.json has it). Okta's stateToken there is the state handle;
        the mock's is a one-time token of its own, as the finished transaction is gone. `user` as in success.json."""
        with self.store.transaction():  # the transaction ends only with its event and a token to sign in with
            self.store.expire_flow(flow.state_handle)
            self.store.log_event(journey_event("user.session.start", user, client_ip))
            session_token = self.store.new_token("sessionToken", user.id)
            # A sign-in for an app's /v1/authorize: the waiting request follows the token to /login/token/redirect.
            self.store.hand_authorize_request_over(flow.state_handle, session_token)
        doc = {
            **transaction(flow),
            "success": {
                "name": "success-redirect",
                "href": f"{origin}/login/token/redirect?stateToken={session_token}",
            },
            "user": {"type": "object", "value": {"id": user.id, "identifier": user.login}},
        }
        return IdxReply(200, doc)

    # -- documents -------------------------------------------------------------------------------------------
    def _select_doc(self, flow: IdxFlow, user: User, origin: str) -> dict[str, Any]:
        enrolled = [BY_ID[i] for i in flow.data.get("enrolled", []) if i in BY_ID]
        return select_doc(flow, user, origin, self._remaining(flow), enrolled)

    def _profile_update_doc(
        self,
        flow: IdxFlow,
        user: User,
        origin: str,
        errors: dict[str, list[dict[str, Any]]] | None = None,
        submitted: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        handle = flow.state_handle
        form = form_fields(self.missing_attributes(user), self._schema(), submitted, errors)
        update = remediation(
            "profile-update",
            origin,
            "/idp/idx/enroll/update",
            [{"name": "userProfile", "form": {"value": form}}],
            handle,
        )
        offered = [update]
        if _skippable(self.missing_attributes(user)):
            offered.append(remediation("skip", origin, "/idp/idx/skip", [], handle))
        return {
            **transaction(flow),
            "remediation": {"type": "array", "value": offered},
            "user": {"type": "object", "value": {"id": user.id, "identifier": user.login}},
            "cancel": cancel(origin, handle),
        }

    # -- internals -------------------------------------------------------------------------------------------
    def _flow_and_user(self, handle: Any) -> tuple[IdxFlow | None, User | None]:
        flow = self.store.flow(handle) if isinstance(handle, str) and handle else None
        user = self.store.user(flow.user_id) if flow and flow.user_id else None
        return flow, user

    def _schema(self) -> dict[str, SchemaAttribute]:
        return {a.name: a for a in self.schema.attributes()}

    def _reload(self, flow: IdxFlow) -> IdxFlow:
        return self.store.flow(flow.state_handle) or flow

    def _remaining(self, flow: IdxFlow) -> list[Authenticator]:
        """What the new user of a sign-up still has to set up (none for a sign-in)."""
        if "enrolled" not in flow.data:
            return []
        return [a for a in to_enroll(self.store.policy().rule) if a.id not in flow.data["enrolled"]]

    def _carried(self, flow: IdxFlow) -> dict[str, Any]:
        return {"enrolled": flow.data.get("enrolled", [])}


def _skippable(asked: list[ProfileAttribute]) -> bool:
    """The progressive profile form can be skipped when everything it asks is optional."""
    return bool(asked) and not any(a.required for a in asked)
