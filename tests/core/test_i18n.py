"""Simplified Chinese by default, English on request; the catalogues are complete and compiled."""

import io
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "coordination" / "translations"
ZH = TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES"


def test_every_message_has_a_chinese_translation():
    catalog = read_po(io.BytesIO((ZH / "messages.po").read_bytes()))
    missing = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []


def test_the_compiled_catalogue_matches_the_source():
    source = read_po(io.BytesIO((ZH / "messages.po").read_bytes()))
    compiled = read_mo(io.BytesIO((ZH / "messages.mo").read_bytes()))
    assert {m.id: m.string for m in source if m.id} == {m.id: m.string for m in compiled if m.id}, (
        "run scripts/i18n.sh to compile the catalogue")


def test_pages_are_chinese_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert "金色纽带" in html and "成员单位" in html


def test_the_language_can_be_switched_to_english_and_back(client):
    response = client.get("/lang/en?next=/register")
    assert response.status_code == 302 and response.headers["Location"].endswith("/register")
    html = client.get("/register").get_data(as_text=True)
    assert '<html lang="en">' in html and "Create my account" in html
    client.get("/lang/zh_CN")
    assert "金色纽带" in client.get("/").get_data(as_text=True)


def test_the_language_switch_does_not_redirect_off_site(client):
    response = client.get("/lang/en?next=//evil.example/")
    assert response.headers["Location"] in ("/", "http://localhost/")


@pytest.mark.parametrize("field, message", [("username", "该字段是必填字段")])
def test_form_errors_are_in_chinese(client, field, message):
    from tests.conftest import csrf_token

    response = client.post("/login", data={"csrf_token": csrf_token(client), "username": "", "password": "x"})
    assert message in response.get_data(as_text=True)
