"""The migration engine: discovery, statement analysis and lint, ledger, backups, plan, apply, rollback.

Synchronous plain Python over `workbench.db` connections; the CLI and the TUI drive it, the TUI
from a worker thread with a progress callback (`progress.py`).
"""
