"""The console: server-rendered Chinese pages (Jinja2 + HTMX), one module per feature."""
