"""Which objects read which, told from the names their text mentions, and an order that honours it.

The catalog keeps a view's query and a function's body as text, not PostgreSQL's dependency
rows, so a view "reads" every object whose name appears as a word in its text. That errs on the
side of too many dependencies, which only ever drops and recreates a view more than needed: it
never leaves one in the way of a drop.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


def words(text: str | None) -> frozenset[str]:
    """The lower-cased identifiers in `text` (quoted names are words too)."""
    return frozenset(w.lower() for w in _WORD.findall(text or ""))


def mentions(text: str | None, names: Iterable[str]) -> bool:
    """Whether `text` mentions any of `names` as a word."""
    found = words(text)
    return any(n.lower() in found for n in names)


def closure(start: set[str], candidates: dict[str, str | None]) -> set[str]:
    """`start` and every candidate (name → text) whose text mentions one of them, transitively."""
    done = set(start)
    grew = True
    while grew:
        grew = False
        for name, text in candidates.items():
            if name not in done and mentions(text, {n.rpartition(".")[2] for n in done}):
                done.add(name)
                grew = True
    return done


def ordered(items: list[T], name: Callable[[T], str], text: Callable[[T], str | None]) -> list[T]:
    """`items` with each after the items its text mentions (`name`: "schema.name"; a cycle keeps
    the given order)."""
    by_key = {name(i).lower(): i for i in items}
    by_word: dict[str, list[str]] = {}
    for key in by_key:
        by_word.setdefault(key.rpartition(".")[2], []).append(key)
    out: list[T] = []
    placed: set[str] = set()

    def place(key: str, path: frozenset[str]) -> None:
        if key in placed or key in path:
            return
        for word in sorted(words(text(by_key[key])) & by_word.keys()):
            for dep in by_word[word]:
                if dep != key:
                    place(dep, path | {key})
        placed.add(key)
        out.append(by_key[key])

    for key in by_key:
        place(key, frozenset())
    return out
