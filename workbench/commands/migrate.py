"""`workbench migrate status|plan|up|down|backups|repair|baseline [TARGET] [--project DIR] [--json]`.

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
from collections.abc import Sequence

from workbench.commands.common import add_target_arguments, connection_for, print_json
from workbench.commands.migrate_actions import ACTIONS
from workbench.commands.listing import Listing, Styled, add_format_argument, output_format, show
from workbench.errors import UsageError
from workbench.migrations.backups import parse_age
from workbench.migrations.engine import RollbackRefused
from workbench.migrations.ledger import Status
from workbench.migrations.plan import Plan
from workbench.migrations.progress import Progress
from workbench.migrations.reports import RunReport
from workbench.migrations.rollback import describe_refusals
from workbench.migrations.service import MigrationService
from workbench.project import Target


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
        "  workbench migrate backups shop.db --project ./db --purge --older-than 30d"
    ),
    "repair": "workbench migrate repair shop.db 0004 --project ./db      versions right after TARGET",
    "baseline": "workbench migrate baseline shop.db 0004 --project ./db    VERSION right after TARGET",
}
EXIT_CODES = {
    "status": "0 listed, 2 bad input (a malformed folder, an unreachable database)",
    "plan": "0 planned, 1 the rollback would be refused, 2 bad input",
    "up": "0 applied (or nothing pending), 1 a migration failed and was undone, 2 bad input or drift",
    "down": "0 rolled back, 1 the rollback failed (and was undone) or was refused, 2 bad input",
    "backups": "0 listed or purged, 2 bad input",
    "repair": "0 accepted, 2 bad input",
    "baseline": "0 marked (or nothing to mark), 2 bad input (an unknown version, a failed migration in the range)",
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
        add_target_arguments(p)
        if name in LISTINGS:
            add_format_argument(p)
        else:
            p.add_argument("--json", action="store_true", help="print JSON for programs")
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
        if name == "backups":
            p.add_argument("--purge", action="store_true", help="remove backups older than --older-than")
            p.add_argument("--older-than", metavar="AGE", help="e.g. 30d, 12h, 90m (needed with --purge)")
            p.add_argument("--force", action="store_true", help="also remove backups a rollback still needs")
        if name == "repair":
            p.add_argument("versions", nargs="*", metavar="VERSION", help="only these (default: every drifted one)")
        if name == "baseline":
            p.add_argument("version", metavar="VERSION", help="the newest migration the database already holds")


def run(args: argparse.Namespace) -> int:
    with connection_for(args, create=args.action == "up") as (conn, target, project):
        progress = _printer if not args.json and args.action in ("up", "down") else None
        svc = MigrationService(
            conn, project.migrations_dir, progress=progress, lock_timeout=getattr(args, "lock_timeout", 30.0)
        )
        return _ACTIONS[args.action](svc, args, target)


def _status(svc: MigrationService, args: argparse.Namespace, _target: Target) -> int:
    statuses = svc.status()
    fmt = output_format(args)
    if fmt == "json":
        print_json({"migrations": [s.to_dict() for s in statuses]})
    else:
        show(fmt, [_status_listing(statuses)])
    return 0


def _plan(svc: MigrationService, args: argparse.Namespace, _target: Target) -> int:
    plan = svc.plan_down(args.to, args.steps) if args.down else svc.plan_up(args.to)
    _show_plan(plan, args)
    return 1 if plan.refused else 0


def _up(svc: MigrationService, args: argparse.Namespace, target: Target) -> int:
    plan = svc.plan_up(args.to)
    if not args.json:
        _show_plan(plan, args)
    if not plan.migrations:
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
    return _finish(svc.rollback(args.to, args.steps, safety_backup=args.safety_backup), plan, svc, args)


def _backups(svc: MigrationService, args: argparse.Namespace, _target: Target) -> int:
    if args.purge:
        if not args.older_than:
            raise UsageError("--purge needs --older-than AGE (e.g. 30d), so that nothing recent goes by accident")
        purged, kept = svc.purge(parse_age(args.older_than), force=args.force)
        if output_format(args) == "json":
            print_json({"purged": [i.to_dict() for i in purged], "kept": [i.to_dict() for i in kept]})
        else:
            print(f"removed {len(purged)} backup{'s' * (len(purged) != 1)}")
            for info in kept:
                print(
                    f"kept #{info.backup.id} {info.backup.source}: {info.version} is applied and its rollback "
                    "needs it (--force removes it anyway)"
                )
        return 0
    infos = svc.backups()
    fmt = output_format(args)
    if fmt == "json":
        print_json({"backups": [i.to_dict() for i in infos]})
        return 0
    listing = Listing(
        ("#", "taken", "migration", "table", "rows", "size", "rollback", "why"),
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
            f"{info.size / 1024:,.0f} KiB" if info.size is not None else "?",
            "needs it" if info.needed else "",
            b.purpose,
        )
    show(fmt, [listing])
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


_ACTIONS = {
    "status": _status,
    "plan": _plan,
    "up": _up,
    "down": _down,
    "backups": _backups,
    "repair": _repair,
    "baseline": _baseline,
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
