"""Verification checks: check files, the expectation language, built-in checks, the read-only runner, reports.

`expectations` is shared with use-case scenarios (`workbench.coverage`); see its docstring.
"""
