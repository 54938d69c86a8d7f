"""Typed models of Okta's registration inline hook contract (request and response).

Field names follow Okta's JSON exactly, so the models double as JSON Schema for hooks written in other
languages (`mock-okta schema request|response`). They describe what Okta sends and what a well-formed answer
looks like; deciding what Okta *does* with a sloppy answer is `verdict`'s job, which walks the raw JSON so it
can name every problem instead of stopping at the first.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ...hook.okta_objects import ContextUser, InlineHookRequestObject, OktaModel
from ...hook.registry import ContractError as ContractError  # raised by validate_request

EVENT_TYPE = "com.okta.user.pre-registration"
SSR = "self.service.registration"
PROGRESSIVE_PROFILE = "progressive.profile"

ACTION_UPDATE = "com.okta.action.update"
PROFILE_UPDATE = "com.okta.user.profile.update"
PROGRESSIVE_PROFILE_UPDATE = "com.okta.user.progressive.profile.update"
COMMAND_TYPES = (ACTION_UPDATE, PROFILE_UPDATE, PROGRESSIVE_PROFILE_UPDATE)


# The user profile's base attributes, which every org's schema has (a real org's answer to
# GET /api/v1/meta/schemas/user/default: okta-sdk-python `tests/integration/cassettes/test_user_schema_it/
# TestUserSchemaResource.test_get_user_schema.yaml`). A profile update naming any other attribute is an invalid
# response unless the org's schema has it as a custom attribute ("the target attributes must already exist in the
# user schema", registration hook reference): `verify`, `fire` and the fixtures judge against these unless given the
# org's schema.
BASE_PROFILE_ATTRIBUTES = frozenset(
    {
        "login", "firstName", "lastName", "middleName", "honorificPrefix", "honorificSuffix", "email", "title",
        "displayName", "nickName", "profileUrl", "secondEmail", "mobilePhone", "primaryPhone", "streetAddress",
        "city", "state", "zipCode", "countryCode", "postalAddress", "preferredLanguage", "locale", "timezone",
        "userType", "employeeNumber", "costCenter", "organization", "division", "department", "managerId", "manager",
    }
)  # fmt: skip


def schema_attributes(document: Any) -> frozenset[str]:
    """The attribute names of a user schema as Okta's API returns it (`definitions.base.properties` and
    `definitions.custom.properties`); ValueError when `document` is not one."""
    definitions = document.get("definitions") if isinstance(document, dict) else None
    if not isinstance(definitions, dict):
        raise ValueError("not a user schema: expected {definitions: {base: ..., custom: ...}} as Okta returns it")
    names: set[str] = set()
    for part in ("base", "custom"):
        properties = (definitions.get(part) or {}).get("properties") if isinstance(definitions.get(part), dict) else {}
        if not isinstance(properties, dict):
            raise ValueError(f"not a user schema: definitions.{part}.properties must be an object")
        names.update(name for name in properties if isinstance(name, str))
    return frozenset(names | BASE_PROFILE_ATTRIBUTES)


class RegistrationContext(OktaModel):
    request: InlineHookRequestObject


class ProgressiveProfileContext(RegistrationContext):
    user: ContextUser


class SelfServiceRegistrationData(OktaModel):
    context: RegistrationContext
    userProfile: dict[str, Any]
    action: Literal["ALLOW"] | None = "ALLOW"


class ProgressiveProfileData(OktaModel):
    context: ProgressiveProfileContext
    userProfileUpdate: dict[str, Any]
    action: Literal["ALLOW"] | None = "ALLOW"


class _RequestEnvelope(OktaModel):
    eventId: str
    eventTime: str
    eventType: Literal["com.okta.user.pre-registration"]
    # REGREF sends strings ("1.0", "0.1"); the spec's own request examples carry the numbers 1 and 0.1.
    eventTypeVersion: str | float
    contentType: Literal["application/json"]
    cloudEventVersion: str | float
    source: str


class SelfServiceRegistrationRequest(_RequestEnvelope):
    """Identity Engine sign-up (`requestType` self.service.registration)."""

    requestType: Literal["self.service.registration"]
    data: SelfServiceRegistrationData


class ProgressiveProfileRequest(_RequestEnvelope):
    """Identity Engine progressive profile (`requestType` progressive.profile)."""

    requestType: Literal["progressive.profile"]
    data: ProgressiveProfileData


class ClassicRegistrationRequest(_RequestEnvelope):
    """Classic Engine sign-up: no `requestType`, and `data.action` may be null."""

    data: SelfServiceRegistrationData


RegistrationHookRequest = SelfServiceRegistrationRequest | ProgressiveProfileRequest | ClassicRegistrationRequest


class RegistrationValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    registration: Literal["ALLOW", "DENY"]


class ActionUpdateCommand(BaseModel):
    type: Literal["com.okta.action.update"]
    value: RegistrationValue


class ProfileUpdateCommand(BaseModel):
    """Self-service registration only: sets user profile attributes (they must exist in the schema)."""

    type: Literal["com.okta.user.profile.update"]
    value: dict[str, Any]


class ProgressiveProfileUpdateCommand(BaseModel):
    """Progressive profile only."""

    type: Literal["com.okta.user.progressive.profile.update"]
    value: dict[str, Any]


Command = Annotated[
    ActionUpdateCommand | ProfileUpdateCommand | ProgressiveProfileUpdateCommand,
    Field(discriminator="type"),
]


class ErrorCause(BaseModel):
    errorSummary: str
    reason: str | None = None
    locationType: Literal["body", "header", "url", "query"] | None = None
    location: str | None = Field(default=None, description="JSON path such as data.userProfile.email")
    domain: str | None = None


class HookError(BaseModel):
    errorSummary: str | None = None
    errorCauses: list[ErrorCause] | None = None


class RegistrationHookResponse(BaseModel):
    """What a hook answers with status 200 (204 with no body means: allow, no changes)."""

    commands: list[Command] = Field(default_factory=list)
    error: HookError | None = None
    debugContext: dict[str, Any] | None = None


request_adapter: TypeAdapter[RegistrationHookRequest] = TypeAdapter(RegistrationHookRequest)


RequestModel = type[SelfServiceRegistrationRequest] | type[ProgressiveProfileRequest] | type[ClassicRegistrationRequest]
_REQUEST_MODELS: dict[str, RequestModel] = {
    SSR: SelfServiceRegistrationRequest,
    PROGRESSIVE_PROFILE: ProgressiveProfileRequest,
}


def validate_request(
    body: Any,
) -> SelfServiceRegistrationRequest | ProgressiveProfileRequest | ClassicRegistrationRequest:
    """Validate a decoded request against the model its `requestType` names.

    Choosing the model first (instead of trying a union) keeps the error about the one shape that was meant.
    """
    if not isinstance(body, dict):
        raise ContractError("$", "expected a JSON object")
    request_type = body.get("requestType")
    if request_type is None:
        model: RequestModel = ClassicRegistrationRequest
    elif isinstance(request_type, str) and request_type in _REQUEST_MODELS:
        model = _REQUEST_MODELS[request_type]
    else:
        raise ContractError("requestType", f"expected {SSR!r} or {PROGRESSIVE_PROFILE!r}")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        path = ".".join(str(part) for part in first["loc"]) or "$"
        raise ContractError(path, first["msg"]) from None


def request_kind(request: dict[str, Any]) -> str:
    """`progressive.profile` or `self.service.registration` (Classic requests carry no requestType)."""
    return PROGRESSIVE_PROFILE if request.get("requestType") == PROGRESSIVE_PROFILE else SSR


def request_schema() -> dict[str, Any]:
    schema = request_adapter.json_schema()
    schema["title"] = "RegistrationInlineHookRequest"
    return schema
