"""OCR of page images (scanned PDF pages, image files, tables pasted as images)
into the same text blocks and grids every reader produces.

rapidocr (PP-OCR models inside the wheel: nothing is downloaded) finds one box
per text line or cell. The table grid comes from the image itself: ruling lines
found by morphology give the rows, the columns and the merged cells (a missing
border between two grid cells merges them, and the text of a merged cell sits in
its top-left position, as pdfplumber gives it); a page without ruling lines gets
its grid from the alignment of the boxes (:mod:`.ocr_grid`). What OCR read is
not trusted blindly: every cell keeps its recognition score, a cell with ink but
no text read is reported, never filled in.

Optional: ``pip install 'ogi[ocr]'``. Without it the file is quarantined with
that advice.
"""

from __future__ import annotations

import multiprocessing
import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from ..model import ReportError, TimeLimit

OCR_ADVICE = "OCR needs the optional extra: pip install 'ogi[ocr]' (rapidocr + onnxruntime)"
DPI = 200  # what a scanned page is rasterised at: 150-200 dpi read every number of the seeds


@dataclass(frozen=True, slots=True)
class Box:
    text: str
    score: float
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


def available() -> bool:
    try:
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return os.environ.get("OGI_OCR", "on") != "off"


def require() -> None:
    if not available():
        if os.environ.get("OGI_OCR") == "off":
            raise ReportError("no text layer (scanned image) and OCR is off (--no-ocr)")
        raise ReportError(f"no text layer (scanned image): {OCR_ADVICE}")


_PAGE_THREAD = "ogi-ocr-page"  # the threads reading one file's pages side by side (read_pages)


def _engine(lines_only: bool = False):
    """The OCR engine; ``lines_only``: recognition alone, for crops already cut to one line.
    Two engines rather than per-call use_det/use_rec flags: rapidocr keeps a call's flags
    for every later call, and Dask worker threads (and page threads) share the engines."""
    # In a worker of a parallel run every process gets one core, and so does each page read
    # side by side with others; alone, onnxruntime takes them all.
    import threading

    one_core = (multiprocessing.parent_process() is not None
                or threading.current_thread().name.startswith(_PAGE_THREAD))
    return _new_engine(lines_only, 1 if one_core else -1)


@cache
def _new_engine(lines_only: bool, threads: int):
    import logging

    from rapidocr import RapidOCR

    params = {"Global.log_level": "error",
              "EngineConfig.onnxruntime.intra_op_num_threads": threads,
              "EngineConfig.onnxruntime.inter_op_num_threads": 1 if threads == 1 else -1}
    if lines_only:
        params |= {"Global.use_det": False, "Global.use_cls": False}
    engine = RapidOCR(params=params)
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return engine


def recognise(image) -> list[Box]:
    """The text boxes of a PIL image, in page order."""
    import numpy as np

    result = _engine()(np.asarray(image.convert("RGB")))
    boxes = []
    for quad, text, score in zip(result.boxes if result.boxes is not None else [], result.txts or (),
                                 result.scores or (), strict=False):
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        boxes.append(Box(text.strip(), float(score), min(xs), min(ys), max(xs), max(ys)))
    boxes.sort(key=lambda b: (b.top, b.x0))
    return [b for b in boxes if b.text]


def recognise_line(gray_crop) -> tuple[str, float]:
    """Recognition alone (no detection) of a greyscale crop holding one short line:
    the text and its score, ("", 0.0) when nothing is read."""
    import numpy as np

    rgb = np.repeat(np.asarray(gray_crop, dtype=np.uint8)[:, :, None], 3, axis=2)
    result = _engine(lines_only=True)(rgb)
    texts, scores = result.txts or (), result.scores or ()
    return (texts[0].strip(), float(scores[0])) if texts else ("", 0.0)


# Seconds each OCR'd page may take (--timeout is sized for text layers, OCR costs ~10 s a page).
PAGE_SECONDS = float(os.environ.get("OGI_OCR_PAGE_SECONDS", "60"))


@contextmanager
def page_time_limit(what: str):
    """An OCR'd page's own time limit, where the limit is an interval timer (the main
    thread of a run or a worker process): the file's remaining time is set aside while
    the page is read and given back after, so a scan of many pages is not cut off by
    --timeout, and a page OCR cannot finish in PAGE_SECONDS stops the file with a reason
    naming the page. On a Dask worker thread the file's limit alone applies."""
    import signal
    import threading

    left = 0.0
    if threading.current_thread() is threading.main_thread():
        left, _interval = signal.getitimer(signal.ITIMER_REAL)
    if left <= 0:
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, PAGE_SECONDS)
    try:
        yield
    except TimeLimit:
        raise ReportError(f"OCR of {what} took longer than {PAGE_SECONDS:g} s "
                          "(per-page limit, OGI_OCR_PAGE_SECONDS): skipped") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, left)


