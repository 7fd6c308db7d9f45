"""How long backups are kept: ages written as people write them, and the project's own rule.

The seeds' rule — drop the backup tables after a week of stable operation — becomes one line in
the project file:

    [workbench]
    keep_backups = "7d"

The workbench applies it only when asked (`migrate backups --purge --retention`, or the Backups
screen's purge, which starts from it); nothing is ever dropped on its own. Whatever the rule
says, a backup the live apply of an applied migration needs is kept: only `--force` drops it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from workbench.errors import ConfigError, UsageError
from workbench.project import Project

_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_AGE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([wdhms])\s*")
STAMP = "%Y-%m-%dT%H:%M:%SZ"  # how the ledger and the backup catalog write times


def parse_age(text: str) -> timedelta:
    """`1w`, `7d`, `12h`, `90m`, `45s` → a timedelta; anything else is a usage error."""
    m = _AGE.fullmatch(text)
    if not m:
        raise UsageError(f"not an age: {text!r} (use e.g. 1w, 7d, 12h, 90m)")
    return timedelta(**{_UNITS[m[2]]: float(m[1])})


@dataclass(frozen=True)
class Retention:
    """Backups older than `keep` may go (those the live apply needs excepted)."""

    keep: timedelta
    text: str  # as the project file writes it, e.g. "7d"

    def cutoff(self, now: datetime) -> str:
        """The newest creation time (catalog format) a backup may have to be dropped."""
        return (now - self.keep).strftime(STAMP)


def project_retention(project: Project | None) -> Retention | None:
    """The project's `keep_backups` rule; None when it sets none. A value that is not an age is
    a configuration error naming the file."""
    text = project.keep_backups if project is not None else None
    if text is None:
        return None
    try:
        return Retention(parse_age(text), text)
    except UsageError as exc:
        where = project.config_file if project is not None else "the project file"
        raise ConfigError(f"{where}: keep_backups: {exc}") from None
