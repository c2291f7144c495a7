"""The web edge: the console (`console/`, Jinja2 + HTMX) and the JSON API (`api/`), with shared helpers."""
