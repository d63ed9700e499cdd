"""QR codes drawn locally (no outside service): inline SVG for printed cards and the check-in
code of the day, or a ``data:`` URL for an ``<img>``."""

from __future__ import annotations

import base64
import io


def _svg_bytes(text: str) -> bytes:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def qr_svg(text: str) -> str:
    """``text`` as a QR code in inline SVG markup."""
    svg = _svg_bytes(text).decode("utf-8")
    return svg[svg.index("<svg"):]


def qr_data_uri(text: str) -> str:
    """``text`` as an SVG QR code, as a ``data:`` URL for an ``<img>``."""
    return "data:image/svg+xml;base64," + base64.b64encode(_svg_bytes(text)).decode("ascii")
