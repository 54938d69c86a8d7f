"""The user profile schema (`/api/v1/meta/schemas/user/default`): Okta's base attributes and the org's custom
ones. Sign-up keeps only attributes the schema has, and a registration hook can set only those (registration hook
reference: "the target attributes must already exist in the user schema").

The base attributes, their titles and limits are those a real org returns (okta-sdk-python
`tests/integration/cassettes/test_user_schema_it/TestUserSchemaResource.test_get_user_schema.yaml`).
"""

from __future__ import annotations

import re
from typing import Any

from .errors import ApiValidationError
from .models import SchemaAttribute
from .store import Store

BASE_ATTRIBUTES = (
    SchemaAttribute("login", "Username", required=True, min_length=5, max_length=100),
    SchemaAttribute("firstName", "First name", required=True, min_length=1, max_length=50),
    SchemaAttribute("lastName", "Last name", required=True, min_length=1, max_length=50),
    SchemaAttribute("middleName", "Middle name"),
    SchemaAttribute("honorificPrefix", "Honorific prefix"),
    SchemaAttribute("honorificSuffix", "Honorific suffix"),
    SchemaAttribute("email", "Primary email", required=True),
    SchemaAttribute("title", "Title"),
    SchemaAttribute("displayName", "Display name"),
    SchemaAttribute("nickName", "Nickname"),
    SchemaAttribute("profileUrl", "Profile Url"),
    SchemaAttribute("secondEmail", "Secondary email"),
    SchemaAttribute("mobilePhone", "Mobile phone", max_length=100),
    SchemaAttribute("primaryPhone", "Primary phone", max_length=100),
    SchemaAttribute("streetAddress", "Street address"),
    SchemaAttribute("city", "City"),
    SchemaAttribute("state", "State"),
    SchemaAttribute("zipCode", "Zip code"),
    SchemaAttribute("countryCode", "Country code"),
    SchemaAttribute("postalAddress", "Postal Address"),
    SchemaAttribute("preferredLanguage", "Preferred language"),
    SchemaAttribute("locale", "Locale"),
    SchemaAttribute("timezone", "Time zone"),
    SchemaAttribute("userType", "User type"),
    SchemaAttribute("employeeNumber", "Employee number"),
    SchemaAttribute("costCenter", "Cost center"),
    SchemaAttribute("organization", "Organization"),
    SchemaAttribute("division", "Division"),
    SchemaAttribute("department", "Department"),
    SchemaAttribute("managerId", "ManagerId"),
    SchemaAttribute("manager", "Manager"),
)
BASE_FORMATS = {
    "email": "email",
    "secondEmail": "email",
    "profileUrl": "uri",
    "countryCode": "country-code",
    "preferredLanguage": "language-code",
    "locale": "locale",
    "timezone": "timezone",
}
# What the mock takes for an address in an attribute of format `email`: something@domain.tld, no spaces. Okta's own
# rule is stricter in places; this is the part a sign-up form trips on ("not-an-email", "ann@", "ann@example").
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CUSTOM_TYPES = ("string", "boolean", "number", "integer", "array")
# Okta's variable names: a letter first, then letters, digits and underscores (Profile Editor "Variable name").
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")
MAX_CUSTOM = 100


class UserSchema:
    def __init__(self, store: Store) -> None:
        self.store = store

    def attributes(self) -> tuple[SchemaAttribute, ...]:
        return (*BASE_ATTRIBUTES, *self.store.custom_attributes())

    def names(self) -> frozenset[str]:
        return frozenset(a.name for a in self.attributes())

    def update(self, body: Any) -> None:
        """Add, change or (with a null definition) remove custom attributes: `definitions.custom.properties`,
        as Okta's "Update the user profile schema" takes them. Base attributes cannot be changed here."""
        definitions = body.get("definitions") if isinstance(body, dict) else None
        custom = definitions.get("custom") if isinstance(definitions, dict) else None
        properties = custom.get("properties") if isinstance(custom, dict) else None
        if not isinstance(properties, dict):
            raise ApiValidationError(["definitions.custom.properties: Required, an object of attributes"])
        required = custom.get("required") or [] if isinstance(custom, dict) else []
        causes: list[str] = []
        if not isinstance(required, list) or not all(isinstance(name, str) for name in required):
            causes.append("definitions.custom.required: Must be a list of attribute names")
            required = []
        base = {a.name for a in BASE_ATTRIBUTES}
        changes: list[SchemaAttribute | str] = []
        for name, definition in properties.items():
            where = f"definitions.custom.properties.{name}"
            if not NAME.match(name):
                causes.append(f"{where}: a variable name starts with a letter; letters, digits and _ only")
            elif name in base:
                causes.append(f"{where}: {name} is a base attribute; custom attributes need another name")
            elif definition is None:
                changes.append(name)
            elif not isinstance(definition, dict):
                causes.append(f"{where}: Must be an object with title and type")
            else:
                attribute = _custom(where, name, definition, name in required, causes)
                if attribute:
                    changes.append(attribute)
        added = {c.name for c in changes if isinstance(c, SchemaAttribute)}
        existing = {a.name for a in self.store.custom_attributes()}
        if len(existing | added) > MAX_CUSTOM:
            causes.append(f"definitions.custom.properties: at most {MAX_CUSTOM} custom attributes in this mock")
        if causes:
            raise ApiValidationError(causes)
        with self.store.transaction():  # every attribute of the request, or none
            for change in changes:
                if isinstance(change, str):
                    self.store.remove_custom_attribute(change)
                else:
                    self.store.save_custom_attribute(change)


def _custom(
    where: str, name: str, definition: dict[str, Any], required: bool, causes: list[str]
) -> SchemaAttribute | None:
    title, kind, description = definition.get("title"), definition.get("type", "string"), definition.get("description")
    problems = len(causes)
    if not isinstance(title, str) or not title.strip() or len(title) > 255:
        causes.append(f"{where}.title: Required, 1 to 255 characters")
    if kind not in CUSTOM_TYPES:
        causes.append(f"{where}.type: Must be one of {', '.join(CUSTOM_TYPES)}")
    if description is not None and not isinstance(description, str):
        causes.append(f"{where}.description: Must be a string")
    lengths = {}
    for key in ("minLength", "maxLength"):
        value = definition.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000):
            causes.append(f"{where}.{key}: Must be an integer from 0 to 10000")
        lengths[key] = value if isinstance(value, int) and not isinstance(value, bool) else None
    if len(causes) > problems or not isinstance(title, str):
        return None
    return SchemaAttribute(
        name,
        title.strip(),
        type=str(kind),
        required=required,
        custom=True,
        min_length=lengths["minLength"],
        max_length=lengths["maxLength"],
        description=description,
    )
