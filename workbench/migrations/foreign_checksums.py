"""The checksums other migration tools keep of a migration file, computed their way.

Each reads the file's bytes as that tool does, so that an unchanged file matches what the tool
stored and an edited one does not: Flyway's CRC32 over the lines without their endings (a
signed 32-bit int), Prisma's and drizzle's sha256 of the file, sqitch's sha1 of the deploy
script. drizzle also stores the journal's `when` of each migration, read here.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from functools import lru_cache
from pathlib import Path

from workbench.migrations.discovery import JOURNAL, Migration


def flyway_checksum(path: Path) -> int:
    """Flyway's checksum: CRC32 of each line's UTF-8 bytes, BOM and line endings left out."""
    text = _bytes(path).decode("utf-8", errors="replace").removeprefix("\ufeff")
    crc = 0
    for line in re.split(r"\r\n|\r|\n", text):
        crc = zlib.crc32(line.encode(), crc)
    return crc - (1 << 32) if crc >= 1 << 31 else crc


def sha256_file(path: Path) -> str:
    return hashlib.sha256(_bytes(path)).hexdigest()


def sha1_file(path: Path) -> str:
    return hashlib.sha1(_bytes(path)).hexdigest()  # noqa: S324 - sqitch's own choice, not security


def drizzle_hash(m: Migration) -> str:
    return sha256_file(m.path)


def drizzle_when(m: Migration) -> int | None:
    """The journal's `when` (epoch milliseconds) of `m`, which drizzle stores as `created_at`."""
    journal = m.path.parent / JOURNAL
    try:
        stamp = journal.stat().st_mtime_ns
    except OSError:
        return None
    return _journal_whens(str(journal), stamp).get(m.path.stem)


@lru_cache(maxsize=8)
def _journal_whens(journal: str, _stamp: int) -> dict[str, int]:
    try:
        entries = json.loads(Path(journal).read_text(encoding="utf-8"))["entries"]
        return {str(e["tag"]): int(e["when"]) for e in entries if "when" in e}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
