"""The `userProfile` form of the Identity Engine's sign-up (`enroll-profile`) and progressive profile
(`profile-update`) steps: each field as Okta lists it, with the user schema's limits, and the checks Okta makes on
the submitted values before any registration hook sees them.

Sources (okta-signin-widget): `src/v3/src/mocks/response/idp/idx/enroll/default.json` (firstName and lastName carry
`minLength: 1, maxLength: 50`, the base schema's limits; string fields carry no `type`);
`playground/mocks/data/idp/idx/error-new-signup-email.json` (a malformed email: two messages under the field,
`registration.error.invalidLoginEmail` and `registration.error.doesNotMatchPattern`, the field's label as the
parameter); `packages/@okta/i18n/src/properties/login.properties` for the texts of the keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .ion import message, messages
from .models import ProfileAttribute, SchemaAttribute
from .user_schema import BASE_FORMATS, EMAIL

BLANK = message("This field cannot be left blank", key="model.validation.field.blank")
NOT_TEXT_TEXT = "This field must be text."
# No IDX capture shows Okta's server text for a value outside the schema's limits; these are the widget's own texts
# and keys for the same check (its Gen3 `src/v3/src/transformer/field/transform.ts`, login.properties).
TOO_LONG = message(
    "This field cannot exceed the maximum allowed characters", key="model.validation.field.string.maxLength"
)
TOO_SHORT = message(
    "This field cannot be less than the minimum required characters", key="model.validation.field.string.minLength"
)

FieldErrors = dict[str, list[dict[str, Any]]]


def not_email(label: str) -> list[dict[str, Any]]:
    """Okta's two messages for a malformed address, in its order (error-new-signup-email.json)."""
    return [
        message(
            f"'{label}' must be in the form of an email address",
            key="registration.error.invalidLoginEmail",
            params=[label],
        ),
        message(
            f"Provided value for property '{label}' does not match required pattern",
            key="registration.error.doesNotMatchPattern",
            params=[label],
        ),
    ]


def form_fields(
    attributes: Iterable[ProfileAttribute],
    schema: dict[str, SchemaAttribute],
    submitted: dict[str, Any] | None = None,
    errors: FieldErrors | None = None,
) -> list[dict[str, Any]]:
    """The form's fields: name, label, required, the schema's length limits when it has them; the value given and
    its errors after a refused submit."""
    fields = []
    for attribute in attributes:
        entry: dict[str, Any] = {"name": attribute.name, "label": attribute.label, "required": attribute.required}
        known = schema.get(attribute.name)
        if known is not None and known.type == "string":
            if known.min_length is not None:
                entry["minLength"] = known.min_length
            if known.max_length is not None:
                entry["maxLength"] = known.max_length
        if submitted and isinstance(submitted.get(attribute.name), str) and submitted[attribute.name] != "":
            entry["value"] = submitted[attribute.name]
        if errors and attribute.name in errors:
            entry["messages"] = messages(*errors[attribute.name])
        fields.append(entry)
    return fields


def check_fields(
    attributes: Iterable[ProfileAttribute], schema: dict[str, SchemaAttribute], submitted: dict[str, Any]
) -> FieldErrors:
    """Okta's checks of a submitted form, every field at once: a value that is not text, a required one left blank,
    one outside the schema's lengths, an address that is not one. `submitted` holds trimmed values."""
    errors: FieldErrors = {}
    for attribute in attributes:
        value = submitted.get(attribute.name)
        if value is not None and not isinstance(value, str):
            errors[attribute.name] = [message(NOT_TEXT_TEXT)]
        elif value in (None, ""):
            if attribute.required:
                errors[attribute.name] = [BLANK]
        elif problem := _value_problems(attribute, schema.get(attribute.name), str(value)):
            errors[attribute.name] = problem
    return errors


def _value_problems(attribute: ProfileAttribute, known: SchemaAttribute | None, value: str) -> list[dict[str, Any]]:
    if known is not None and known.max_length is not None and len(value) > known.max_length:
        return [TOO_LONG]
    if known is not None and known.min_length and len(value) < known.min_length:
        return [TOO_SHORT]
    if BASE_FORMATS.get(attribute.name) == "email" and not EMAIL.match(value):
        return not_email(attribute.label)
    return []
