"""Tables pasted into a web page as pictures: OCR'd where the page shows them.

The image's bytes come with the page (page_bundle.py: the ingest step packs the
files saved beside the page) or inside it (a ``data:`` URI). An image is read
when it stands where a report table is missing: in the t1/t2/t3 section that has
no HTML table, or anywhere in a page without a single table. Its text lines and
grid go into the document where the ``<img>`` stands, so the headings above it
give its tables their section, and its cells keep their OCR scores.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass

from ..model import Document
from . import ocr
from .sections import DocumentBuilder

MIN_SIDE = 80  # px: icons, bullets and spacer GIFs are no tables
MAX_READ = 12  # images OCR'd in one page


@dataclass(slots=True)
class PageImage:
    section: str | None  # the page's section where the <img> stands (None: before the first heading)
    name: str  # for messages: the file name, else the alt text
    key: str  # bundle key (page_bundle.src_key), or the data: URI
    at: int  # index in doc.items where its content goes


def image_bytes(img: PageImage, bundled: dict[str, bytes]) -> bytes | None:
    if img.key.startswith("data:"):
        head, _, payload = img.key.partition(",")
        if not head.endswith(";base64"):
            return None
        try:
            return base64.b64decode(payload, validate=False)
        except (binascii.Error, ValueError):
            return None
    return bundled.get(img.key)


def to_read(images: list[PageImage], tables_in: set[str | None], any_table: bool) -> list[PageImage]:
    """The images that stand in for a missing table."""
    if not any_table:
        return images
    return [i for i in images if i.section in ("t1", "t2", "t3") and i.section not in tables_in]


def read_images(doc: Document, chosen: list[PageImage], bundled: dict[str, bytes]) -> list[PageImage]:
    """OCR the chosen images into ``doc`` at their places; returns those that were read."""
    read = []
    for n, img in sorted(enumerate(chosen[:MAX_READ], start=1), key=lambda t: -t[1].at):
        image = _open(image_bytes(img, bundled), img, doc)
        if image is None:
            continue
        sub = DocumentBuilder(doc.source_path, doc.file_format, "ocr")
        sub.section = img.section
        if ocr.add_page(sub, image, 1, f"img {n} ocr"):
            doc.items[img.at:img.at] = sub.doc.items
            doc.cell_confidence.update(sub.doc.cell_confidence)
            doc.warnings.extend(sub.doc.warnings)
            read.append(img)
    return read


def _open(data: bytes | None, img: PageImage, doc: Document):
    from PIL import Image, UnidentifiedImageError

    if not data:
        return None
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only: the size is known before decoding
        if min(image.size) < MIN_SIDE:
            return None
        if image.width * image.height > 60_000_000:
            doc.warnings.append(f"image {img.name}: too large to OCR ({image.width}×{image.height} px), not read")
            return None
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        doc.warnings.append(f"image {img.name}: not a readable image, not read")
        return None
    return image
