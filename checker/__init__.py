"""sopcheck: a rules-as-code compliance checker for government Standard Operating Procedures."""

__version__ = "0.1.0"
