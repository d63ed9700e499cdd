"""The home page and my page (``/me``)."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from coordination.core.notifications import unread_count
from coordination.evaluation import presenters as evaluation_presenters
from coordination.needs import permissions as need_permissions
from coordination.needs import queries as need_queries
from coordination.pledges import permissions as pledge_permissions
from coordination.pledges import queries as pledge_queries
from coordination.portal import queries
from coordination.portal.blueprint import bp


@bp.get("/")
def home():
    needs = queries.need_figures()
    extra = [(needs["needs"], _("needs raised")), (needs["supports"], _('"I need this too"'))]
    return render_template("portal/home.html", figures=queries.organisation_figures(), extra_figures=extra,
                           headline=queries.headline())


@bp.get("/me")
@login_required
def me():
    return render_template(
        "portal/me.html", user=current_user, my_needs=need_queries.my_needs(current_user),
        my_supported=need_queries.my_supported(current_user),
        notifications=queries.recent_notifications(current_user), unread=unread_count(current_user),
        need_permissions=need_permissions, my_surveys=evaluation_presenters.my_surveys(current_user)[0],
        my_pledges=pledge_queries.my_pledges(current_user), pledge_permissions=pledge_permissions)
