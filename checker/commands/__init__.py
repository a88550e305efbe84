"""One module per command; each exposes `command` (a click command). Registered in checker.cli."""
