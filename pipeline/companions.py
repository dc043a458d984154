"""Which image files in the raw folder are the table images of a web page saved
beside them, and the page packed with them for its reader (see page_bundle.py).

A crawler or a browser's "save page" keeps a page's images next to it: in the
page's folder, in ``<page>_files/``, or under the relative path the page gives.
Such an image is part of the page, not a report of its own: it is recorded as a
``page_image`` file and read (OCR) with its page. Only images inside the page's
own folder are taken (a ``src`` of ``../../x.png`` reaches nothing outside it).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from .page_bundle import is_bundle, pack, src_key

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"})
PAGE_SUFFIXES = frozenset({".html", ".htm", ".shtml"})
MAX_IMAGES = 30  # per page: a page's tables, not a photo gallery
MAX_PAGE_BYTES = 16 << 20  # a page read only to find its images
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I | re.S)
_SRC_ATTR = re.compile(r"""\s(?:data-src|data-original|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)

Read = Callable[[Path, int], tuple[bytes | None, str | None]]


def image_sources(page: bytes) -> list[str]:
    """The sources of every ``<img>`` of a page, in page order (the page's bytes are
    searched as Latin-1: the attribute syntax is ASCII in every encoding a page uses)."""
    found = []
    for tag in _IMG_TAG.finditer(page.decode("latin-1")):
        for m in _SRC_ATTR.finditer(tag.group(0)):  # all of src, data-src, data-original: lazy-loading pages
            raw = next(g for g in m.groups() if g is not None)
            found.append(html.unescape(_as_page_text(raw)))
    return found


def _as_page_text(raw: str) -> str:
    """A src found in Latin-1 back to the page's text (UTF-8, else GB18030)."""
    data = raw.encode("latin-1")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw


def _candidates(page: Path, src: str) -> list[Path]:
    key = src_key(src)
    if not key or key.startswith("data:"):
        return []
    name = PurePosixPath(key).name
    out = [] if "://" in key or key.startswith("/") else [page.parent / key]
    out += [page.parent / name, page.parent / f"{page.stem}_files" / name, page.parent / f"{page.stem}.files" / name]
    return [p for p in out if p.suffix.lower() in IMAGE_SUFFIXES]


def _inside(path: Path, folder: Path) -> bool:
    try:
        return os.path.commonpath([os.path.realpath(path), os.path.realpath(folder)]) == os.path.realpath(folder)
    except ValueError:
        return False


def images_of(page: Path, page_bytes: bytes) -> dict[str, Path]:
    """The page's images that are regular files inside its folder, by bundle key."""
    found: dict[str, Path] = {}
    for src in image_sources(page_bytes):
        key = src_key(src)
        if key in found or len(found) >= MAX_IMAGES:
            continue
        for path in _candidates(page, src):
            if path.is_file() and _inside(path, page.parent):
                found[key] = path
                break
    return found


def _images_within(folder: Path, depth: int) -> bool:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return False
    if any(Path(e.name).suffix.lower() in IMAGE_SUFFIXES for e in entries):
        return True
    return depth > 0 and any(e.is_dir() and _images_within(Path(e.path), depth - 1) for e in entries)


class PageImages:
    """For one run: which images belong to a page, found lazily, a folder at a time."""

    def __init__(self, read: Read, max_bytes: int) -> None:
        self._read = read
        self._max_bytes = max_bytes
        self._claimed: dict[str, str] = {}  # realpath of an image -> the page that shows it
        self._scanned: set[str] = set()
        self._has_images: dict[str, bool] = {}

    def page_of(self, image: Path) -> str | None:
        """The page an image file belongs to (a page in its folder or the one above), or None."""
        if image.suffix.lower() not in IMAGE_SUFFIXES:
            return None
        for folder in (image.parent, image.parent.parent):
            self._scan(folder)
        return self._claimed.get(os.path.realpath(image))

    def _scan(self, folder: Path) -> None:
        key = os.path.realpath(folder)
        if key in self._scanned:
            return
        self._scanned.add(key)
        try:
            entries = [e for e in os.scandir(folder) if Path(e.name).suffix.lower() in PAGE_SUFFIXES]
        except OSError:
            return
        for entry in entries:
            page = Path(entry.path)
            data, _problem = self._read(page, min(self._max_bytes, MAX_PAGE_BYTES))
            if data is not None:
                for path in images_of(page, data).values():
                    self._claimed.setdefault(os.path.realpath(path), str(page))

    def may_have_images(self, page: Path) -> bool:
        """Cheap, once per folder: is there any image file beside the page or in a folder
        beside it (``<page>_files/``, ``images/``)? Only such pages are searched for images."""
        if page.suffix.lower() not in PAGE_SUFFIXES:
            return False
        key = str(page.parent)
        if key not in self._has_images:
            self._has_images[key] = _images_within(page.parent, depth=1)
        return self._has_images[key]

    def with_images(self, page: Path, page_bytes: bytes) -> tuple[bytes, list[Path]]:
        """The page packed with the images it shows (its bytes unchanged when it shows
        none), and the image files taken. An unreadable image is left out: the reader
        then names it as an image it could not read."""
        images: dict[str, bytes] = {}
        taken: list[Path] = []
        for key, path in images_of(page, page_bytes).items():
            data, _problem = self._read(path, self._max_bytes)
            if data is not None:
                images[key] = data
                taken.append(path)
        # A page whose own bytes look packed is packed too, so that it comes back as it is.
        return (pack(page_bytes, images) if images or is_bundle(page_bytes) else page_bytes), taken
