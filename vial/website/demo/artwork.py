"""Soft abstract artwork in the site palette, generated with Pillow (no stock photos, no downloads).

Each picture is seeded by a slug, so the same slug always gives the same picture and every treatment
gets its own composition. Pictures are drawn at half size and scaled up: the shapes are soft, so
nothing is lost and the demo loads quickly.
"""

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont

GROUND = (0xFB, 0xF8, 0xF3)
TINT = (0xF2, 0xEC, 0xE3)
ACCENT = (0x0D, 0x5C, 0x58)
WARM = (0xB0, 0x6D, 0x3B)

ARTWORK_SIZE = (1200, 800)
BADGE_SIZE = 256
_DRAW_SCALE = 2  # draw at 1/2 size, then scale up

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Artwork:
    png: bytes
    width: int
    height: int
    description: str


def mix(a: Colour, b: Colour, t: float) -> Colour:
    """A colour part-way from a to b (t = 0..1)."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _rng(seed: str) -> random.Random:
    return random.Random(f"vial-artwork:{seed}")  # noqa: S311 - decorative randomness, not security


def _ground(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A gentle wash from the ground colour to the tint, at a random angle."""
    side = math.ceil(math.hypot(*size)) + 2  # big enough that the rotated square covers the picture
    gradient = Image.linear_gradient("L").resize((side, side), Image.Resampling.BILINEAR)
    gradient = gradient.rotate(rng.uniform(0, 360), resample=Image.Resampling.BILINEAR)
    left, top = (side - size[0]) // 2, (side - size[1]) // 2
    gradient = gradient.crop((left, top, left + size[0], top + size[1]))
    base = Image.composite(Image.new("RGB", size, TINT), Image.new("RGB", size, GROUND), gradient)
    return base.convert("RGBA")


def _layer(size: tuple[int, int], colour: Colour) -> Image.Image:
    """A transparent layer whose hidden colour matches what is drawn on it, so blurred edges stay clean."""
    return Image.new("RGBA", size, (*colour, 0))


def _blend_soft(base: Image.Image, layer: Image.Image, radius: float) -> Image.Image:
    """Blur what was drawn on `layer` (only around it, for speed) and lay it over `base`."""
    box = layer.getbbox()
    if box is None:
        return base
    margin = math.ceil(radius * 3)
    left, top = max(0, box[0] - margin), max(0, box[1] - margin)
    right, bottom = min(base.width, box[2] + margin), min(base.height, box[3] + margin)
    patch = layer.crop((left, top, right, bottom)).filter(ImageFilter.GaussianBlur(radius))
    base.alpha_composite(patch, dest=(left, top))
    return base


# Pillow's radial gradient is 0 at the centre and 181 at the middle of each edge (255 in the corners).
_RADIAL_EDGE = 181


def _soft_disc(base: Image.Image, centre: tuple[float, float], radius: float, colour: Colour, alpha: float):
    """A disc that fades from `alpha` at its centre to nothing at its edge."""
    diameter = max(2, int(radius * 2))
    falloff = Image.radial_gradient("L").point(lambda v: int(255 * alpha * max(0.0, 1 - v / _RADIAL_EDGE) ** 1.4))
    tile = Image.new("RGBA", (diameter, diameter), (*colour, 0))
    tile.putalpha(falloff.resize((diameter, diameter), Image.Resampling.BILINEAR))
    layer = _layer(base.size, colour)
    layer.paste(tile, (int(centre[0] - radius), int(centre[1] - radius)))
    return Image.alpha_composite(base, layer)


def _arcs(base: Image.Image, rng: random.Random, count: int, colour: Colour) -> Image.Image:
    """Thin concentric arcs, like ripples, around a point near the edge."""
    width, height = base.size
    cx, cy = rng.uniform(0.55, 1.0) * width, rng.uniform(0.0, 1.0) * height
    layer = _layer(base.size, colour)
    draw = ImageDraw.Draw(layer)
    start = rng.uniform(0, 360)
    for i in range(count):
        r = height * (0.25 + 0.12 * i)
        sweep = rng.uniform(70, 160)
        draw.arc(
            (cx - r, cy - r, cx + r, cy + r),
            start + i * 9,
            start + i * 9 + sweep,
            fill=(*colour, int(150 - 18 * i)),
            width=3,
        )
    return _blend_soft(base, layer, 0.6)


def _orbits(base: Image.Image, rng: random.Random) -> tuple[Image.Image, str]:
    width, height = base.size
    for _ in range(rng.randint(4, 7)):
        colour = rng.choice([ACCENT, WARM, mix(ACCENT, WARM, 0.5), TINT])
        centre = (rng.uniform(0, width), rng.uniform(0, height))
        base = _soft_disc(base, centre, rng.uniform(0.25, 0.6) * height, colour, rng.uniform(0.35, 0.75))
    base = _arcs(base, rng, rng.randint(2, 4), rng.choice([ACCENT, WARM]))
    return base, "overlapping soft circles with fine ripple lines"


