"""Golden Ribbon (金色纽带): a regional Party-building coordination platform."""

from __future__ import annotations

from flask import Flask

from coordination.config import load_config
from coordination.core.application import Application


def create_app(config=None) -> Flask:
    """The application factory: settings, extensions, blueprints, commands."""
    app = Application(__name__, instance_relative_config=True)
    load_config(app, config)

    from coordination import setup  # imports every domain: not on each `import coordination.x`

    setup.register_json(app)
    setup.register_proxy_fix(app)
    setup.register_database(app)
    setup.register_extensions(app)
    setup.register_i18n(app)
    setup.register_security(app)
    setup.register_static(app)
    setup.register_blueprints(app)
    setup.register_jobs(app)
    setup.register_error_handlers(app)
    setup.register_template_helpers(app)
    setup.register_page_cache(app)
    setup.register_commands(app)
    return app
