"""Form templates, shipped with reportgen as package data."""
