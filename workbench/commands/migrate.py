"""`workbench migrate status|plan|up|down|backups|repair|baseline|finalize|lint [TARGET] [--project DIR] [--json]`.

For people: the plan before anything runs, one line per step, lint findings under their
statement; progress as it goes; one sentence when something fails. For programs: `--json`,
whose `status` output is a stable contract:

    {"migrations": [{"version", "name", "state", "applied_at", "duration_ms", "checksum", "file",
                     "has_down", "statements_run", "statements_total", "failed_statement",
                     "error", "rolled_back_at", "adopted_from", "applied_by"}]}

with state one of applied, pending, failed, drifted; `adopted_from` names the other tool
(golang-migrate, dbmate, diesel, Flyway, Prisma, drizzle, sqitch) whose ledger says it ran. Exit codes: 0 done, 1 a migration or its
rollback failed (the database is as it was before it) or a rollback was refused, 2 bad usage
or input (a malformed folder, checksum drift, a bad version).

A target whose profile is `protected` runs destructive steps only after its name is typed
(or given with `--confirm NAME`); rolling back asks for a yes (or `--yes`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from datetime import timedelta

from workbench.commands import lint as lint_command
from workbench.commands.common import add_target_arguments, connection_for, print_json
from workbench.commands.migrate_actions import ACTIONS
from workbench.diff.drift import schema_drift
from workbench.commands.listing import Listing, Styled, add_format_argument, output_format, show
from workbench.errors import UsageError
from workbench.migrations.engine import RollbackRefused
from workbench.migrations.ledger import Status
from workbench.migrations.plan import Plan
from workbench.migrations.progress import Progress
from workbench.migrations.purge import PurgePreview, size_text, total
from workbench.migrations.retention import parse_age, project_retention
from workbench.migrations.reports import RunReport
from workbench.migrations.rollback import describe_refusals
from workbench.migrations.service import MigrationService
from workbench.migrations.writer import write_next
from workbench.project import Target, load_project


LISTINGS = ("status", "backups")  # actions that print a listing: they take --format

EXAMPLES = {
    "status": (
        "workbench migrate status                       the default profile of ./workbench.toml\n"
        "  workbench migrate status shop.db --project ./db --json\n"
        "  workbench migrate status shop.db --project ./db --format tsv"
    ),
    "plan": (
        "workbench migrate plan shop.db --project ./db\n"
        "  workbench migrate plan shop.db --project ./db --down --to 0003"
    ),
    "up": (
        "workbench migrate up shop.db --project ./db\n"
        "  workbench migrate up shop.db --project ./db --to 0003 --json\n"
        "  workbench migrate up prod --project ./db --confirm prod"
    ),
    "down": (
        "workbench migrate down shop.db --project ./db --to 0003 --safety-backup\n"
        "  workbench migrate down shop.db --project ./db --steps 1 --yes"
    ),
    "backups": (
        "workbench migrate backups shop.db --project ./db\n"
        "  workbench migrate backups shop.db --project ./db --purge                  preview, then asks\n"
        "  workbench migrate backups shop.db --project ./db --purge --retention --yes --vacuum\n"
        "  workbench migrate backups shop.db --project ./db --purge --older-than 1w"
    ),
    "repair": "workbench migrate repair shop.db 0004 --project ./db      versions right after TARGET",
    "baseline": "workbench migrate baseline shop.db 0004 --project ./db    VERSION right after TARGET",
    "finalize": (
        "workbench migrate finalize shop.db --project ./db          every applied migration\n"
        "  workbench migrate finalize shop.db 0004 --project ./db     only 0004"
    ),
    "new": (
        "workbench migrate new add_invoices --project ./db           empty up and down scripts\n"
        "  workbench migrate new add_invoices --project ./db --from-diff dev    what dev has that the migrations lack"
    ),
    "lint": lint_command.EXAMPLE,
}
EXIT_CODES = {
    "status": "0 listed, 2 bad input (a malformed folder, an unreachable database)",
    "plan": "0 planned, 1 the rollback would be refused, 2 bad input",
    "up": "0 applied (or nothing pending), 1 a migration failed and was undone, 2 bad input or drift",
    "down": "0 rolled back, 1 the rollback failed (and was undone) or was refused, 2 bad input",
    "backups": "0 listed or purged, 2 bad input or a purge not confirmed",
    "repair": "0 accepted, 2 bad input",
    "baseline": "0 marked (or nothing to mark), 2 bad input (an unknown version, a failed migration in the range)",
    "finalize": "0 finalized (or nothing to finalize), 2 bad input (a version that is not applied)",
    "new": "0 written, 2 bad input (nothing to write, a migration that fails to replay, a layout another tool writes)",
    "lint": lint_command.EXIT_CODES,
}
TO_HELP = {
    "plan": "up to and including VERSION; with --down, VERSION stays applied (0 = roll back everything)",
    "up": "apply up to and including VERSION (default: every pending migration)",
    "down": "roll back everything after VERSION, which stays applied (0 = everything)",
}
YES_HELP = {
    "up": "accepted for symmetry with down: up asks only on a protected profile (see --confirm)",
    "down": "do not ask before rolling back (needed when no one is at the terminal, e.g. in CI)",
}


def register(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = (
        "TARGET is optional: without it, the default profile of the project (--project DIR, else the\n"
        "current folder) is used. `workbench migrate ACTION --help` describes each action.\n\n"
        "examples:\n"
        "  workbench migrate status --project ./db\n"
        "  workbench migrate plan shop.db --project ./db\n"
        "  workbench migrate up shop.db --project ./db --to 0003\n"
        "  workbench migrate down shop.db --project ./db --to 0003 --yes\n"
        "  workbench migrate status postgresql://ci@db/app --project ./db --json\n\n"
        "exit codes: 0 done, 1 a migration or its rollback failed (the database is as it was before it)\n"
        "or a rollback was refused, 2 bad usage or input (a malformed folder, checksum drift, a bad version)"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, help_ in ACTIONS.items():
        p = actions.add_parser(
            name,
            help=help_,
            description=help_,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            epilog=f"examples:\n  {EXAMPLES[name]}\n\nexit codes: {EXIT_CODES[name]}",
        )
        if name == "lint":  # its TARGET is optional in another way: without one it reads offline
            lint_command.add_arguments(p)
            continue
        if name == "new":  # no TARGET: it writes files, and reads a database only with --from-diff
            _new_arguments(p)
            continue
        add_target_arguments(p)
        if name in LISTINGS:
            add_format_argument(p)
        else:
            p.add_argument("--json", action="store_true", help="print JSON for programs")
        if name == "status":
            p.add_argument(
                "--drift",
                action="store_true",
                help="also say whether the schema is what the applied migrations produce "
                "(replays them on a scratch database: seconds, and CREATEDB on PostgreSQL)",
            )
        if name in ("plan", "up", "down"):
            p.add_argument("--to", metavar="VERSION", help=TO_HELP[name])
        if name in ("plan", "down"):
            p.add_argument("--steps", type=int, metavar="N", help="roll back the newest N migrations")
        if name == "plan":
            p.add_argument("--down", action="store_true", help="plan a rollback instead")
        if name in ("up", "down"):
            p.add_argument("--yes", action="store_true", help=YES_HELP[name])
            p.add_argument("--confirm", metavar="PROFILE", help="the protected profile's name, typed in advance")
            p.add_argument(
                "--lock-timeout",
                type=float,
                default=30.0,
                metavar="SECONDS",
                help="how long to wait for another apply or rollback to finish (default 30)",
            )
        if name == "up":
            p.add_argument("--allow-drift", action="store_true", help="apply even though applied files were edited")
        if name == "down":
            p.add_argument(
                "--safety-backup",
                action="store_true",
                help="first copy the tables the rollback empties or drops, rows written since included",
            )
            p.add_argument(
                "--keep-aside",
                action="store_true",
                help="rows written since the apply that the old shape cannot hold go to the side table "
                "(without it, such rows stop the rollback)",
            )
        if name == "backups":
            _backup_arguments(p)
        if name == "repair":
            p.add_argument("versions", nargs="*", metavar="VERSION", help="only these (default: every drifted one)")
        if name == "baseline":
            p.add_argument("version", metavar="VERSION", help="the newest migration the database already holds")
        if name == "finalize":
            p.add_argument("version", nargs="?", metavar="VERSION", help="only this one (default: every applied one)")


def _new_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "name", metavar="NAME", help="what the migration does, e.g. add_invoices (becomes part of the file name)"
    )
    p.add_argument(
        "--from-diff",
        metavar="TARGET",
        help="up: the SQL from the schema the migrations produce to TARGET's (URL, SQLite path or profile); "
        "down: the way back",
    )
    p.add_argument("--project", metavar="DIR", help="project folder (default: the current folder)")
    p.add_argument("--json", action="store_true", help="print JSON for programs")


def _backup_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--purge",
        action="store_true",
        help="drop the backups no rollback needs: shows what goes and why first, then asks (or --yes)",
    )
    age = p.add_mutually_exclusive_group()
    age.add_argument("--older-than", metavar="AGE", help="only backups older than AGE, e.g. 1w, 7d, 12h, 90m")
    age.add_argument(
        "--retention",
        action="store_true",
        help='only backups older than the project\'s keep_backups (e.g. keep_backups = "7d" in [workbench])',
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="also drop backups the live apply of a migration needs: its rollback then cannot bring their rows back",
    )
    p.add_argument("--yes", action="store_true", help="drop without asking (needed when no one is at the terminal)")
    p.add_argument("--confirm", metavar="PROFILE", help="a protected profile's name, typed in advance")
    p.add_argument(
        "--vacuum",
        action="store_true",
        help="SQLite: give the freed space back to the file system (sizes before/after)",
    )


def run(args: argparse.Namespace) -> int:
    if args.action == "lint":  # offline without TARGET: it opens a connection only when given one
        return lint_command.run(args)
    if args.action == "new":
        return _new(args)
    with connection_for(args, create=args.action == "up") as (conn, target, project):
        progress = _printer if not args.json and args.action in ("up", "down") else None
        svc = MigrationService(
            conn,
            project.migrations_dir,
            progress=progress,
            lock_timeout=getattr(args, "lock_timeout", 30.0),
            capture_retention=project.capture_retention,
        )
        return _ACTIONS[args.action](svc, args, target)


def _new(args: argparse.Namespace) -> int:
    """Write the next migration; with --from-diff, from the diff between the migrations and TARGET."""
    if args.from_diff is None:
        written = write_next(load_project(args.project).migrations_dir, args.name, "", "")
    else:
        from workbench.diff.new_migration import from_migrations_to

        with connection_for(argparse.Namespace(target=args.from_diff, project=args.project)) as (conn, _, project):
            written = from_migrations_to(conn, project.migrations_dir, args.name, project.baseline)
    if args.json:
        print_json(written.to_dict())
    else:
        print("\n".join(written.lines()))
    return 0


def _status(svc: MigrationService, args: argparse.Namespace, _target: Target) -> int:
    """The list, then (with --drift) whether the schema is what the applied migrations produce.

    Drift is asked for, not the default: the replay costs seconds and creates a scratch database on
    the server, and `status` is the command scripts call to read state, cheaply and without writing."""
    statuses = svc.status()
    fmt = output_format(args)
    drift = schema_drift(svc.conn, statuses, load_project(args.project).baseline) if args.drift else None
    if fmt == "json":
        print_json({"migrations": [s.to_dict() for s in statuses], "drift": drift.to_dict() if drift else None})
        return 0
    show(fmt, [_status_listing(statuses)], tail=drift.lines() if drift is not None else ())
    return 0


def _plan(svc: MigrationService, args: argparse.Namespace, _target: Target) -> int:
    plan = svc.plan_down(args.to, args.steps) if args.down else svc.plan_up(args.to)
    _show_plan(plan, args)
    return 1 if plan.refused else 0


def _up(svc: MigrationService, args: argparse.Namespace, target: Target) -> int:
    plan = svc.plan_up(args.to)
    if not args.json:
        _show_plan(plan, args)
    if not plan.migrations and svc.retention is None:  # with a retention, up still finalizes older applies
        return _finish(RunReport("up", notes=plan.notes), plan, svc, args)
    _confirm(plan, target, args)
    return _finish(svc.apply(args.to, allow_drift=args.allow_drift), plan, svc, args)


def _down(svc: MigrationService, args: argparse.Namespace, target: Target) -> int:
    plan = svc.plan_down(args.to, args.steps)
    if not args.json:
        _show_plan(plan, args)
    if args.json and (plan.refused or not plan.migrations):
        print_json({"plan": plan.to_dict(), "report": None})
    if plan.refused:
        raise RollbackRefused(f"nothing was rolled back: {describe_refusals(plan.refused)}")
    if not plan.migrations:
        return 0
    _confirm(plan, target, args)
    report = svc.rollback(args.to, args.steps, safety_backup=args.safety_backup, keep_aside=args.keep_aside)
    return _finish(report, plan, svc, args)


def _backups(svc: MigrationService, args: argparse.Namespace, target: Target) -> int:
    if args.older_than or args.retention or args.force or args.yes or args.confirm:
        if not args.purge:
            raise UsageError("--older-than, --retention, --force, --yes and --confirm go with --purge")
    fmt = output_format(args)
    if args.purge:
        return _purge(svc, args, target, fmt == "json")
    if args.vacuum:
        return _vacuum(svc, fmt == "json", {})
    infos = svc.backups()
    if fmt == "json":
        print_json({"backups": [i.to_dict() for i in infos]})
        return 0
    listing = Listing(
        ("#", "taken", "migration", "table", "rows", "size", "rollback", "why", "why not needed"),
        right=frozenset({"#", "rows", "size"}),
        empty="no backups",
        boxed=False,
    )
    for info in infos:
        b = info.backup
        listing.add(
            str(b.id),
            b.created_at,
            info.version,
            b.source,
            f"{b.row_count:,}",
            size_text(info.size, info.size_estimated),
            "needs it" if info.needed else "stale",
            b.purpose,
            info.why_not_needed or "",
        )
    show(fmt, [listing])
    stale = [i for i in infos if not i.needed]
    if infos and fmt == "table":  # for a person; plain and tsv are rows only, for programs
        print(f"{len(stale)} of {len(infos)} backups no rollback needs ({total(stale)}): --purge drops them")
    return 0


def _purge(svc: MigrationService, args: argparse.Namespace, target: Target, as_json: bool) -> int:
    """Preview, a yes, the drop, then (when asked) the vacuum: each said in one place."""
    preview = svc.purge_preview(_purge_age(args, as_json), force=args.force)
    if not as_json:
        print("\n".join(preview.lines()))
    if preview.drops:
        try:
            _confirm_purge(preview, target, args)
        except UsageError:
            if as_json:
                print_json({"preview": preview.to_dict(), "purged": None, "vacuum": None})
            raise
    purged = svc.purge(preview) if preview.drops else None
    if purged is not None and not as_json:
        print("\n".join(purged.lines()))
    out = {"preview": preview.to_dict(), "purged": purged.to_dict() if purged is not None else None}
    return _vacuum(svc, as_json, out) if args.vacuum else _report_json(as_json, {**out, "vacuum": None})


def _confirm_purge(preview: PurgePreview, target: Target, args: argparse.Namespace) -> None:
    """The protected profile's name typed (or --confirm NAME), else a yes (or --yes)."""
    guard = target.protected_by
    if guard is not None:
        if args.confirm == guard.name:
            return
        if not sys.stdin.isatty():
            raise UsageError(f"{target.protection()}: pass --confirm {guard.name} to purge")
        if input(f"{target.protection()}. Type {guard.name} to purge: ").strip() != guard.name:
            raise UsageError("not confirmed; nothing was dropped")
        return
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise UsageError("purging asks for confirmation: pass --yes when no one is at the terminal")
    question = f"Drop these {len(preview.drops)} backups"
    if preview.lost:
        question += f", {len(preview.lost)} of them needed by a rollback"
    if input(f"{question}? [y/N] ").strip().lower() not in ("y", "yes"):
        raise UsageError("not confirmed; nothing was dropped")


