"""The SOP: its model (pure), and loading it from YAML with positions and JSON Schema checks."""
