"""Messages any screen may post for the app to route, so no screen reaches into another's widgets."""

from __future__ import annotations

from textual.message import Message


class SchemaChanged(Message):
    """Something changed the database's schema or rows (an apply, a rollback, a restore).

    The app reads the catalog again; every screen watching `app.catalog` follows (Browse's tree,
    Verify's plan, Coverage, the Migrations list and the header's migration summary).
    """
