"""`mock-okta schema`: a hook type's request or response as JSON Schema, for hooks written in any language."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ..common import chosen_type, fail
from ..options import HookTypeName


def schema(which: Annotated[str, typer.Argument(help="request or response")], type_name: HookTypeName = None) -> None:
    """Print the JSON Schema of a hook type's request or response, for hooks written in any language."""
    from ...hooktypes import REGISTRATION

    hook_type = chosen_type(type_name) if type_name else REGISTRATION
    try:
        print(json.dumps(hook_type.json_schema(which), indent=2))
    except ValueError as exc:
        fail(str(exc))
