"""A web page with the table images saved beside it, as one blob of bytes.

Readers receive one file's bytes (so that a worker on another machine needs no
shared file system); a page whose tables are ``<img>`` files needs those files
too. The ingest step packs the page and the images it references into one blob,
which travels and is hashed like any file (a changed image is a changed report),
and the HTML reader unpacks it. A blob starts with a NUL byte, which no HTML page
does, so a plain page can never be taken for one.
"""

from __future__ import annotations

import json

from .model import ReportError

MAGIC = b"\x00ogi-page-with-images 1\n"


def pack(page: bytes, images: dict[str, bytes]) -> bytes:
    """The page and its images keyed by the ``src`` the page gives them."""
    names = sorted(images)
    index = json.dumps([len(page)] + [[n, len(images[n])] for n in names], ensure_ascii=False)
    return b"".join([MAGIC, index.encode("utf-8"), b"\n", page, *(images[n] for n in names)])


def is_bundle(data: bytes | None) -> bool:
    return data is not None and data.startswith(MAGIC)


def unpack(data: bytes) -> tuple[bytes, dict[str, bytes]]:
    """(page, images by src); a plain page comes back with no images."""
    if not data.startswith(MAGIC):
        return data, {}
    try:
        end = data.index(b"\n", len(MAGIC))
        index = json.loads(data[len(MAGIC):end].decode("utf-8"))
        at = end + 1
        page = data[at:at + int(index[0])]
        at += int(index[0])
        images = {}
        for name, size in index[1:]:
            images[str(name)] = data[at:at + int(size)]
            at += int(size)
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        raise ReportError(f"a file that starts like a packed page but is not one ({type(exc).__name__})") from None
    if at != len(data):
        raise ReportError("a file that starts like a packed page but is not one (its sizes do not add up)")
    return page, images


def src_key(src: str) -> str:
    """The key an ``<img src>`` is bundled under: without query and fragment, %-escapes
    decoded, so that the page's reader and the ingest step name an image alike."""
    from urllib.parse import unquote

    return unquote(src.strip().split("#")[0].split("?")[0])
