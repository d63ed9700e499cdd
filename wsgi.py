"""WSGI entry point for gunicorn: ``gunicorn wsgi:app`` (production settings by default)."""

import os

os.environ.setdefault("APP_ENV", "production")

from coordination import create_app  # noqa: E402

app = create_app()
