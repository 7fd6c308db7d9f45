"""The migration report: what a range of migrations changed, from every engine (see migration_report.py)."""
