"""`workbench sample`: every bundled sample listed, built, and refused clearly when misused."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from workbench import samples
from workbench.cli import main
from workbench.db import connect
from workbench.errors import UsageError


def test_list_shows_each_sample_with_its_backend_and_a_description(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample", "list"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split() == ["name", "backend", "description"]
    lines = {line.split()[0]: line.split(None, 2)[1:] for line in rows}
    assert {name: backend for name, (backend, _) in lines.items()} == {
        "booking": "sqlite",
        "campaigns": "postgresql",
        "workspace": "sqlite",
    }
    assert all(len(description) > 20 for _, description in lines.values())


def test_booking_opens_as_the_default_sample_and_rebuilds_when_missing() -> None:
    project = samples.open_sample("booking")
    database = project.root / "booking.db"
    conn = connect(project.profiles[project.default_profile or ""].url)
    try:
        assert conn.row_count("main", "booking_orders") == 20000
    finally:
        conn.close()
    database.unlink()
    (project.root / ".sample-stamp").unlink()
    assert samples.open_sample("booking").root == project.root
    assert database.is_file()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: samples.load("campaigns"), "give the URL of an empty database"),
        (lambda: samples.open_sample("campaigns"), "load it first with `workbench sample load campaigns URL`"),
        (lambda: samples.reset("campaigns"), "has not been loaded yet"),
        (lambda: samples.load("workspace", "postgresql://localhost/x"), "load it without a URL"),
        (lambda: samples.sample("nope"), "no sample named 'nope' (samples: booking, campaigns, workspace)"),
    ],
)
def test_misuse_is_one_sentence(call: Callable[[], object], message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_load_options_belong_to_load(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample", "reset", "workspace", "--force"]) == 2
    assert "belong to `workbench sample load`" in capsys.readouterr().err