def _dunes(base: Image.Image, rng: random.Random) -> tuple[Image.Image, str]:
    width, height = base.size
    sun = (rng.uniform(0.2, 0.8) * width, rng.uniform(0.15, 0.4) * height)
    base = _soft_disc(base, sun, rng.uniform(0.18, 0.3) * height, WARM, 0.7)
    bands = rng.randint(3, 5)
    for i in range(bands):
        colour = mix(TINT, ACCENT, 0.85 * (i + 1) / bands)
        layer = _layer(base.size, colour)
        level = height * (0.45 + 0.12 * i)
        amplitude, frequency, phase = rng.uniform(12, 40), rng.uniform(1.0, 2.5), rng.uniform(0, math.tau)
        points = [
            (x, level + amplitude * math.sin(frequency * math.tau * x / width + phase)) for x in range(0, width + 8, 8)
        ]
        ImageDraw.Draw(layer).polygon([*points, (width, height), (0, height)], fill=(*colour, 100 + 20 * i))
        base = _blend_soft(base, layer, 1.5)
    return base, "layered gentle waves beneath a warm sun"


def _ellipse_points(centre, radii, angle: float, steps: int = 48) -> list[tuple[float, float]]:
    """Outline of an ellipse turned by `angle` degrees about `centre` (cheaper than rotating a layer)."""
    (cx, cy), (rx, ry), turn = centre, radii, math.radians(angle)
    cos_turn, sin_turn = math.cos(turn), math.sin(turn)
    points = []
    for step in range(steps):
        t = math.tau * step / steps
        x, y = rx * math.cos(t), ry * math.sin(t)
        points.append((cx + x * cos_turn - y * sin_turn, cy + x * sin_turn + y * cos_turn))
    return points


def _petals(base: Image.Image, rng: random.Random) -> tuple[Image.Image, str]:
    width, height = base.size
    centre = (rng.uniform(0.35, 0.65) * width, rng.uniform(0.35, 0.65) * height)
    base = _soft_disc(base, centre, height * 0.55, TINT, 0.9)
    count = rng.randint(5, 9)
    length, breadth = height * rng.uniform(0.14, 0.2), height * rng.uniform(0.09, 0.15)
    turn = rng.uniform(0, 360)
    for i in range(count):
        colour = ACCENT if i % 2 else WARM
        angle = turn + i * 360 / count
        # Each petal's middle sits `length` from the flower's centre, pointing outwards.
        middle = (
            centre[0] + length * math.cos(math.radians(angle)),
            centre[1] + length * math.sin(math.radians(angle)),
        )
        layer = _layer(base.size, colour)
        ImageDraw.Draw(layer).polygon(_ellipse_points(middle, (length, breadth), angle), fill=(*colour, 70))
        base = _blend_soft(base, layer, 2)
    return _soft_disc(base, centre, breadth * 0.9, GROUND, 0.9), "a loose flower of translucent petals"


COMPOSITIONS: list[Callable[[Image.Image, random.Random], tuple[Image.Image, str]]] = [_orbits, _dunes, _petals]


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


def artwork(seed: str, size: tuple[int, int] = ARTWORK_SIZE) -> Artwork:
    """A deterministic abstract picture for `seed` (usually a page slug)."""
    rng = _rng(seed)
    small = (size[0] // _DRAW_SCALE, size[1] // _DRAW_SCALE)
    composition = COMPOSITIONS[rng.randrange(len(COMPOSITIONS))]
    picture, motif = composition(_ground(small, rng), rng)
    picture = picture.convert("RGB").resize(size, Image.Resampling.BICUBIC)
    description = f"Abstract artwork: {motif}, in deep teal and warm copper on a soft cream ground."
    return Artwork(_png(picture), size[0], size[1], description)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError, ImportError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def badge(label: str, *, award: bool = False) -> Artwork:
    """A round medallion with a short label ('CQC', '2023'), on a transparent background."""
    rng = _rng(f"badge:{label}")
    big = BADGE_SIZE * 2  # draw large and scale down for smooth edges
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    outer, inner = (WARM, ACCENT) if award else (ACCENT, WARM)
    draw.ellipse((8, 8, big - 8, big - 8), fill=(*outer, 255))
    draw.ellipse((40, 40, big - 40, big - 40), outline=(*GROUND, 255), width=6)
    start = rng.uniform(0, 360)
    draw.arc((64, 64, big - 64, big - 64), start, start + 220, fill=(*inner, 255), width=14)
    text_size = 132 if len(label) <= 3 else int(132 * 3.4 / len(label))
    draw.text((big / 2, big / 2), label, font=_font(text_size), fill=(*GROUND, 255), anchor="mm")
    image = image.resize((BADGE_SIZE, BADGE_SIZE), Image.Resampling.LANCZOS)
    kind = "award rosette" if award else "register badge"
    return Artwork(_png(image), BADGE_SIZE, BADGE_SIZE, f"Round {kind} reading {label}.")
