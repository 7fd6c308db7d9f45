"""The console engine: ad-hoc statements run with a prior backup, kept in a change journal, undone exactly.

`statements.classify` says what each statement of a script does (read, rows, truncate, ddl,
other) and which tables it writes, as the backend's own parser reads it. `session.Console`
previews a change (rows at stake, what backup it takes) and runs it with that backup in one
transaction, writing a journal entry (`journal.py`). `undo.undo` puts the rows back, or refuses
when they were changed again since. Everything lives with the workbench's own objects (`store.py`).
"""
