"""Tables drawn with CSS: ``display: table / table-row / table-cell`` and ``display:
grid`` with an explicit column count, read into the same cell rows as ``<table>``.

Only what makes the grid certain is read: inline ``style`` and simple rules of
the page's ``<style>`` blocks (``.class``, ``#id``, ``tag``, ``tag.class``; of a
descendant selector only its last part). A grid whose column count is not
explicit (``repeat(auto-fill, …)``, no ``grid-template-columns``), or whose items
are placed by line numbers or ``order``, is not read: where a cell sits would be
a guess (see html.py for the reason the page then gets).
"""

from __future__ import annotations

import re

from .limits import check_span, check_width

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SIMPLE = re.compile(r"^([a-zA-Z][a-zA-Z0-9]*)?((?:[.#][\w-]+)*)$")

Rows = list[list[tuple[object, int, int]]]


def _declarations(text: str) -> dict[str, str]:
    out = {}
    for decl in text.split(";"):
        name, sep, value = decl.partition(":")
        if sep:
            out[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return out


class Styles:
    """The grid-relevant style of every element of one page."""

    def __init__(self, root) -> None:
        self.rules: list[tuple[str | None, frozenset[str], str | None, dict[str, str]]] = []
        for style in root.iter("style"):
            for selectors, body in _RULE.findall(_COMMENT.sub("", style.text or "")):
                decls = _declarations(body)
                if not any(k.startswith(("display", "grid")) or k == "order" for k in decls):
                    continue
                for sel in selectors.split(","):
                    parsed = self._selector(sel)
                    if parsed:
                        self.rules.append((*parsed, decls))
        self.cache: dict[object, dict[str, str]] = {}

    @staticmethod
    def _selector(sel: str):
        last = sel.strip().split()[-1] if sel.strip() else ""
        if ">" in last or ":" in last or "[" in last:
            return None
        m = _SIMPLE.match(last.replace(">", ""))
        if not m or not last:
            return None
        tag = (m.group(1) or "").lower() or None
        parts = re.findall(r"([.#])([\w-]+)", m.group(2))
        classes = frozenset(n for k, n in parts if k == ".")
        ids = [n for k, n in parts if k == "#"]
        return tag, classes, ids[0] if ids else None

    def style(self, el) -> dict[str, str]:
        got = self.cache.get(el)
        if got is None:
            got = {}
            if self.rules:
                tag, classes, ident = el.tag, frozenset((el.get("class") or "").split()), el.get("id")
                for rtag, rclasses, rid, decls in self.rules:
                    if (rtag is None or rtag == tag) and rclasses <= classes and (rid is None or rid == ident):
                        got.update(decls)
            inline = el.get("style")
            if inline:
                got.update(_declarations(inline))
            self.cache[el] = got
        return got

    def display(self, el) -> str:
        return self.style(el).get("display", "") if isinstance(el.tag, str) else ""

    def is_tabular(self, el) -> bool:
        return isinstance(el.tag, str) and el.tag != "table" and self.display(el) in ("table", "inline-table", "grid",
                                                                                     "inline-grid")

    def rows(self, el) -> Rows | None:
        """The element's cells when it is a CSS table or grid, else None."""
        display = self.display(el) if el.tag != "table" else ""
        if display in ("table", "inline-table"):
            return self._table_rows(el)
        if display in ("grid", "inline-grid"):
            return self._grid_rows(el)
        return None

    def _children(self, el) -> list:
        return [c for c in el if isinstance(c.tag, str) and self.display(c) != "none"
                and c.tag not in ("script", "style")]

    def _table_rows(self, el) -> Rows:
        rows: Rows = []
        for child in self._children(el):
            d = self.display(child)
            if d in ("table-row-group", "table-header-group", "table-footer-group"):
                rows.extend([(c, 1, 1) for c in self._children(r)] for r in self._children(child))
            elif d == "table-row":
                rows.append([(c, 1, 1) for c in self._children(child)])
        return rows

    def _grid_rows(self, el) -> Rows | None:
        n = explicit_columns(self.style(el).get("grid-template-columns", ""))
        items = self._children(el)
        if not n or any(self._placed(c) for c in items):
            return None  # not an explicit grid: no cell position is certain
        check_width(n, "a display:grid table")
        placed: list[tuple[int, int, object, int, int]] = []
        taken: set[tuple[int, int]] = set()
        r = c = 0
        for item in items:
            cs, rs = self._span(item, "grid-column", n), self._span(item, "grid-row", 10**6)
            check_span(cs, "grid-column span", "a display:grid table")
            check_span(rs, "grid-row span", "a display:grid table")
            cs = min(cs, n)
            while c + cs > n or any((r + dr, c + dc) in taken for dr in range(rs) for dc in range(cs)):
                c += 1
                if c + cs > n:
                    r, c = r + 1, 0
            placed.append((r, c, item, cs, rs))
            taken.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs))
            c += cs
        rows: Rows = [[] for _ in range(max((p[0] + 1 for p in placed), default=0))]
        for row, _col, item, cs, rs in sorted(placed, key=lambda p: (p[0], p[1])):
            rows[row].append((item, cs, rs))
        # Empty grid positions (no item) become blank cells through the rowspan bookkeeping
        # of the caller only when covered; an uncovered gap would shift cells left: refuse it.
        width = [0] * len(rows)
        for row, _col, _item, cs, rs in placed:
            for dr in range(rs):
                if row + dr < len(width):
                    width[row + dr] += cs
        if any(w != n for w in width[:-1]):
            return None
        return rows

    def _placed(self, item) -> bool:
        st = self.style(item)
        if "order" in st or "grid-area" in st:
            return True
        for prop in ("grid-column", "grid-row", "grid-column-start", "grid-row-start"):
            v = st.get(prop, "")
            if v and not v.startswith("span") and v != "auto":
                return True
        return False

    def _span(self, item, prop: str, limit: int) -> int:
        v = self.style(item).get(prop, "") or self.style(item).get(prop + "-end", "")
        m = re.match(r"span\s+(\d+)", v)
        return int(m.group(1)) if m else 1


def explicit_columns(value: str) -> int | None:
    """The column count of a grid-template-columns value, or None when it is not explicit."""
    value = re.sub(r"\[[^\]]*\]", " ", value).strip()  # line names
    if not value or value in ("none", "subgrid", "masonry", "inherit", "initial", "unset"):
        return None
    count = 0
    for token in _top_level(value):
        m = re.match(r"repeat\(\s*([^,]+),(.*)\)$", token)
        if m:
            times = m.group(1).strip()
            if not times.isdigit():
                return None  # auto-fill / auto-fit: depends on the window width
            count += int(times) * len(_top_level(m.group(2).strip()))
        else:
            count += 1
        if count > 10_000:
            return count
    return count or None


def _top_level(value: str) -> list[str]:
    tokens, depth, cur = [], 0, ""
    for ch in value:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch.isspace() and depth == 0:
            if cur:
                tokens.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        tokens.append(cur)
    return tokens
