"""Widgets of the workbench: small subclasses of Textual's, each in its own module."""
