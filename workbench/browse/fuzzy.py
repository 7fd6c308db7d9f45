"""Fuzzy name matching for the schema filter: type `bkord` to find `booking_orders`.

Greedy and linear in the name's length, so filtering 10,000 names on every keystroke stays in
the low milliseconds. A query matches when its characters appear in order; the score rewards
whole substrings, prefixes and starts of words, so the obvious hit sorts first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar
from collections.abc import Callable, Iterable

T = TypeVar("T")
_SEPARATORS = "_. -/$"


@dataclass(frozen=True)
class Match:
    score: float
    positions: tuple[int, ...]  # indexes of the matched characters in the text


def match(query: str, text: str) -> Match | None:
    """How well `query` matches `text` (case-insensitive), or None when it does not."""
    if not query:
        return Match(0.0, ())
    needle, hay = query.lower(), text.lower()
    at = hay.find(needle)
    if at >= 0:
        bonus = 3.0 if at == 0 else 2.0 if _word_start(text, at) else 1.0
        return Match(100.0 * bonus + len(needle) - len(hay) / 100, tuple(range(at, at + len(needle))))
    positions: list[int] = []
    score, start = 0.0, 0
    for ch in needle:
        at = hay.find(ch, start)
        if at < 0:
            return None
        if positions and at == positions[-1] + 1:
            score += 3
        elif _word_start(text, at):
            score += 2
        else:
            score += 0.5
        positions.append(at)
        start = at + 1
    return Match(score - len(hay) / 100, tuple(positions))


def rank(query: str, items: Iterable[T], key: Callable[[T], str]) -> list[tuple[T, Match]]:
    """Items matching `query`, best first; with an empty query, all items in their order."""
    found = [(item, m) for item in items if (m := match(query, key(item))) is not None]
    if query:
        found.sort(key=lambda pair: -pair[1].score)
    return found


def _word_start(text: str, i: int) -> bool:
    if i == 0:
        return True
    before, ch = text[i - 1], text[i]
    return before in _SEPARATORS or (before.islower() and ch.isupper()) or (not before.isdigit() and ch.isdigit())
