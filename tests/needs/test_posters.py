"""Posters for the notice boards (扫码提需求): staff print one per community or building (or all of
an area); its QR code opens the need form with the place filled in, also after logging in."""

from __future__ import annotations

import re

from sqlalchemy import select

from coordination.places.models import Place
from tests.conftest import csrf_token


def selected_place(html: str) -> str | None:
    select_html = re.search(r'<select[^>]*name="place_id".*?</select>', html, re.S).group(0)
    found = re.search(r'<option selected value="(\d+)"|<option value="(\d+)" selected', select_html)
    return (found.group(1) or found.group(2)) if found else None


def test_staff_print_a_poster_whose_code_opens_the_form_with_the_place(client_as, places):
    staff = client_as("staff")
    building = places["建工大厦"]
    response = staff.get(f"/needs/poster/{building}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "扫码提需求" in html and "建工大厦" in html and "打开微信或手机相机，扫一扫上面的二维码。" in html
    assert html.count('<div class="poster-qr"><svg') == 1  # the QR code, drawn on the page
    assert f"http://localhost/needs/new?place_id={building}" in html
    assert "css/poster.css" in html

    listing = staff.get("/needs/posters").get_data(as_text=True)
    assert f'href="/needs/poster/{building}"' in listing and "打印本片区全部海报" in listing
    assert 'href="/needs/posters"' in staff.get("/me").get_data(as_text=True)  # in the workbench menu


def test_an_area_prints_one_poster_for_each_of_its_places(client_as, db):
    area = db.session.scalar(select(Place).where(Place.name == "建工片区"))
    html = client_as("staff").get(f"/needs/poster/{area.id}").get_data(as_text=True)
    active = [p for p in area.places if p.active]
    assert len(active) > 1 and html.count('class="poster"') == len(active)
    for place in active:
        assert f"needs/new?place_id={place.id}" in html


def test_only_staff_print_posters(client, client_as, places):
    building = places["建工大厦"]
    for role in ("resident", "worker", "unit_rep", "admin"):
        assert client_as(role).get(f"/needs/poster/{building}").status_code == 403, role
        assert client_as(role).get("/needs/posters").status_code == 403, role
    assert client.get(f"/needs/poster/{building}").status_code == 302
    assert client_as("staff").get("/needs/poster/999999").status_code == 404


def test_the_need_form_takes_the_place_from_the_poster(client, client_as, places, db):
    building = places["建工大厦"]
    resident = client_as("resident")  # lives in 福山居民区, but stands in front of the building's notice board
    assert selected_place(resident.get(f"/needs/new?place_id={building}").get_data(as_text=True)) == str(building)
    assert selected_place(resident.get("/needs/new").get_data(as_text=True)) == str(places["福山居民区"])
    area = db.session.scalar(select(Place.id).where(Place.name == "建工片区"))
    for wrong in (area, 999999, "abc"):  # not a community or building: the person's own place
        html = resident.get(f"/needs/new?place_id={wrong}").get_data(as_text=True)
        assert selected_place(html) == str(places["福山居民区"])

    # Someone not logged in scans the code: after logging in the form has the place.
    target = f"/needs/new?place_id={building}"
    response = client.get(target)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    login = client.post(response.headers["Location"], data={
        "username": "worker", "password": "Ribbon-2026", "csrf_token": csrf_token(client, "/login")})
    assert login.status_code == 302 and login.headers["Location"] == target
    assert selected_place(client.get(target).get_data(as_text=True)) == str(building)
