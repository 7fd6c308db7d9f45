"""`workbench sample list | path | reset | load`: the bundled sample projects."""

from __future__ import annotations

import argparse

from workbench import samples
from workbench.commands import OpenTui
from workbench.commands.common import print_json
from workbench.commands.listing import Listing, add_format_argument, output_format, show
from workbench.db import redact
from workbench.errors import UsageError


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        choices=["list", "path", "reset", "load"],
        help="list the samples; print a working copy's folder; rebuild it; load a sample (into URL, for PostgreSQL)",
    )
    parser.add_argument("name", nargs="?", default="booking", help="sample name (default: booking)")
    parser.add_argument("url", nargs="?", help="load: the empty database to load a PostgreSQL sample into")
    parser.add_argument("--force", action="store_true", help="load: drop everything in a non-empty database first")
    parser.add_argument("--open", action="store_true", help="load: open the loaded sample in the workbench")
    add_format_argument(parser)
    parser.add_argument(
        "--embedded",
        action="store_true",
        help="load (and open) or reset a PostgreSQL sample in the workbench's own PostgreSQL, kept in the "
        "user's data folder: no server needed (the embedded extra)",
    )
    parser.epilog = (
        "examples:\n"
        "  workbench sample list\n"
        "  workbench sample list --format tsv\n"
        "  workbench sample reset booking\n"
        "  workbench sample load workspace\n"
        "  workbench sample load campaigns postgresql://localhost/campaigns --open\n"
        "  workbench sample load campaigns --embedded\n"
        '  workbench migrate up campaigns --project "$(workbench sample path campaigns)"\n\n'
        "Working copies live in the user's data folder (WORKBENCH_DATA_DIR overrides it); the bundled\n"
        "samples are never changed. A PostgreSQL sample loads into an empty database you created\n"
        "(createdb campaigns); --force first drops everything in one that is not. With --embedded it goes\n"
        "into a private PostgreSQL started in the data folder (pip install 'schema-workbench[embedded]'),\n"
        "which stops when the workbench exits and keeps its data for next time.\n\n"
        "exit codes: 0 done, 2 bad input (no such sample, a database that is not empty, no URL)"
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def run(args: argparse.Namespace) -> int | OpenTui:
    fmt = output_format(args)
    if args.action == "list":
        listing = Listing(("name", "backend", "description"), boxed=False)
        for s in samples.samples():
            listing.add(s.name, s.backend, s.description)
        if fmt == "json":
            print_json({"samples": listing.records()})
        else:
            show(fmt, [listing])
        return 0
    if args.format or args.json:
        raise UsageError("--format and --json belong to `workbench sample list`")
    if args.embedded:
        return _embedded(args)
    if args.action != "load" and (args.url or args.force or args.open):
        raise UsageError(f"URL, --force and --open belong to `workbench sample load`, not `{args.action}`")
    if args.action == "load":
        project = samples.load(args.name, args.url, force=args.force)
        target = f" into {redact(args.url)}" if args.url else ""
        print(f"loaded the {args.name} sample{target}; its project is {project.root}")
        return OpenTui(project.root) if args.open else 0
    project = samples.reset(args.name) if args.action == "reset" else samples.open_sample(args.name)
    print(project.root)
    return 0


def _embedded(args: argparse.Namespace) -> int | OpenTui:
    """`load --embedded` loads (or finds already loaded) and opens; `reset --embedded` reloads."""
    if args.action not in ("load", "reset") or args.url:
        raise UsageError("--embedded goes with `workbench sample load NAME` or `reset NAME`, without a URL")
    if args.action == "reset":
        project, _ = samples.load_embedded(args.name, force=True)
        print(f"reloaded the {args.name} sample into the embedded PostgreSQL; its project is {project.root}")
        return 0
    project, loaded = samples.load_embedded(args.name, force=args.force)
    if loaded:
        print(f"loaded the {args.name} sample into the embedded PostgreSQL; its project is {project.root}")
    else:
        print(
            f"the {args.name} sample is already in the embedded PostgreSQL, as you left it "
            f"(`workbench sample reset {args.name} --embedded` starts over); its project is {project.root}"
        )
    return OpenTui(project.root)
