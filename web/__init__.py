"""The dashboard and JSON API (FastAPI + Jinja2)."""
