"""The one error family every layer raises, so the CLI and the TUI can show a sentence, not a traceback.

Every message is a single human sentence that never contains a password. The CLI maps
`exit_code` straight to the process exit status (2 = bad usage or bad input, 1 = something the
user asked us to verify or apply did not succeed).
"""

from __future__ import annotations

from pathlib import Path


class WorkbenchError(Exception):
    """Base of every error the workbench raises on purpose; `str(err)` is the message to show."""

    exit_code: int = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(WorkbenchError):
    """The user asked for something that cannot work as asked (bad flag, unknown profile, …)."""


class ConfigError(WorkbenchError):
    """A project file (workbench.toml, use_cases.toml, a check file) is malformed.

    The message names `file:line` where that is known.
    """


class OperationFailed(WorkbenchError):
    """A migration, check or scenario ran and did not succeed; the database is as it was."""

    exit_code = 1


def read_text(path: Path, missing: str = "file not found") -> str:
    """The UTF-8 text of a file the user gave us; a `ConfigError` naming it when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: {missing}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: cannot read: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
