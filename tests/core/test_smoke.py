def test_home_page_shows_live_figures(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "金色纽带" in html or "Golden Ribbon" in html
