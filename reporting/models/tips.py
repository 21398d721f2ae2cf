"""Tips raised by residents, their evidence and their history (see DESIGN.md, reporting)."""
