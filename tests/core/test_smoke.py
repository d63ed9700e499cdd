def test_home_page_shows_live_figures(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "金色纽带" in html or "Golden Ribbon" in html


def test_home_page_figures_are_live(client, db, api_token):
    from sqlalchemy import select

    from coordination.places.models import Place

    place = db.session.scalar(select(Place).where(Place.name == "福山居民区"))
    before = client.get("/").get_data(as_text=True)
    client.post("/api/v1/needs", headers=api_token("resident"), json={
        "kind": "wish", "title": "测试", "description": "测试", "place_id": place.id})
    after = client.get("/").get_data(as_text=True)
    assert before != after
    assert '<div class="figure-value">1</div>' in after
