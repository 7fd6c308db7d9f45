"""The actions of `workbench migrate`, with their one-line help.

Apart from `migrate.py` so that `workbench` can name them (`workbench statu` → did you mean
`workbench migrate status`?) without loading the migration engine.
"""

from __future__ import annotations

ACTIONS = {
    "status": "list migrations with their state (applied, pending, failed, drifted)",
    "plan": "show what up (or, with --down, a rollback) would do, without running anything",
    "up": "apply pending migrations (failed ones again) under a lock, backing up what can be lost; "
    "creates a SQLite file that does not exist yet",
    "down": "roll back the newest migrations: --to VERSION stays applied, or --steps N",
    "backups": "list backup tables, whether a rollback needs each and the space it takes; --purge drops the rest",
    "repair": "accept edited files of applied migrations as applied (after checking the edit)",
    "baseline": "mark migrations up to VERSION applied without running them (a database built another way)",
    "finalize": "mark applied migrations final: stop capturing writes for their rollback, free their backups",
    "new": "write the next migration in the project's layout: empty, or with --from-diff TARGET the SQL "
    "from the schema the migrations produce to TARGET's and back",
    "lint": "what each statement of the migrations locks, rewrites and risks, with the safe way; "
    "offline, or with TARGET ranked by its tables' rows",
}
