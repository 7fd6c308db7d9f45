"""Headless subcommands of `workbench`, one module each (see `workbench.cli.COMMANDS`)."""
