"""Translations looked up once per request.

Flask-Babel finds the locale, its name and the catalogue again for every string it
translates; a page translates a hundred or more (labels of states and kinds, menus, buttons).
``request_translations`` keeps the catalogue beside the locale it was found for (and so
follows ``flask_babel.refresh()``, which forgets the locale), and the templates' ``_`` and
the enums' lazy labels use it.
"""

from __future__ import annotations

from flask import current_app
from flask import has_request_context
from flask import request
from flask import session
from flask.globals import _cv_app
from flask_babel import get_locale
from flask_babel import get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup


def select_locale() -> str:
    """The request's language: the API's Accept-Language, else the one chosen, else the account's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/"):
        # The mobile app says which language it wants with Accept-Language.
        best = request.accept_languages.best_match(["zh-CN", "zh", "en"])
        return "en" if best == "en" else "zh_CN"
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def request_translations():
    """Flask-Babel's catalogue for the current request (or app context)."""
    app_context = _cv_app.get(None)
    context = getattr(app_context.g, "_flask_babel", None) if app_context is not None else None
    if context is None:
        return get_translations()
    found = getattr(context, "gr_translations", None)
    if found is not None and found[0] is getattr(context, "babel_locale", None):
        return found[1]
    translations = get_translations()
    context.gr_translations = (get_locale(), translations)
    return translations


def gettext(string: str, **variables) -> str:
    """``flask_babel.gettext``, through ``request_translations``."""
    text = request_translations().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    """``flask_babel.lazy_gettext``: translated each time it is shown, in the reader's language."""
    return LazyString(gettext, string, **variables)


@pass_context
def _template_gettext(context, string: str, **variables) -> str:
    """The templates' ``_`` and ``gettext``: what Jinja's new-style ``gettext`` does (the text
    marked safe where the template escapes, then formatted with its escaped variables, ``%%``
    becoming ``%``), in one call instead of three, and without formatting a text that has no
    ``%`` (formatting costs more than the rest together)."""
    text = request_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # nosec B704 - the catalogue's own text, as Jinja's gettext marks it
    return text % variables if variables or "%" in text else text


def install(jinja_env) -> None:
    """The templates' ``_``, ``gettext`` and ``ngettext`` (new-style, as Flask-Babel's)."""
    jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    # ``_`` would otherwise go through Jinja's alias, then its wrapper, then the lambda above.
    jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)
