"""Messages: cli."""

MESSAGES: dict[str, dict[str, str]] = {
}
