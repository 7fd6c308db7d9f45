"""The bundled booking sample's migrations: the surgical fixes of seed 001 (additive, drizzle
layout, no down script) and a destructive cleanup without down script, rolled back from backups."""

from __future__ import annotations

from pathlib import Path

from workbench.db import connect
from workbench.migrations.engine import Migrator
from tests.migrations.helpers import snapshot

SAMPLE = Path(__file__).resolve().parents[2] / "sample_dbs" / "booking"


def test_booking_sample_migrations_apply_and_roll_back_with_every_row(sqlite_url: str) -> None:
    conn = connect(sqlite_url)
    conn.execute_script((SAMPLE / "schema.sql").read_text())
    mg = Migrator(conn, SAMPLE / "migrations")
    assert [(m.version, m.name) for m in mg.migrations] == [("0003", "surgical_schema_fixes"), ("0004", "mvp_cleanup")]
    base = snapshot(conn)

    assert mg.up(to="0003").ok
    fixed = snapshot(conn)
    assert {"booking_order_private_notes", "queues", "seat_map_seats"} <= {t.name for t in fixed.catalog.tables}
    assert fixed.catalog.table("resources").column("is_mobile").default == "false"

    plan = mg.plan_up().migrations[0]
    assert {s.table for s in plan.steps if s.action == "backup"} >= {
        "main.booking_orders",
        "main.locations",
        "main.availability_rules",
    }
    assert mg.up().ok
    assert conn.query("SELECT count(*) FROM booking_order_private_notes").scalar() == 2445
    assert conn.introspect().table("booking_orders").column("notes") is None

    down = mg.plan_down(steps=1).migrations[0]
    assert down.method == "restore"
    assert mg.down(steps=1).ok
    assert fixed.differences(snapshot(conn)) == []
    assert mg.down(to="0").ok
    assert base.differences(snapshot(conn)) == []
