"""`--help` laid out for the reader's screen: as wide as the terminal (rich measures it), and HELP_WIDTH columns
where there is no terminal to measure (output captured or piped into a file, a CI log) instead of rich's 80, which
cut most option descriptions into pieces.

Every group and command of the app is made with these classes (`cls=`); they change nothing but the width."""

from __future__ import annotations

import os
from typing import Any

from typer.core import TyperCommand, TyperGroup

# The option table spends about 75 columns on names and types; 160 leaves the longest descriptions one line.
HELP_WIDTH = 160


def _size_help() -> None:
    from typer import rich_utils

    if not os.environ.get("TERMINAL_WIDTH"):  # typer's own setting wins (it reads it when rich_utils is imported)
        rich_utils.MAX_WIDTH = None if _measurable() else HELP_WIDTH


def _measurable() -> bool:
    """Whether rich can size the help itself: COLUMNS is set, or stdin, stdout or stderr is a terminal."""
    if os.environ.get("COLUMNS", "").isdigit():
        return True
    for stream in (0, 1, 2):
        try:
            os.get_terminal_size(stream)
        except OSError:
            continue
        return True
    return False


class HelpCommand(TyperCommand):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        _size_help()
        super().format_help(ctx, formatter)


class HelpGroup(TyperGroup):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        _size_help()
        super().format_help(ctx, formatter)
