"""The related tips' rules, one module per concern, imported directly (nothing is re-exported)."""
