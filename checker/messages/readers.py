"""Messages: readers."""

MESSAGES: dict[str, dict[str, str]] = {
}
