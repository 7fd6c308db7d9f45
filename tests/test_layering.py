"""The architecture, enforced: drivers only in workbench/db, Textual only in workbench/tui."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from workbench.db import connect

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"
DRIVERS = {"sqlite3", "psycopg", "psycopg_binary", "psycopg_pool"}
ABOVE_DB = tuple(f"workbench.{layer}." for layer in ("migrations", "checks", "coverage", "browse", "tui", "commands", "cli"))


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def imported_workbench_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {n for n in names if n.startswith("workbench.")}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_only_the_db_package_imports_drivers() -> None:
    leaks = [str(p.relative_to(PACKAGE)) for p in modules()
             if "db" not in p.relative_to(PACKAGE).parts[:1] and imported_roots(p) & DRIVERS]
    assert leaks == []


def test_the_db_package_imports_no_layer_above_it() -> None:
    """db is the bottom layer (shared DDL included): engines and the TUI build on it, not the reverse."""
    leaks = {
        str(p.relative_to(PACKAGE)): sorted(above)
        for p in modules()
        if p.relative_to(PACKAGE).parts[0] == "db"
        and (above := {m for m in imported_workbench_modules(p) if f"{m}.".startswith(ABOVE_DB)})
    }
    assert leaks == {}


def test_only_the_tui_imports_textual() -> None:
    leaks = [str(p.relative_to(PACKAGE)) for p in modules()
             if p.relative_to(PACKAGE).parts[0] != "tui" and "textual" in imported_roots(p)]
    assert leaks == []


def test_engines_load_without_textual_or_a_terminal() -> None:
    code = (
        "import sys, importlib\n"
        "for m in ['workbench.db', 'workbench.db.sqlite', 'workbench.db.postgres', 'workbench.project',"
        " 'workbench.cli', 'workbench.migrations', 'workbench.checks', 'workbench.coverage']:\n"
        "    importlib.import_module(m)\n"
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if m.startswith('textual'))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_sqlite_targets_do_not_load_psycopg(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom workbench.db import connect\n"
        f"connect({str(tmp_path / 'x.db')!r}, options={{'create': True}}).introspect()\n"
        "assert 'psycopg' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_inspect_loads_only_what_it_needs(tmp_path: Path) -> None:
    """`inspect --json` in a folder holding somebody else's pyproject.toml: no TUI, no rich, no
    SQL splitter, no TOML parser, no other driver — each costs every run start-up time."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "not-ours"\n')
    database = tmp_path / "x.db"
    code = (
        "import sys\nfrom workbench.cli import main\n"
        f"main(['inspect', {str(database)!r}, '--json'])\n"
        "heavy = ('textual', 'rich', 'sqlparse', 'pglast', 'tomllib', 'psycopg', 'hashlib', 'tempfile')\n"
        "sys.stderr.write(repr(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    connect(str(database), options={"create": True}).execute("CREATE TABLE t (id integer PRIMARY KEY)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert '"name": "t"' in proc.stdout or '"name":"t"' in proc.stdout
    assert proc.stderr == "[]"
