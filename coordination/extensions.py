"""Flask extensions, created once and initialised by ``create_app``."""

from flask import request
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_caching import Cache
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from coordination.core.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
talisman = Talisman()
limiter = Limiter(key_func=get_remote_address)
cache = Cache()
compress = Compress()


def client_address() -> str:
    """The address used for per-address limits (ProxyFix sets it behind a proxy)."""
    return request.remote_addr or "unknown"
