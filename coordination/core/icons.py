"""The icons the pages use, as one small SVG sprite.

Bootstrap-Flask ships every Bootstrap icon in one 1.1 MB sprite; the pages use a handful, so
``python -m coordination.core.icons`` copies just those symbols into
``static/img/icons.svg`` (a few kilobytes). A test fails when a template asks for an icon the
sprite lacks.
"""

from __future__ import annotations

import re
from pathlib import Path

import flask_bootstrap

from coordination.core import template_helpers

PACKAGE = Path(__file__).resolve().parent.parent
SPRITE = PACKAGE / "static" / "img" / "icons.svg"
FULL_SPRITE = Path(flask_bootstrap.__file__).resolve().parent / "static" / "bootstrap5" / "icons" / "bootstrap-icons.svg"
_USE = re.compile(r"""icon\(\s*['"]([a-z0-9-]+)['"]""")


def used_icons() -> set[str]:
    """Icon names used by the templates (``icon('bell')``) and the menus' tables."""
    names: set[str] = set()
    for template in PACKAGE.rglob("*.html"):
        names.update(_USE.findall(template.read_text("utf-8")))
    for table in (template_helpers.NAV_ITEMS, template_helpers.WORK_ITEMS, template_helpers.TAB_ITEMS):
        names.update(row[2] for row in table)
    return names


def sprite_icons(path: Path = SPRITE) -> set[str]:
    return set(re.findall(r'<symbol[^>]*\sid="([^"]+)"', path.read_text("utf-8")))


def build(names: set[str]) -> str:
    source = FULL_SPRITE.read_text("utf-8")
    symbols = {match.group(1): match.group(0)
               for match in re.finditer(r'<symbol[^>]*\sid="([^"]+)".*?</symbol>', source, re.S)}
    missing = sorted(names - symbols.keys())
    if missing:
        raise ValueError(f"unknown icons: {', '.join(missing)}")
    body = "".join(symbols[name] for name in sorted(names))
    return f'<svg xmlns="http://www.w3.org/2000/svg">{body}</svg>\n'


def write_sprite() -> int:
    names = used_icons()
    SPRITE.write_text(build(names), "utf-8")
    return len(names)


if __name__ == "__main__":
    print(f"{write_sprite()} icons written to {SPRITE}")