def ocr_page(image, where: str):
    """One page image's OCR: (its boxes, the text lines and tables found from them)."""
    from .ocr_grid import deskew, page_items

    image = deskew(image)
    boxes = recognise(image)
    return boxes, page_items(image, boxes, where)


def _page_name(where: str) -> str:
    return where.removesuffix("ocr").strip().replace("img", "image") or "the image"


def add_page(builder, image, page_no: int, where: str) -> int:
    """OCR one page image into ``builder``: its text lines and tables in page order,
    cell scores in ``doc.cell_confidence``, what could not be read in ``doc.warnings``."""
    with page_time_limit(_page_name(where)):
        boxes, found = ocr_page(image, where)
    return add_found(builder, boxes, found, page_no, where)


def add_found(builder, boxes, found, page_no: int, where: str) -> int:
    """A page's OCR result into ``builder`` (see add_page); returns its count of boxes."""
    doc = builder.doc
    doc.cell_confidence.update(found.confidence)
    doc.warnings.extend(found.warnings)
    for i, (_top, kind, content) in enumerate(found.items):
        if kind == "text":
            builder.text(content, where)
        else:
            builder.table(content, where, continues=(i == 0 and page_no > 1))
    return len(boxes)


NOTHING_READ = "no text layer, and OCR found no text on any page (blank or unreadable scan)"


def read_image(data: bytes, source_path: str):
    """An image file (a scanned page, a table pasted as a picture): OCR, then the usual mapper."""
    import io
    from pathlib import PurePath

    from PIL import Image, UnidentifiedImageError

    from .sections import DocumentBuilder

    require()
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise ReportError(f"not a readable image ({type(exc).__name__})") from None
    if image.width * image.height > 60_000_000:
        raise ReportError(f"image too large to OCR ({image.width}×{image.height} px)")
    fmt = PurePath(source_path).suffix.lower().lstrip(".")
    builder = DocumentBuilder(source_path, fmt, "ocr")
    frames = min(getattr(image, "n_frames", 1), 50)  # a multi-page TIFF is a scanned report
    if frames == 1:
        read = add_page(builder, image, 1, "ocr")
    else:
        read = read_pages(builder, (_frame(image, i) for i in range(frames)), frames)
    if not read:
        raise ReportError("OCR found no text in the image")
    return builder.doc


def _frame(image, index: int):
    image.seek(index)
    return image.copy()


def _rendered(pdf, index: int):
    page = pdf[index]
    try:
        return render_page(page)
    finally:
        page.close()


def page_threads(pages: int) -> int:
    """How many pages of one file to OCR side by side: on a run's main thread, up to a
    thread per core (OGI_OCR_THREADS); one in a worker process or on a Dask worker
    thread, where the run already gives each file its own core."""
    import threading

    if pages < 2 or multiprocessing.parent_process() is not None \
            or threading.current_thread() is not threading.main_thread():
        return 1
    return max(1, min(pages, int(os.environ.get("OGI_OCR_THREADS") or os.cpu_count() or 1)))


def read_pages(builder, images, pages: int) -> int:
    """OCR page images (an iterator, rendered one at a time) into ``builder`` in page order;
    returns the count of boxes read. onnxruntime leaves the GIL while it computes, so
    threads put the cores to work on several pages of one scan at once."""
    threads = page_threads(pages)
    if threads == 1:
        return sum(add_page(builder, image, i + 1, f"page {i + 1} ocr") for i, image in enumerate(images))
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(threads, thread_name_prefix=_PAGE_THREAD)
    running: list[tuple[int, object]] = []
    read = 0

    def add_first() -> int:
        page_no, future = running.pop(0)
        where = f"page {page_no} ocr"
        # Waiting is bounded by the page limit: a page taking longer has run at least as long.
        with page_time_limit(_page_name(where)):
            boxes, found = future.result()
        return add_found(builder, boxes, found, page_no, where)

    try:
        for i, image in enumerate(images):
            running.append((i + 1, pool.submit(ocr_page, image, f"page {i + 1} ocr")))
            if len(running) > threads:  # rendered pages wait for a thread: never all held at once
                read += add_first()
        while running:
            read += add_first()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return read


def render_page(pdfium_page):
    """A PDF page as a PIL image at :data:`DPI` for OCR."""
    return pdfium_page.render(scale=DPI / 72, grayscale=True).to_pil()


def read_scanned_pdf(data: bytes, source_path: str):
    """A PDF with no text layer: every page rasterised (pypdfium2) and OCR'd."""
    import pypdfium2

    from .sections import DocumentBuilder

    require()
    builder = DocumentBuilder(source_path, "pdf", "pdf-ocr")
    pdf = pypdfium2.PdfDocument(data)
    try:
        read = read_pages(builder, (_rendered(pdf, i) for i in range(len(pdf))), len(pdf))
    finally:
        pdf.close()
    if not read:
        raise ReportError(NOTHING_READ)
    return builder.doc
