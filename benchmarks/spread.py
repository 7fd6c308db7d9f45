"""Min / median / max of repeated timings, so a benchmark shows its noise and not one number.

Every benchmark times both sides `--runs` times, alternately, in one process; the ratio is taken
of the medians, and the spread is printed next to it so a reader can tell a real gap from noise.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence


def timed(action: Callable[[], object]) -> float:
    """Seconds `action` takes, once."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def ms(values: Sequence[float]) -> list[float]:
    """Seconds as milliseconds, for `shown(..., "ms")`."""
    return [v * 1000 for v in values]


def spread(values: Sequence[float]) -> dict[str, float]:
    """The three numbers of a series of timings (seconds or any unit), for JSON output."""
    if not values:
        raise ValueError("no timings to summarise")
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def shown(values: Sequence[float], unit: str = "s", digits: int = 3) -> str:
    """`0.412 s (min 0.398, max 0.455, 5 runs)`: the median first, then its spread."""
    s = spread(values)
    return f"{s['median']:.{digits}f} {unit} (min {s['min']:.{digits}f}, max {s['max']:.{digits}f}, {len(values)} runs)"


def ratio(ours: Sequence[float], floor: Sequence[float]) -> float:
    """Our median over the floor's median: the number a budget is judged by."""
    return statistics.median(ours) / statistics.median(floor)
