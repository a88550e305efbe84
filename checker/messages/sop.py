"""Messages: sop."""

MESSAGES: dict[str, dict[str, str]] = {
}
