"""`workbench sample load|reset campaigns --embedded`: the PostgreSQL sample with no server installed."""

from __future__ import annotations

import argparse

import pytest

from workbench import samples
from workbench.cli import main
from workbench.commands import OpenTui
from workbench.commands import sample as sample_command
from workbench.db import connect


def _run(*argv: str) -> int | OpenTui:
    """The command as `workbench sample …` runs it; an `OpenTui` is what makes the CLI open the TUI."""
    parser = argparse.ArgumentParser()
    sample_command.register(parser)
    return sample_command.run(parser.parse_args(argv))


def _tables(url: str) -> set[str]:
    conn = connect(url)
    try:
        return {t.name for t in conn.introspect().tables}
    finally:
        conn.close()


@pytest.mark.postgres
@pytest.mark.usefixtures("embedded_data_dir")
def test_load_opens_it_keeps_the_users_changes_and_reset_starts_over(capsys: pytest.CaptureFixture[str]) -> None:
    outcome = _run("load", "campaigns", "--embedded")
    project = samples.open_sample("campaigns")
    assert outcome == OpenTui(project.root)
    assert "loaded the campaigns sample into the embedded PostgreSQL" in capsys.readouterr().out
    url = project.profiles[project.default_profile or ""].url
    assert url == "postgresql+embedded:///campaigns"
    assert len(_tables(url)) == 43

    conn = connect(url)
    conn.execute("CREATE TABLE my_notes (id integer)")
    conn.close()
    assert _run("load", "campaigns", "--embedded") == OpenTui(project.root)
    assert "already in the embedded PostgreSQL, as you left it" in capsys.readouterr().out
    assert "my_notes" in _tables(url)

    assert main(["sample", "reset", "campaigns", "--embedded"]) == 0
    assert "reloaded the campaigns sample" in capsys.readouterr().out
    tables = _tables(url)
    assert len(tables) == 43 and "my_notes" not in tables


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["load", "booking", "--embedded"], "the booking sample is SQLite and needs no server"),
        (["load", "campaigns", "postgresql://localhost/x", "--embedded"], "without a URL"),
        (["path", "campaigns", "--embedded"], "--embedded goes with `workbench sample load NAME` or `reset NAME`"),
    ],
)
def test_misuse_is_one_sentence(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample", *argv]) == 2
    assert message in capsys.readouterr().err
