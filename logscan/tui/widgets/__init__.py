"""Widgets of the TUI, one per module; their styles live in the stylesheet of the screen
that uses them."""
