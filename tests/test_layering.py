"""The architecture, enforced: the import-linter contracts in pyproject.toml hold, and catch what
they are there to catch; and start-up stays lean (what a run of `workbench inspect` loads).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from workbench.db import connect

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# One back-edge of each kind the contracts exist for: an engine importing a command, a lazy
# import of the TUI inside a function of the check runner, and a relative import from db upward.
PLANTED = {
    "migrations/discovery.py": (
        "import workbench.commands.common\n",
        "workbench.migrations.discovery -> workbench.commands.common",
    ),
    "checks/runner.py": (
        "def _planted() -> None:\n    from workbench.tui.app import WorkbenchApp  # noqa: F401\n",
        "workbench.checks.runner -> workbench.tui.app",
    ),
    "db/catalog.py": (
        "from ..migrations import discovery  # noqa: F401\n",
        "workbench.db.catalog -> workbench.migrations.discovery",
    ),
}


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the package under `root`, with `root`'s pyproject.toml."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": ""},
    )


def test_the_import_contracts_hold() -> None:
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_contracts_catch_back_edges(tmp_path: Path) -> None:
    """A scratch copy of the package with one planted back-edge of each kind: each is reported."""
    shutil.copytree(ROOT / "workbench", tmp_path / "workbench", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for module, (line, _) in PLANTED.items():
        with (tmp_path / "workbench" / module).open("a", encoding="utf-8") as file:
            file.write("\n" + line)
    proc = lint_imports(tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert [edge for _, edge in PLANTED.values() if edge not in proc.stdout] == [], proc.stdout


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
