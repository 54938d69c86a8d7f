"""The org's state as typed, immutable values: what the store keeps and the services hand around.

Names follow Okta's objects (InlineHook with its HTTP channel and authScheme, User, the profile enrollment
policy, LogEvent); the Okta JSON of each lives in `okta_json`, one function per resource.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..hooktypes.registration.contract import EVENT_TYPE

REGISTRATION_HOOK = EVENT_TYPE  # an inline hook's `type` is the event type it receives
HOOK_VERSION = "1.0.0"


class HookStatus(StrEnum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class UserStatus(StrEnum):
    """The statuses of Okta's user lifecycle (Users API, "User status")."""

    STAGED = "STAGED"
    PROVISIONED = "PROVISIONED"
    ACTIVE = "ACTIVE"
    RECOVERY = "RECOVERY"
    PASSWORD_EXPIRED = "PASSWORD_EXPIRED"
    LOCKED_OUT = "LOCKED_OUT"
    SUSPENDED = "SUSPENDED"
    DEPROVISIONED = "DEPROVISIONED"


class Access(StrEnum):
    """The profile enrollment rule's `access`: ALLOW shows "Sign up" and accepts sign-ups."""

    ALLOW = "ALLOW"
    DENY = "DENY"


class UnknownUserAction(StrEnum):
    """The rule's `unknownUserAction`: REGISTER is self-service registration on ("Sign up" offered), DENY off."""

    REGISTER = "REGISTER"
    DENY = "DENY"


class ProgressiveProfiling(StrEnum):
    ENABLED = "ENABLED"
    DISABLED = "DISABLED"


class FlowStep(StrEnum):
    """Where an IDX transaction stands: the sign-in form, the sign-up form, and the steps after them."""

    IDENTIFY = "IDENTIFY"
    ENROLL_PROFILE = "ENROLL_PROFILE"
    REGISTERING = "REGISTERING"  # the sign-up form was submitted and is being processed
    SELECT_ENROLL = "SELECT_ENROLL"  # a new user picks the next authenticator to set up ("Set up security methods")
    ENROLL_EMAIL = "ENROLL_EMAIL"  # a new user proves the email address: a code or the magic link
    ENROLL_PASSWORD = "ENROLL_PASSWORD"  # a new user sets a password
    CHALLENGE_PASSWORD = "CHALLENGE_PASSWORD"  # signing in: the identified user's password
    CHALLENGE_EMAIL = "CHALLENGE_EMAIL"  # signing in, when the policy asks for it: the email code or link
    VERIFIED = "VERIFIED"  # signing in: every factor given (the magic link's tab); the next poll ends it
    PROFILE_UPDATE = "PROFILE_UPDATE"  # progressive profile: attributes the policy now requires
    UPDATING = "UPDATING"  # the progressive profile form was submitted and is being processed
    TERMINAL = "TERMINAL"  # a terminal view only (`data["doc"]`): a magic link's tab, or the tab it took over from


@dataclass(frozen=True)
class HeaderAuthScheme:
    """authScheme type HEADER: Okta sends `key: value` with every call. `value` is write-only in Okta's API."""

    key: str
    value: str = field(repr=False)
    type: str = "HEADER"


@dataclass(frozen=True)
class ChannelHeader:
    key: str
    value: str


@dataclass(frozen=True)
class OAuthConfig:
    """Channel type OAUTH (spec `InlineHookOAuthClientSecretConfig`, `InlineHookOAuthPrivateKeyJwtConfig`): Okta
    gets an access token from `token_url` and sends it as a Bearer token. `client_secret` is write-only."""

    auth_type: str
    client_id: str
    token_url: str
    client_secret: str | None = field(default=None, repr=False)
    hook_key_id: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class HttpChannel:
    """A hook's channel: HTTP with an optional authScheme header, or (with `oauth`) OAUTH."""

    uri: str
    headers: tuple[ChannelHeader, ...] = ()
    auth_scheme: HeaderAuthScheme | None = None
    method: str = "POST"
    type: str = "HTTP"
    version: str = HOOK_VERSION
    oauth: OAuthConfig | None = None


@dataclass(frozen=True)
class HookKey:
    """A key pair of `/api/v1/hook-keys`: Okta keeps the private half and signs OAuth client assertions
    (private_key_jwt) with it; `key_id` (the public key's `kid`) is what the authorization server looks up."""

    id: str
    key_id: str
    name: str
    created: str
    last_updated: str
    public_jwk: dict[str, Any]
    private_pem: str = field(repr=False)


@dataclass(frozen=True)
class InlineHook:
    id: str
    name: str
    type: str
    status: HookStatus
    channel: HttpChannel
    created: str
    last_updated: str
    version: str = HOOK_VERSION

    @property
    def active(self) -> bool:
        return self.status == HookStatus.ACTIVE


@dataclass(frozen=True)
class ProfileAttribute:
    """One field of the sign-up form (the rule's `profileAttributes`)."""

    name: str
    label: str
    required: bool


