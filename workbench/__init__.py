"""Schema Workbench: browse, migrate, roll back, verify and measure use-case coverage of a database schema."""

__version__ = "0.1.0"
