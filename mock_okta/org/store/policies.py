"""The org's one profile enrollment policy (Identity Engine) and its Classic counterpart, the self-service
registration setting: each a single row, created with the store and by every reset."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, replace
from typing import Any

from ...hook.ids import event_time, okta_id
from ..models import (
    Access,
    ClassicActivation,
    EnrollmentRule,
    ProfileAttribute,
    ProfileEnrollmentPolicy,
    ProgressiveProfiling,
    RegistrationField,
    SelfServiceRegistration,
    UnknownUserAction,
    UserStatus,
)
from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS policies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    profile_attributes TEXT NOT NULL,
    inline_hook_id TEXT,
    access TEXT NOT NULL,
    target_status TEXT NOT NULL,
    created TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    rule TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS self_service_registration (
    policy_id TEXT PRIMARY KEY,
    setting TEXT NOT NULL
);
"""
TABLES = ("policies", "self_service_registration")

DEFAULT_ATTRIBUTES = (
    ProfileAttribute("firstName", "First name", True),
    ProfileAttribute("lastName", "Last name", True),
    ProfileAttribute("email", "Email", True),
)
DEFAULT_POLICY_ID = "rst1default0policy00"
# Okta's default Classic registration form (okta-signin-widget `playground/mocks/data/api/v1/registration/form.json`):
# email, password, first and last name, all required, in that order.
DEFAULT_REGISTRATION_FIELDS = (
    RegistrationField("email"),
    RegistrationField("password"),
    RegistrationField("firstName"),
    RegistrationField("lastName"),
)


class PolicyTables(Database):
    def _insert_default_policies(self, now: str) -> None:
        """The default policy (no hook attached) and registration setting; the caller holds the lock."""
        self._db.execute(
            "INSERT INTO policies VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
            (
                DEFAULT_POLICY_ID,
                "Default Policy",
                "The default profile enrollment policy",
                _attributes_json(DEFAULT_ATTRIBUTES),
                Access.ALLOW,
                UserStatus.PROVISIONED,
                now,
                now,
                _rule_json(EnrollmentRule(ui_schema_id=okta_id("uis"))),
            ),
        )
        default_ssr = SelfServiceRegistration(
            policy_id=okta_id("reg"),
            enabled=True,
            inline_hook_id=None,
            fields=DEFAULT_REGISTRATION_FIELDS,
            default_group_id=None,
            activation=ClassicActivation.EMAIL,
            post_registration_redirect=None,
            last_update=int(time.time() * 1000),
        )
        self._db.execute(
            "INSERT INTO self_service_registration VALUES (?, ?)", (default_ssr.policy_id, _ssr_json(default_ssr))
        )

    def _release_inline_hook(self, hook_id: str) -> None:
        """Neither the policy nor the registration setting calls this (deleted) hook any more."""
        self._execute("UPDATE policies SET inline_hook_id = NULL WHERE inline_hook_id = ?", (hook_id,))
        ssr = self.self_service_registration()
        if ssr.inline_hook_id == hook_id:
            self.save_self_service_registration(replace(ssr, inline_hook_id=None))

    # -- profile enrollment policy --------------------------------------------------------------------------
    def policy(self) -> ProfileEnrollmentPolicy:
        """The org's one profile enrollment policy (created with the store and by every reset)."""
        row = self._execute("SELECT * FROM policies LIMIT 1")[0]
        return ProfileEnrollmentPolicy(
            id=row["id"],
            name=row["name"],
            description=row["description"],
            profile_attributes=tuple(ProfileAttribute(**a) for a in json.loads(row["profile_attributes"])),
            inline_hook_id=row["inline_hook_id"],
            access=Access(row["access"]),
            target_status=UserStatus(row["target_status"]),
            created=row["created"],
            last_updated=row["last_updated"],
            rule=_rule(json.loads(row["rule"])),
        )

    def save_policy(self, policy: ProfileEnrollmentPolicy) -> ProfileEnrollmentPolicy:
        self._execute(
            "UPDATE policies SET name = ?, description = ?, profile_attributes = ?, inline_hook_id = ?, access = ?, "
            "rule = ?, last_updated = ? WHERE id = ?",
            (
                policy.name,
                policy.description,
                _attributes_json(policy.profile_attributes),
                policy.inline_hook_id,
                policy.access,
                _rule_json(policy.rule),
                event_time(),
                policy.id,
            ),
        )
        return self.policy()

    def update_policy(self, **changes: Any) -> ProfileEnrollmentPolicy:
        """The policy with these fields replaced (`ProfileEnrollmentPolicy` field names), saved."""
        return self.save_policy(replace(self.policy(), **changes))

    # -- Classic self-service registration -------------------------------------------------------------------
    def self_service_registration(self) -> SelfServiceRegistration:
        return _ssr(json.loads(self._execute("SELECT setting FROM self_service_registration LIMIT 1")[0]["setting"]))

    def save_self_service_registration(self, setting: SelfServiceRegistration) -> SelfServiceRegistration:
        saved = replace(setting, last_update=int(time.time() * 1000))
        self._execute("UPDATE self_service_registration SET setting = ?", (_ssr_json(saved),))
        return saved


def _attributes_json(attributes: tuple[ProfileAttribute, ...]) -> str:
    return json.dumps([asdict(a) for a in attributes])


def _rule_json(rule: EnrollmentRule) -> str:
    return json.dumps(asdict(rule))


def _rule(data: dict[str, Any]) -> EnrollmentRule:
    return EnrollmentRule(
        unknown_user_action=UnknownUserAction(data["unknown_user_action"]),
        email_verification=data["email_verification"],
        target_group_ids=tuple(data["target_group_ids"]),
        progressive_profiling=ProgressiveProfiling(data["progressive_profiling"]),
        ui_schema_id=data["ui_schema_id"],
        allowed_identifiers=tuple(data["allowed_identifiers"]),
        enroll_authenticator_types=tuple(data["enroll_authenticator_types"]),
    )


def _ssr_json(setting: SelfServiceRegistration) -> str:
    return json.dumps(asdict(setting))


def _ssr(data: dict[str, Any]) -> SelfServiceRegistration:
    return SelfServiceRegistration(
        **{
            **data,
            "fields": tuple(RegistrationField(**f) for f in data["fields"]),
            "activation": ClassicActivation(data["activation"]),
        }
    )