def _purge_age(args: argparse.Namespace, as_json: bool) -> timedelta | None:
    if args.older_than:
        return parse_age(args.older_than)
    if not args.retention:
        return None
    rule = project_retention(load_project(args.project))
    if rule is None:
        raise UsageError('--retention needs keep_backups in the project file, e.g. [workbench] keep_backups = "7d"')
    if not as_json:
        print(f"retention: the project keeps backups {rule.text} (keep_backups)")
    return rule.keep


def _vacuum(svc: MigrationService, as_json: bool, out: Mapping[str, object]) -> int:
    done = svc.vacuum()
    if not as_json:
        print("\n".join(done.lines()))
    return _report_json(as_json, {**out, "vacuum": done.to_dict()})


def _report_json(as_json: bool, out: Mapping[str, object]) -> int:
    if as_json:
        print_json(out)
    return 0


def _repair(svc: MigrationService, args: argparse.Namespace, _target: Target) -> int:
    fixed = svc.repair_checksums(args.versions)
    if args.json:
        print_json({"repaired": fixed})
    else:
        print("accepted the current file of " + (", ".join(fixed) if fixed else "nothing: no migration drifted"))
    return 0


def _baseline(svc: MigrationService, args: argparse.Namespace, _target: Target) -> int:
    done = svc.baseline(args.version)
    if args.json:
        print_json({"baseline": done.to_dict(), "migrations": [s.to_dict() for s in svc.status()]})
    else:
        print("\n".join(done.lines()))
    return 0


