"""Messages: core."""

MESSAGES: dict[str, dict[str, str]] = {
}
