"""`--help` of the workbench and of every subcommand (and every `migrate` action) exits 0 and shows
examples, each of which the real parser accepts; `--version` prints the package's version."""

from __future__ import annotations

import argparse
import importlib
import re
import shlex

import pytest

from workbench import __version__
from workbench.cli import COMMANDS, _tui_parser, main
from workbench.commands.migrate import ACTIONS

HELPS = [[], *([name] for name in COMMANDS), *(["migrate", action] for action in ACTIONS)]


def help_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def examples(text: str) -> list[list[str]]:
    """The command lines under `examples:`, each without the note that follows it after spaces."""
    block = text.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0]
    return [shlex.split(re.split(r"\s{3,}", line.strip())[0]) for line in block.splitlines()]


def parser_for(argv: list[str]) -> argparse.ArgumentParser:
    """The parser `workbench` builds for this command line (built as the CLI builds it)."""
    if not argv or argv[0] not in COMMANDS:
        return _tui_parser()
    parser = argparse.ArgumentParser(prog=f"workbench {argv[0]}", description=COMMANDS[argv[0]])
    importlib.import_module(f"workbench.commands.{argv[0]}").register(parser)
    return parser


@pytest.mark.parametrize("argv", HELPS, ids=lambda argv: " ".join(argv) or "workbench")
def test_help_exits_0_and_its_examples_parse(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(argv, capsys)
    assert text.startswith(f"usage: workbench{''.join(' ' + a for a in argv)}")
    found = examples(text)
    assert found, "an examples: section with at least one command"
    for example in found:
        assert example[0] == "workbench", example
        parser_for(example[1:]).parse_args(example[2:] if example[1:2] and example[1] in COMMANDS else example[1:])


@pytest.mark.parametrize("argv", HELPS, ids=lambda argv: " ".join(argv) or "workbench")
def test_help_says_what_the_exit_codes_mean(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert "\nexit codes: 0 " in help_of(argv, capsys)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"workbench {__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