def _finalize(svc: MigrationService, args: argparse.Namespace, _target: Target) -> int:
    done = svc.finalize(args.version)
    if args.json:
        print_json({"finalized": [{"version": v, "captures_stopped": c, "backups_freed": b} for v, c, b in done]})
    elif not done:
        print("nothing to finalize: no applied migration captures writes or keeps backups")
    for version, captures, backups in done if not args.json else ():
        print(
            f"finalized {version}: stopped capturing {captures} table{'s' * (captures != 1)}, "
            f"freed {backups} backup{'s' * (backups != 1)}; it can no longer be rolled back with its rows"
        )
    return 0


_ACTIONS = {
    "status": _status,
    "plan": _plan,
    "up": _up,
    "down": _down,
    "backups": _backups,
    "repair": _repair,
    "baseline": _baseline,
    "finalize": _finalize,
}


# -- helpers ---------------------------------------------------------------------------------


def _confirm(plan: Plan, target: Target, args: argparse.Namespace) -> None:
    """Typed name for destructive steps on a protected profile; a yes before any rollback."""
    if target.protected_by is not None and plan.destructive:
        name = target.protected_by.name
        if args.confirm == name:
            return
        if not sys.stdin.isatty():
            raise UsageError(f"{target.protection()}: pass --confirm {name} to run these steps")
        if input(f"{target.protection()}. Type {name} to go on: ").strip() != name:
            raise UsageError("not confirmed; nothing was changed")
        return
    if plan.direction == "down" and not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("rolling back asks for confirmation: pass --yes when no one is at the terminal")
        if input("Roll back as planned? [y/N] ").strip().lower() not in ("y", "yes"):
            raise UsageError("not confirmed; nothing was changed")