@dataclass(frozen=True)
class EnrollmentRule:
    """The catch-all rule's `actions.profileEnrollment` fields besides the form and the hook, kept as Okta keeps
    them (spec `ProfileEnrollmentPolicyRuleAction`)."""

    unknown_user_action: UnknownUserAction = UnknownUserAction.REGISTER
    email_verification: bool = True
    target_group_ids: tuple[str, ...] = ()
    progressive_profiling: ProgressiveProfiling = ProgressiveProfiling.DISABLED
    # "Value created by the backend. If present, all policy updates must include this attribute/value."
    ui_schema_id: str = ""
    allowed_identifiers: tuple[str, ...] = ("login",)
    enroll_authenticator_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProfileEnrollmentPolicy:
    """The org's one profile enrollment policy and its catch-all rule."""

    id: str
    name: str
    description: str | None
    profile_attributes: tuple[ProfileAttribute, ...]
    inline_hook_id: str | None
    access: Access
    # PROVISIONED: the account exists but waits for the email verification the terminal view asks for.
    target_status: UserStatus
    created: str
    last_updated: str
    rule: EnrollmentRule = field(default_factory=EnrollmentRule)

    def attribute(self, name: str) -> ProfileAttribute | None:
        return next((a for a in self.profile_attributes if a.name == name), None)

    @property
    def registration_open(self) -> bool:
        """Whether the sign-in page offers "Sign up" and sign-ups are accepted."""
        return self.access == Access.ALLOW and self.rule.unknown_user_action == UnknownUserAction.REGISTER


@dataclass(frozen=True)
class User:
    id: str
    status: UserStatus
    profile: dict[str, Any]
    created: str
    activated: str | None
    status_changed: str | None
    last_updated: str
    # When the password was last set; None while the user has none (Users API `passwordChanged`, nullable).
    password_changed: str | None = None

    @property
    def login(self) -> str:
        return str(self.profile["login"])

    @property
    def display_name(self) -> str:
        names = [str(self.profile[k]) for k in ("firstName", "lastName") if self.profile.get(k)]
        return " ".join(names) or self.login


@dataclass(frozen=True)
class Group:
    """An Okta group: `OKTA_GROUP` made through the API, or the `BUILT_IN` Everyone every user belongs to."""

    id: str
    name: str
    description: str | None
    type: str
    created: str
    last_updated: str
    last_membership_updated: str


@dataclass(frozen=True)
class SchemaAttribute:
    """One property of the user profile schema (`definitions.base` or `definitions.custom`)."""

    name: str
    title: str
    type: str = "string"
    required: bool = False
    custom: bool = False
    min_length: int | None = None
    max_length: int | None = None
    description: str | None = None


class ClassicActivation(StrEnum):
    """Classic self-service registration's activation requirement (Directory > Self-Service Registration >
    "Activation requirements"): the user clicks the activation email's link, or is active at once."""

    EMAIL = "EMAIL"
    NONE = "NONE"


@dataclass(frozen=True)
class RegistrationField:
    """One field of the Classic registration form: a user schema attribute, or `password`."""

    name: str
    required: bool = True


@dataclass(frozen=True)
class SelfServiceRegistration:
    """A Classic Engine org's self-service registration setting (one per org; Okta has no public API for it).
    `policy_id` is the registration policy id the widget posts to; `fields` are in form order."""

    policy_id: str
    enabled: bool
    inline_hook_id: str | None
    fields: tuple[RegistrationField, ...]
    default_group_id: str | None
    activation: ClassicActivation
    post_registration_redirect: str | None
    last_update: int  # milliseconds since the epoch, the form's `lastUpdate`


@dataclass(frozen=True)
class MailMessage:
    """An email the org "sent": what the mailbox (`/_mock/mailbox`) shows. `link` is the action link, if any."""

    id: int
    to: str
    subject: str
    text: str
    link: str | None
    sent: str
    template: str
    code: str | None = None  # a one-time code the message carries (the email authenticator's)


@dataclass(frozen=True)
class IdxFlow:
    """One IDX transaction, known to the widget by its state handle; `user_id` once the user is known, `data`
    the step's own state (the email code's digest and expiry; its tries are counted per user, `email_challenge`)."""

    state_handle: str
    step: FlowStep
    expires_at: str
    user_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HookCall:
    """A journal entry: one call of an inline hook. `record` is the HookRun's JSON (secret redacted)."""

    id: int
    created: str
    inline_hook_id: str | None
    registration: str
    failure: str | None
    total_ms: float
    record: dict[str, Any]

    @property
    def request_body(self) -> dict[str, Any]:
        body = self.record["request"]["body"]
        return body if isinstance(body, dict) else {}


@dataclass(frozen=True)
class LogTarget:
    id: str
    type: str
    alternate_id: str
    display_name: str


@dataclass(frozen=True)
class LogEvent:
    """A System Log event, with the fields of Okta's LogEvent the mock fills in."""

    uuid: str
    published: str
    event_type: str
    display_message: str
    outcome: str
    reason: str | None
    targets: tuple[LogTarget, ...]
    client_ip: str
    transaction_id: str
    debug_data: dict[str, Any] = field(default_factory=dict)
    # Who did it; None is the org itself (API calls and hook calls). A sign-up's user.lifecycle.create is done by
    # the registering user.
    actor: LogTarget | None = None

    @property
    def severity(self) -> str:
        return "INFO" if self.outcome == "SUCCESS" else "WARN"
