"""What the editor offers to complete a word with: the catalog's names and SQL's keywords.

The catalog is the one the app already loaded, so completing costs no query. Candidates are
ranked: a name starting with the typed word first (shorter first), then one containing it;
after `name.` only what lives in that schema or table is offered.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.db.catalog import Catalog

KEYWORDS = tuple(
    """select from where group by order having limit offset join left right full inner outer cross on using
    as and or not null is in exists between like ilike case when then else end distinct union all intersect
    except insert into values update set delete returning with recursive create table view index drop alter
    add column primary key foreign references unique check default constraint cascade begin commit rollback
    explain analyze count sum avg min max coalesce cast true false asc desc nulls first last truncate""".split()
)


@dataclass(frozen=True)
class Candidate:
    text: str
    kind: str  # keyword, schema, table, view, column, function


def candidates(catalog: Catalog | None) -> list[Candidate]:
    """Every name worth offering, once each (schemas, relations, columns, functions), then keywords."""
    found: dict[tuple[str, str], Candidate] = {}

    def add(text: str, kind: str) -> None:
        found.setdefault((text, kind), Candidate(text, kind))

    if catalog is not None:
        for table in catalog.tables:
            add(table.schema, "schema")
            add(table.name, "table")
            for column in table.columns:
                add(column.name, "column")
        for view in catalog.views:
            add(view.name, "view")
            for column in view.columns:
                add(column.name, "column")
        for function in catalog.functions:
            add(function.name, "function")
    return [*found.values(), *(Candidate(k, "keyword") for k in KEYWORDS)]


def members(catalog: Catalog | None, owner: str) -> list[Candidate]:
    """What may follow `owner.`: the relations of a schema, or the columns of a table or view."""
    if catalog is None:
        return []
    out: list[Candidate] = []
    for table in catalog.tables:
        if table.schema == owner:
            out.append(Candidate(table.name, "table"))
        if table.name == owner:
            out.extend(Candidate(c.name, "column") for c in table.columns)
    for view in catalog.views:
        if view.schema == owner:
            out.append(Candidate(view.name, "view"))
        if view.name == owner:
            out.extend(Candidate(c.name, "column") for c in view.columns)
    return out


def complete(word: str, pool: list[Candidate], limit: int = 30) -> list[Candidate]:
    """The candidates for the typed `word` (any case), best first."""
    needle = word.lower()
    starts = [c for c in pool if c.text.lower().startswith(needle) and c.text.lower() != needle]
    inside = [c for c in pool if needle and needle in c.text.lower()[1:] and c not in starts]
    starts.sort(key=lambda c: (c.kind == "keyword", len(c.text), c.text))
    return (starts + inside)[:limit]
