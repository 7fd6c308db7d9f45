"""Purging backups: first a preview (what goes and why no rollback needs it, what stays, the
space it frees), then the drop of exactly what the preview listed, then — on SQLite — the space
given back to the file system.

    preview = purge_preview(mg.backups(), older_than=timedelta(days=7), force=False, now=now)
    print("\\n".join(preview.lines()))           # shown before anything is dropped
    done = purge(mg, preview)                    # after the user said yes
    vacuum(conn)                                 # SQLite: the file shrinks; PostgreSQL: nothing to do

A backup the live apply of an applied migration needs to roll back is never in `drops` unless
`force` says so, and then the preview says what that costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from workbench.db.base import Connection
from workbench.migrations.retention import STAMP

if TYPE_CHECKING:
    from workbench.migrations.engine import BackupInfo, Migrator


def size_text(n: int | None, estimated: bool = False) -> str:
    """`900 Bytes`, `1.5 KiB`, `≈ 12.3 MiB` (estimated), `size unknown`."""
    if n is None:
        return "size unknown"
    import humanize  # only when a size is shown: `inspect` never pays for it

    return ("≈ " if estimated else "") + humanize.naturalsize(n, binary=True)


def total(infos: Sequence[BackupInfo]) -> str:
    """The space `infos` take together, marked ≈ when any of it is estimated or unknown."""
    return size_text(sum(i.size or 0 for i in infos), any(i.size_estimated or i.size is None for i in infos))


@dataclass(frozen=True)
class PurgePreview:
    """What a purge would do. `drops`: backups it drops; `kept`: ones old enough but needed by the
    live apply of their migration (empty with `force`: they are in `drops`); `younger`: not
    needed, but newer than `older_than`."""

    drops: tuple[BackupInfo, ...]
    kept: tuple[BackupInfo, ...]
    younger: tuple[BackupInfo, ...]
    older_than: timedelta | None
    force: bool

    @property
    def lost(self) -> tuple[BackupInfo, ...]:
        """Backups in `drops` that a rollback still needs (only with `force`)."""
        return tuple(i for i in self.drops if i.needed)

    def lines(self) -> list[str]:
        """The preview in the words the CLI prints and the Backups screen shows."""
        if not self.drops:
            out = ["Nothing to purge: " + ("no backup is old enough." if self.younger else "every backup is needed.")]
            if not self.kept and not self.younger:
                out = ["Nothing to purge: there are no backups."]
        else:
            s = "s" * (len(self.drops) != 1)
            out = [f"Purge drops {len(self.drops)} backup{s}, freeing {total(self.drops)}:"]
            out += [f"  {_row(i)}  {i.why_not_needed or _loss(i)}" for i in self.drops]
        if self.kept:
            s = "s" * (len(self.kept) != 1)
            out.append(f"Keeps {len(self.kept)} backup{s} ({total(self.kept)}) the live apply needs to roll back:")
            out += [f"  {_row(i)}  rolling back {i.version} restores {i.backup.source} from it" for i in self.kept]
            out.append("  (--force drops them too, and those rollbacks lose their way back)")
        if self.younger and self.older_than is not None:
            s = "s" * (len(self.younger) != 1)
            out.append(
                f"Keeps {len(self.younger)} backup{s} no rollback needs ({total(self.younger)}): "
                f"newer than {_age(self.older_than)}."
            )
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "drops": [i.to_dict() for i in self.drops],
            "kept": [i.to_dict() for i in self.kept],
            "younger": [i.to_dict() for i in self.younger],
            "frees_bytes": sum(i.size or 0 for i in self.drops),
            "older_than_seconds": self.older_than.total_seconds() if self.older_than is not None else None,
            "force": self.force,
        }


def _row(info: BackupInfo) -> str:
    b = info.backup
    size = size_text(info.size, info.size_estimated)
    return f"#{b.id:<4} {b.source}  {info.version}  {b.row_count:,} row{'s' * (b.row_count != 1)}  {size}"


def _loss(info: BackupInfo) -> str:
    b = info.backup
    return f"NEEDED: rolling back {info.version} can then no longer bring back {b.source} ({b.row_count:,} rows)"


def _age(delta: timedelta) -> str:
    import humanize

    return humanize.naturaldelta(delta)


def purge_preview(
    infos: Sequence[BackupInfo], older_than: timedelta | None, force: bool, now: datetime
) -> PurgePreview:
    """What purging `infos` drops: every backup no rollback needs (only those older than
    `older_than`, when given); with `force`, the needed ones as well. Pure: nothing is read."""
    cutoff = (now - older_than).strftime(STAMP) if older_than is not None else None
    old = [i for i in infos if cutoff is None or i.backup.created_at <= cutoff]
    return PurgePreview(
        drops=tuple(i for i in old if force or not i.needed),
        kept=tuple(i for i in old if i.needed and not force),
        younger=tuple(i for i in infos if not i.needed and i not in old),
        older_than=older_than,
        force=force,
    )


@dataclass(frozen=True)
class Purged:
    """What a purge dropped; `skipped`: previewed backups it left (gone already, or needed now)."""

    dropped: tuple[BackupInfo, ...]
    skipped: tuple[BackupInfo, ...] = ()

    def lines(self) -> list[str]:
        s = "s" * (len(self.dropped) != 1)
        out = [f"Dropped {len(self.dropped)} backup{s}, freeing {total(self.dropped)}."]
        if self.skipped:
            out.append(f"Left {len(self.skipped)} the preview listed: gone already, or needed by an apply made since.")
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "dropped": [i.to_dict() for i in self.dropped],
            "skipped": [i.to_dict() for i in self.skipped],
            "freed_bytes": sum(i.size or 0 for i in self.dropped),
        }


def purge(mg: Migrator, preview: PurgePreview) -> Purged:
    """Drop what `preview` lists, in one transaction under the migration lock. Each backup is
    judged again first: one an apply made since needs is left (unless the preview was forced)."""
    from workbench.migrations.engine import LOCK  # engine imports this module

    dropped, skipped = [], []
    with mg.conn.lock(LOCK, mg.lock_timeout):
        now = {i.backup.id: i for i in mg.backups()}
        with mg.conn.transaction(immediate=True):
            for info in preview.drops:
                current = now.get(info.backup.id)
                if current is None or (current.needed and not preview.force):
                    skipped.append(info)
                    continue
                mg.keeper.drop(current.backup)
                dropped.append(current)
    return Purged(tuple(dropped), tuple(skipped))


@dataclass(frozen=True)
class Vacuumed:
    """The database's size before and after giving free pages back (None: nothing to do here)."""

    before: int | None
    after: int | None

    def lines(self) -> list[str]:
        if self.before is None or self.after is None:
            return ["Nothing to vacuum: this database gives a dropped table's space back when it drops it."]
        return [f"Vacuumed: the database went from {size_text(self.before)} to {size_text(self.after)}."]

    def to_dict(self) -> dict[str, object]:
        return {"before_bytes": self.before, "after_bytes": self.after}


def vacuum(conn: Connection) -> Vacuumed:
    """Give the pages of dropped tables back to the file system where the backend keeps them
    (SQLite keeps them in the file until VACUUM), measuring the database before and after."""
    if not conn.capabilities.vacuum_shrinks:
        return Vacuumed(None, None)
    before = conn.database_size()
    conn.execute("VACUUM")
    return Vacuumed(before, conn.database_size())