def _finish(report: RunReport, plan: Plan, svc: MigrationService, args: argparse.Namespace) -> int:
    """The run's report, in the same words the TUI shows (or as JSON), and the exit code."""
    if args.json:
        print_json(
            {"plan": plan.to_dict(), "report": report.to_dict(), "migrations": [s.to_dict() for s in svc.status()]}
        )
    else:
        print("\n".join(report.lines()))
        if report.failure is not None:
            state = "nothing of it stayed" if report.failure.unchanged else "part of it stayed (see above)"
            print(f"workbench: {report.failure.describe()}; {state}", file=sys.stderr)
    return 0 if report.ok else 1


def _show_plan(plan: Plan, args: argparse.Namespace) -> None:
    if args.json:
        print_json({"plan": plan.to_dict()})
    else:
        print("\n".join(plan.lines()))


_STATE_STYLE = {"applied": "green", "pending": "cyan", "failed": "bold red", "drifted": "yellow", "partial": "yellow"}


def _status_listing(statuses: Sequence[Status]) -> Listing:
    listing = Listing(("version", "name", "state", "applied at", "note"), empty="no migrations", boxed=False)
    for s in statuses:
        e = s.entry
        when = e.applied_at if e and s.state in ("applied", "drifted") else ""
        note = ""
        if s.state == "failed" and e is not None:
            note = (f"statement {e.failed_statement}: " if e.failed_statement else "") + (e.error or "")
        if s.missing_file:
            note += " (file missing)"
        if e is not None and e.adopted_from:
            note += f" adopted from {e.adopted_from}" + (f", applied by {e.applied_by}" if e.applied_by else "")
        listing.add(s.version, s.name, Styled(s.state, _STATE_STYLE.get(s.state, "")), when, note.strip())
    return listing


def _printer(p: Progress) -> None:
    """Progress for people, on stdout beside the plan (stderr keeps warnings and errors)."""
    if p.phase == "migration":
        print(f"[{p.index}/{p.total}] {p.text}", flush=True)
    elif p.phase == "backup":
        print(f"  {p.text}: {p.rows:,} rows", flush=True)
    elif p.phase == "restore" and p.rows:
        print(f"  {p.text}", flush=True)
