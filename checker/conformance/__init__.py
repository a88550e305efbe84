"""The audit: exact alignment and the checks of every perspective. Pure core; see engine.py."""
