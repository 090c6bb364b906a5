"""Print styles, shipped with reportgen as package data."""
