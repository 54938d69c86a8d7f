"""The org's groups (`/api/v1/groups`): lookup, the name search, and creation with Okta's validation, so the API
and the admin pages apply the same rules."""

from __future__ import annotations

from typing import Any

from .errors import ApiValidationError, ResourceNotFound
from .models import Group, User
from .store import Store


class Groups:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, group_id: str) -> Group:
        group = self.store.group(group_id)
        if group is None:
            raise ResourceNotFound(group_id, "UserGroup")
        return group

    def find(self, q: str | None = None) -> list[Group]:
        """All groups, or those whose name starts with `q` (case-insensitive), as the Groups API's `q` does."""
        return [g for g in self.store.groups() if not q or g.name.lower().startswith(q.lower())]

    def members(self, group_id: str) -> list[User]:
        return self.store.members(self.get(group_id).id)

    def create(self, body: Any) -> Group:
        """An OKTA_GROUP from `profile.name` (unique, case-insensitive) and an optional `profile.description`."""
        profile = body.get("profile") if isinstance(body, dict) else None
        name = profile.get("name") if isinstance(profile, dict) else None
        description = profile.get("description") if isinstance(profile, dict) else None
        causes = []
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 255:
            causes.append("profile.name: The field cannot be left blank and must be at most 255 characters")
        elif any(g.name.lower() == name.strip().lower() for g in self.store.groups()):
            causes.append("profile.name: An object with this field already exists in the current organization")
        if description is not None and (not isinstance(description, str) or len(description) > 1024):
            causes.append("profile.description: Must be a string of at most 1024 characters")
        if causes or not isinstance(name, str):
            raise ApiValidationError(causes)
        return self.store.create_group(name.strip(), description if isinstance(description, str) else None)
