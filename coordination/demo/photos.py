"""Small drawn photos for the demo's needs and progress reports (Pillow, no files shipped):
a street scene of buildings, trees, people and a golden ribbon, different for each seed."""

from __future__ import annotations

import io
import random

from PIL import Image
from PIL import ImageDraw

SKIES = [(173, 208, 235), (200, 222, 240), (236, 214, 190), (190, 214, 200)]
WALLS = [(214, 196, 170), (190, 190, 196), (222, 208, 188), (176, 160, 150), (236, 232, 222)]
CLOTHES = [(178, 34, 34), (30, 90, 160), (60, 130, 80), (230, 170, 40), (120, 80, 150)]


def drawn_photo(seed: int, width: int = 480, height: int = 320) -> bytes:
    """A JPEG of a few kilobytes, stored by the app like any uploaded photo."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), rng.choice(SKIES))
    draw = ImageDraw.Draw(image)
    ground = int(height * 0.72)
    draw.rectangle([0, ground, width, height], fill=(150, 150, 140))
    x = -rng.randint(0, 30)
    while x < width:
        w, h = rng.randint(50, 110), rng.randint(90, ground - 20)
        wall = rng.choice(WALLS)
        draw.rectangle([x, ground - h, x + w, ground], fill=wall, outline=(120, 110, 100))
        for wy in range(ground - h + 12, ground - 18, 22):
            for wx in range(x + 8, x + w - 14, 18):
                lit = rng.random() < 0.3
                draw.rectangle([wx, wy, wx + 9, wy + 12], fill=(250, 226, 140) if lit else (110, 130, 150))
        x += w + rng.randint(4, 16)
    for _tree in range(rng.randint(2, 5)):
        tx = rng.randint(10, width - 10)
        draw.rectangle([tx - 3, ground - 30, tx + 3, ground + 4], fill=(110, 80, 50))
        draw.ellipse([tx - 18, ground - 62, tx + 18, ground - 24], fill=(70, 140, 70))
    for _person in range(rng.randint(3, 9)):
        px, py = rng.randint(10, width - 10), rng.randint(ground + 20, height - 12)
        draw.ellipse([px - 5, py - 34, px + 5, py - 24], fill=(240, 205, 170))
        draw.rectangle([px - 6, py - 24, px + 6, py - 4], fill=rng.choice(CLOTHES))
        draw.line([px - 3, py - 4, px - 4, py + 8], fill=(60, 60, 70), width=3)
        draw.line([px + 3, py - 4, px + 4, py + 8], fill=(60, 60, 70), width=3)
    ribbon_y = rng.randint(24, 60)
    draw.line([0, ribbon_y, width // 3, ribbon_y + 14, 2 * width // 3, ribbon_y - 8, width, ribbon_y + 6],
              fill=(212, 160, 23), width=7, joint="curve")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()
