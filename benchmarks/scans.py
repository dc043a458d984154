"""Scanned renditions of a text PDF, as a copier or a phone makes them: pages
rasterised (pypdfium2), a slight rotation, grey paper with noise, JPEG artefacts,
then wrapped as an image-only PDF or kept as image files. Deterministic for a seed.
"""

from __future__ import annotations

import io
import random


def scanned_pages(pdf: bytes, dpi: int = 150, seed: int = 0, rotate: float = 0.4, noise: int = 18) -> list:
    """PIL images of the PDF's pages as a scanner would return them."""
    import pypdfium2
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    doc = pypdfium2.PdfDocument(pdf)
    pages = []
    for index in range(len(doc)):
        page = doc[index]
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        page.close()
        angle = rng.uniform(-rotate, rotate)
        image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        image = _paper(image, rng, noise).filter(ImageFilter.GaussianBlur(0.4))
        pages.append(image)
    doc.close()
    return pages


def _paper(image, rng: random.Random, noise: int):
    """Off-white paper and sensor noise (numpy when present, else a coarse Python pass)."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image, dtype=np.int16)
    gen = np.random.default_rng(rng.randrange(2**32))
    pixels = pixels - 12 + gen.integers(-noise, noise + 1, size=pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def image_pdf(pages: list) -> bytes:
    """An image-only PDF of the pages (no text layer), JPEG-compressed as scanners save them."""
    out = io.BytesIO()
    rgb = [p.convert("RGB") for p in pages]
    rgb[0].save(out, format="PDF", save_all=True, append_images=rgb[1:], resolution=150, quality=80)
    return out.getvalue()


def image_file(page, fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    page.convert("RGB").save(out, format=fmt, quality=85)
    return out.getvalue()
