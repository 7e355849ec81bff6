"""Share pictures (1200 × 630) for links to pages without a picture of their own.

Drawn with Pillow from text alone: the page's title, up to two lines below it (date and time,
the network) and the portal's mark. The fonts are the DejaVu fonts the Docker image installs for
the programme PDF (SHARE_FONT_DIR); without them Pillow's own font.
"""

import functools
import io
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 630)
PETROL = (0, 94, 110)
INK = (27, 36, 50)
PAPER = (255, 255, 255)
ACCENT = (240, 180, 40)
MARGIN = 72


@functools.lru_cache(maxsize=16)
def _font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = Path(settings.SHARE_FONT_DIR) / name
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _wrap(draw, text, font, width, max_lines):
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(f"{last} …", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = f"{last} …"
    return lines


def share_card_png(*, title, lines=(), kicker=""):
    """The PNG bytes of a share picture."""
    card = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 24, SIZE[1]), fill=PETROL)
    # The portal's mark: a clock face in petrol with the accent hand, and the name beside it.
    draw.ellipse((MARGIN, MARGIN, MARGIN + 64, MARGIN + 64), outline=PETROL, width=8)
    draw.line((MARGIN + 32, MARGIN + 32, MARGIN + 32, MARGIN + 14), fill=ACCENT, width=7)
    draw.line((MARGIN + 32, MARGIN + 32, MARGIN + 47, MARGIN + 40), fill=PETROL, width=7)
    draw.text((MARGIN + 88, MARGIN + 10), "Netzwerk-Timer Thüringen", font=_font(36, bold=True), fill=PETROL)
    y = MARGIN + 120
    if kicker:
        draw.text((MARGIN, y), kicker, font=_font(30), fill=INK)
        y += 52
    title_font = _font(60, bold=True)
    for line in _wrap(draw, title, title_font, SIZE[0] - 2 * MARGIN, 3):
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += 74
    y += 16
    for text in lines:
        if not text:
            continue
        for line in _wrap(draw, text, _font(34), SIZE[0] - 2 * MARGIN, 1):
            draw.text((MARGIN, y), line, font=_font(34), fill=PETROL)
            y += 48
    buffer = io.BytesIO()
    card.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
