"""Simplified Chinese by default, English on request; the catalogues are complete and compiled."""

import io
import subprocess
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "coordination" / "translations"
ZH = TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES"
EN = TRANSLATIONS / "en" / "LC_MESSAGES"
ROOT = TRANSLATIONS.parents[1]


def _catalogue(folder: Path, name: str = "messages.po"):
    return read_po(io.BytesIO((folder / name).read_bytes()))


def _key(message) -> tuple:
    """A message's identity: its context and msgid (the singular for a plural entry)."""
    msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
    return message.context, msgid


def _strings(message) -> tuple:
    value = message.string
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def test_every_message_has_a_chinese_translation():
    """Singular and every plural form, none fuzzy (a fuzzy entry is a guess nobody checked)."""
    catalog = _catalogue(ZH)
    plurals = catalog.num_plurals
    missing = [m.id for m in catalog if m.id and not all(_strings(m))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    wrong_forms = [m.id for m in catalog if m.id and m.pluralizable and len(_strings(m)) != plurals]
    assert (missing, fuzzy, wrong_forms) == ([], [], [])


def test_both_catalogues_hold_every_message_of_the_code(tmp_path):
    """Extract the strings afresh: a string added to the code but not to the catalogues (or left
    in them after it went away) fails here, in either language."""
    template = tmp_path / "messages.pot"
    subprocess.run([str(ROOT / ".venv" / "bin" / "pybabel"), "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_gettext", "--no-location", "-o", str(template), "."],
                   cwd=ROOT, check=True, capture_output=True)
    code = {_key(m) for m in read_po(io.BytesIO(template.read_bytes())) if m.id}
    for folder in (ZH, EN):
        catalog = _catalogue(folder)
        held = {_key(m) for m in catalog if m.id}
        assert sorted(code - held, key=str) == [], f"{folder.parent.name}: run scripts/i18n.sh"
        assert sorted(held - code, key=str) == [], f"{folder.parent.name}: run scripts/i18n.sh"
        assert [m.id for m in catalog if m.id and m.fuzzy] == [], folder.parent.name


@pytest.mark.parametrize("folder", [ZH, EN], ids=["zh_Hans_CN", "en"])
def test_the_compiled_catalogue_matches_the_source(folder):
    source = _catalogue(folder)
    compiled = read_mo(io.BytesIO((folder / "messages.mo").read_bytes()))
    # What pybabel compiles: every translated entry, and every plural entry, whose empty forms
    # fall back to the msgid's (the English catalogue leaves them empty).
    translated = {_key(m): tuple(text or m.id[min(i, 1)] for i, text in enumerate(_strings(m)))
                  if m.pluralizable else _strings(m) for m in source if m.id and m.string}
    assert translated == {_key(m): _strings(m) for m in compiled if m.id}, (
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


@pytest.mark.parametrize(("source", "shown"), [
    ("{{ _('Needs menu') }}", "需求菜单"),
    ("{{ _('%(name)s needs this', name='<b>王</b>') }}", "&lt;b&gt;王&lt;/b&gt; needs this"),
    ("{{ _('100%% of them') }}", "100% of them"),
    ("{% autoescape false %}{{ _('%(name)s needs this', name='<b>') }}{% endautoescape %}", "<b> needs this"),
])
def test_a_template_translates_escapes_and_formats_as_jinja_does(app, source, shown):
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        assert app.jinja_env.from_string(source).render() == shown
