"""PostgreSQL URLs people mistype: bad input in one sentence, exit 2, and no part of a password
ever shown, whichever `@` libpq or the person took for the end of it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.db import redact

PASSWORD_HALVES = ("Zq9", "Xw7")


def inspect(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "inspect", url], capture_output=True, text=True, timeout=60
    )


def one_sentence_exit_2(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr and "bug" not in proc.stderr, proc.stderr
    return lines[0]


def test_an_unclosed_ipv6_bracket_is_bad_input() -> None:
    message = one_sentence_exit_2(inspect("postgresql://[::1/db"))
    assert "not a valid PostgreSQL URL" in message
    assert redact("postgresql://u:Zq9@[::1/db") == "postgresql://u@[::1/db"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:Zq9@Xw7@127.0.0.1:1/db",  # an unencoded @ in the password
        "postgresql://u:Zq9/Xw7@127.0.0.1:1/db",  # an unencoded / in the password
        "postgresql://u:Zq9#Xw7@127.0.0.1:1/db",  # libpq reads this one: the connection is refused
        "postgresql://u:Zq9?Xw7@127.0.0.1:1/db",
    ],
)
def test_no_part_of_the_password_is_ever_printed(url: str) -> None:
    message = one_sentence_exit_2(inspect(url))
    shown = redact(url)
    for half in PASSWORD_HALVES:
        assert half not in message and half not in shown
    assert shown == "postgresql://u@127.0.0.1:1/db"


def test_an_at_sign_in_a_password_is_refused_with_the_way_to_write_it() -> None:
    message = one_sentence_exit_2(inspect("postgresql://u:Zq9@Xw7@127.0.0.1/db"))
    assert "%40" in message and "postgresql://u@127.0.0.1/db" in message


def test_connect_messages_never_repeat_the_password() -> None:
    import psycopg

    from workbench.db.postgres import _connect_message

    reply = 'invalid integer value "Zq9Xw7" for connection option "port"'
    message = _connect_message(psycopg.OperationalError(reply), {"host": "h", "password": "Zq9Xw7"})
    assert "Zq9" not in message and "Xw7" not in message
