"""Posters for the notice boards (扫码提需求): one A4 poster per residential community or office
building with a big QR code that opens the need form with the place filled in; staff print them
one by one or all of an area at once. (A portal page: it joins the places, the needs form and the
evaluation's QR drawing.)"""

from __future__ import annotations

from flask import abort
from flask import render_template
from flask import request
from flask import url_for

from coordination.core.enums import Role
from coordination.core.permissions import roles_required
from coordination.core.qr import qr_svg
from coordination.extensions import db
from coordination.places import queries as places
from coordination.places.models import Place
from coordination.portal.blueprint import bp


@bp.get("/needs/posters")
@roles_required(Role.STAFF)
def posters():
    """The posters to print, area by area."""
    return render_template("portal/posters.html", areas=places.areas_with_places())


@bp.get("/needs/poster/<int:place_id>")
@roles_required(Role.STAFF)
def poster(place_id: int):
    """The poster of a community or building; of an area: one page for each of its places."""
    place = db.session.get(Place, place_id)
    if place is None or not place.active:
        abort(404)
    shown = [p for p in place.places if p.active] if place.is_area else [place]
    site = request.host_url.rstrip("/")
    sheets = []
    for each in shown:
        link = site + url_for("needs.new", place_id=each.id)
        sheets.append({"place": each, "link": link, "qr": qr_svg(link)})
    return render_template("portal/poster.html", place=place, sheets=sheets)
