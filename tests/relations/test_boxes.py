"""The box layout never draws a line or a box over another box, however tangled the schema."""

from __future__ import annotations

import pytest

from workbench.db.catalog import Catalog, Column, ForeignKey, PrimaryKey, Table
from workbench.relations.boxes import draw
from workbench.relations.graph import neighbourhood


def table(name: str, *refs: str) -> Table:
    columns = [Column("id", 1, "integer", nullable=False)]
    columns += [Column(f"{ref}_id", i + 2, "integer") for i, ref in enumerate(refs)]
    keys = tuple(ForeignKey(None, (f"{ref}_id",), "public", ref, ("id",), on_delete="CASCADE") for ref in refs)
    return Table("public", name, columns=tuple(columns), primary_key=PrimaryKey(None, ("id",)), foreign_keys=keys)


def tangled() -> Catalog:
    """A web: a hub with 30 spokes, chains both ways, cycles and a self-reference."""
    tables = [table("hub"), table("root"), table("self", "self")]
    tables += [table(f"spoke{i:02d}", "hub") for i in range(30)]
    tables += [table("a", "hub", "root"), table("b", "a", "hub"), table("c", "b", "a"), table("root2", "c")]
    return Catalog("sqlite", tables=tuple(tables))


def boxes_intact(lines: tuple[str, ...], targets) -> None:  # noqa: ANN001
    for target in targets:
        row = lines[target.row]
        assert row[target.start - 2] == "│", (target, row)
        assert lines[target.row - 1][target.start - 2] in "┌│", target


@pytest.mark.parametrize("centre", ["hub", "a", "b", "c", "self", "spoke07"])
@pytest.mark.parametrize("hops", [1, 2, 3, 4])
def test_every_box_keeps_its_frame_and_every_key_is_drawn_or_listed(centre: str, hops: int) -> None:
    catalog = tangled()
    graph = neighbourhood(catalog, catalog.table(centre), hops)
    drawing = draw(graph)
    boxes_intact(drawing.lines, drawing.targets)
    assert {t.key for t in drawing.targets} == {t.key for t in graph.tables}
    # each key is a labelled line or a note: as many lines + notes as keys, group lines standing for several
    assert sum(line.count("id · cascade") for line in drawing.lines) + len(drawing.notes) <= len(graph.edges)
    for edge in graph.edges:
        source, target = edge.source[1], edge.target[1]
        assert any(source in line for line in drawing.lines) and any(target in line for line in drawing.lines)


def test_the_hub_groups_the_tables_that_reference_it_the_same_way_into_one_box() -> None:
    catalog = tangled()
    drawing = draw(neighbourhood(catalog, catalog.table("hub"), 1))
    text = "\n".join(drawing.lines)
    # the thirty spokes, a and b all hold hub_id → hub.id on delete cascade: one box, one line
    assert "│ 32 tables" in text and text.count("┌") == 2
    # the group's line stands for all 32 keys; the one between two of its members is listed
    assert drawing.notes == ("b → a: a_id → id · on delete cascade",)
    # with two hops, a leads on (to c and root): it leaves the group to show them; b's are reached already
    two = draw(neighbourhood(catalog, catalog.table("hub"), 2))
    text = "\n".join(two.lines)
    assert "│ 31 tables" in text and "│ a " in text and "│ root " in text and "│ c " in text
    assert two.notes == ("b → a: a_id → id · on delete cascade", "c → b: b_id → id · on delete cascade")
