"""Web console (预警指令) and JSON API, server-rendered with Jinja2 and refreshed live with HTMX."""
