"""Browsing engines the TUI drives from its workers: data paging, export, outline, fuzzy filter.

Plain synchronous Python on top of the `Connection` protocol; nothing here imports Textual or
a database driver, so every behaviour is unit-tested on both backends without a terminal.
"""
