"""The document model of the risk management report and its PDF typesetter.

The report is a list of blocks (headings, paragraphs, tables, page breaks, a table of contents)
built once from live data by `samsvar.risk.report`; the PDF, the DOCX and the HTML preview are
three renderings of the same blocks, so they never say different things.

Why the PDF is not laid out by WeasyPrint like samsvar's other documents: a risk management file
with 10,000 hazardous situations has a risk table of 10,000 rows or more, and WeasyPrint lays out
some 30 table rows per second (measured with 13-column rows: about 35 ms a row), which puts such a
report at five minutes or more. The tables of this report are regular (fixed columns, wrapped
text, shaded cells), so a small typesetter does them directly: text is measured with the font's
own advance widths and wrapped greedily, rows repeat their header on every page and split only
when a single row is taller than a page, and every page gets the house header and footer with
"page x of y" once the page count is known. It writes some 10,000 rows in a few seconds.

Fonts: DejaVu Sans and DejaVu Sans Bold (the fonts of samsvar's other PDF documents), found
through fontconfig, embedded as subsets with a ToUnicode map so the text can be searched, copied
and extracted. The PDF has an outline (bookmarks) of the headings and its document language set.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

MM = 72 / 25.4  # points per millimetre

# --- The document model -------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 headings go into the contents and the PDF outline."""

    text: str
    level: int = 1
    kind: str = "heading"


@dataclass(frozen=True)
class Paragraph:
    """Running text. `style`: body, muted, small, title, subtitle, ok, bad, mono."""

    text: str
    style: str = "body"
    kind: str = "paragraph"


@dataclass(frozen=True)
class Cell:
    """One table cell. `tone`: "" (plain), ok, bad, none (not estimated), head, muted, group."""

    text: str = ""
    tone: str = ""
    bold: bool = False
    align: str = ""


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative width
    align: str = "left"


@dataclass(frozen=True)
class Group:
    """A row spanning every column that starts a group of rows (a hazard category, a kind)."""

    text: str
    kind: str = "group"


@dataclass
class Table:
    """A table with a header row repeated on every page. `style`: grid (the default), facts (a
    two-column label-value table without header), matrix (a risk matrix heatmap)."""

    columns: Sequence[Column]
    rows: list = field(default_factory=list)  # tuples of Cell, or Group
    style: str = "grid"
    size: float = 7.5
    # Titles over runs of columns, as (title, number of columns): a first header row.
    spans: Sequence[tuple[str, int]] = ()
    keep_together: bool = False
    kind: str = "table"

    def __post_init__(self) -> None:
        """Plain strings become cells, and a cell without an alignment takes its column's."""
        aligns = [column.align for column in self.columns]
        for row in self.rows:
            if not isinstance(row, Group) and len(row) != len(aligns):
                raise ValueError(f"a row of {len(row)} cells in a table of {len(aligns)} columns")
        self.rows = [
            row if isinstance(row, Group) else tuple(map(_cell, row, aligns)) for row in self.rows
        ]

    @property
    def header(self) -> bool:
        return self.style != "facts"


def _cell(value, align: str) -> Cell:
    if not isinstance(value, Cell):
        return Cell(str(value), align=align)
    if value.align or align == "left":
        return value
    return Cell(value.text, value.tone, value.bold, align)


@dataclass(frozen=True)
class PageBreak:
    """Start a new page, in landscape or portrait orientation."""

    landscape: bool = False
    kind: str = "pagebreak"


@dataclass(frozen=True)
class Contents:
    """The table of contents: the level 1 headings and the pages they start on."""

    title: str
    kind: str = "contents"


@dataclass(frozen=True)
class PageFrame:
    """What every page shows in its header and footer. `page_label` holds "%(n)s" and
    "%(total)s" for the page number and the page count."""

    header_left: str
    header_right: str
    footer_left: str
    page_label: str
    title: str = ""
    author: str = ""
    language: str = "en"


# --- Fonts ----------------------------------------------------------------------------------------

FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
FONT_PATTERNS = {"regular": "DejaVu Sans:style=Book", "bold": "DejaVu Sans:style=Bold"}
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/usr/share/fonts",
)


class FontMissingError(RuntimeError):
    """The DejaVu fonts are not installed (Debian: fonts-dejavu-core)."""


@cache
def font_path(style: str) -> Path:
    """The TrueType file of DejaVu Sans (regular or bold), through fontconfig or the usual
    directories."""
    name = FONT_FILES[style]
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}", FONT_PATTERNS[style]],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found.endswith(name) and Path(found).is_file():
            return Path(found)
    for directory in FONT_DIRS:
        matches = sorted(Path(directory).rglob(name)) if Path(directory).is_dir() else []
        if matches:
            return matches[0]
    raise FontMissingError(
        f"The font {name} (DejaVu Sans) is needed for PDF reports; install fonts-dejavu-core."
    )


class _Advances(dict):
    """Advance widths in 1/1000 em by character; a character the font lacks has the width of
    the missing-glyph box."""

    def __init__(self, widths: dict[str, float], missing: float):
        super().__init__(widths)
        self.missing = missing

    def __missing__(self, char: str) -> float:
        return self.missing


class Font:
    """A TrueType font: metrics for measuring text, and glyph ids for writing it."""

    def __init__(self, path: Path):
        from fontTools.ttLib import TTFont

        self.data = path.read_bytes()
        font = TTFont(io.BytesIO(self.data), lazy=True)
        self.name = str(font["name"].getDebugName(6) or path.stem).replace(" ", "")
        head, hhea = font["head"], font["hhea"]
        scale = 1000 / head.unitsPerEm
        metrics = font["hmtx"].metrics
        glyph_order = font.getGlyphOrder()
        gid = {name: index for index, name in enumerate(glyph_order)}
        self.gids: dict[str, int] = {}
        widths: dict[str, float] = {}
        for code, glyph in font.getBestCmap().items():
            char = chr(code)
            self.gids[char] = gid[glyph]
            widths[char] = metrics[glyph][0] * scale
        self.advance = _Advances(widths, metrics[glyph_order[0]][0] * scale)
        self.glyph_widths = {index: metrics[name][0] * scale for name, index in gid.items()}
        self.ascent = hhea.ascent * scale
        self.descent = hhea.descent * scale
        self.bbox = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
        os2 = font["OS/2"]
        self.cap_height = round(getattr(os2, "sCapHeight", 0) * scale) or round(self.ascent * 0.8)
        self.words: dict[str, float] = {}
        self.space = self.advance[" "]
        self.hex = {ord(char): f"{index:04X}" for char, index in self.gids.items()}

    def measure(self, text: str) -> float:
        """Width of `text` in 1/1000 em."""
        width = self.words.get(text)
        if width is None:
            width = sum(map(self.advance.__getitem__, text))
            if len(self.words) < 200_000:
                self.words[text] = width
        return width

    def width(self, text: str, size: float) -> float:
        return self.measure(text) * size / 1000

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        """`text` broken into lines no wider than `width` points (newlines kept)."""
        limit = width * 1000 / size
        space = self.space
        lines: list[str] = []
        for paragraph in str(text).split("\n"):
            words = paragraph.split()
            if not words:
                lines.append("")
                continue
            current: list[str] = []
            used = 0.0
            for word in words:
                measured = self.measure(word)
                if current and used + space + measured <= limit:
                    current.append(word)
                    used += space + measured
                    continue
                if current:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                if measured <= limit:
                    current, used = [word], measured
                    continue
                piece = ""
                piece_width = 0.0
                for char in word:
                    char_width = self.advance[char]
                    if piece and piece_width + char_width > limit:
                        lines.append(piece)
                        piece, piece_width = "", 0.0
                    piece += char
                    piece_width += char_width
                current, used = [piece], piece_width
            lines.append(" ".join(current))
        return lines

    def encode(self, text: str) -> str:
        """The glyph ids of `text` in hex (a character the font lacks becomes glyph 0)."""
        encoded = text.translate(self.hex)
        if len(encoded) == 4 * len(text):
            return encoded
        return "".join(self.hex.get(ord(char), "0000") for char in text)


@cache
def load_font(style: str) -> Font:
    return Font(font_path(style))


# --- Styles ---------------------------------------------------------------------------------------

INK = (0x1D, 0x27, 0x33)
BRAND = (0x0B, 0x4F, 0x6C)
MUTED = (0x5B, 0x6B, 0x7B)
LINE = (0xC9, 0xD2, 0xDC)
HEAD_FILL = (0xEE, 0xF2, 0xF6)
GROUP_FILL = (0xF3, 0xF6, 0xF9)
OK_FILL = (0xDC, 0xF2, 0xE4)
OK_INK = (0x1D, 0x7A, 0x46)
BAD_FILL = (0xFB, 0xE1, 0xDE)
BAD_INK = (0xB4, 0x23, 0x18)
NONE_FILL = (0xF1, 0xF3, 0xF5)
OK_STRONG = (0x8F, 0xD1, 0xA6)
BAD_STRONG = (0xF0, 0x9A, 0x8F)


@dataclass(frozen=True)
class TextStyle:
    size: float
    bold: bool = False
    color: tuple = INK
    before: float = 0.0  # space before, points
    after: float = 4.0  # space after, points
    leading: float = 1.32


PARAGRAPH_STYLES = {
    "body": TextStyle(9.5),
    "muted": TextStyle(8.5, color=MUTED),
    "small": TextStyle(8),
    "ok": TextStyle(9.5, bold=True, color=OK_INK),
    "bad": TextStyle(9.5, bold=True, color=BAD_INK),
    "title": TextStyle(24, bold=True, color=BRAND, before=40, after=10, leading=1.2),
    "subtitle": TextStyle(14, color=INK, after=14, leading=1.25),
    "mono": TextStyle(7.5, color=MUTED),
}
HEADING_STYLES = {
    1: TextStyle(14, bold=True, color=BRAND, before=10, after=6, leading=1.2),
    2: TextStyle(11.5, bold=True, color=BRAND, before=8, after=4, leading=1.2),
    3: TextStyle(10, bold=True, before=6, after=3, leading=1.2),
}
TONES = {
    "": (None, INK, False),
    "ok": (OK_FILL, OK_INK, False),
    "bad": (BAD_FILL, BAD_INK, False),
    "none": (NONE_FILL, MUTED, False),
    "head": (HEAD_FILL, INK, True),
    "muted": (None, MUTED, False),
    "group": (GROUP_FILL, INK, True),
    "ok-strong": (OK_STRONG, INK, True),
    "bad-strong": (BAD_STRONG, INK, True),
}

PORTRAIT = (210 * MM, 297 * MM)
LANDSCAPE = (297 * MM, 210 * MM)
MARGIN = {"top": 22 * MM, "bottom": 18 * MM, "side": 16 * MM}
CELL_PAD_X = 3.2
CELL_PAD_Y = 2.4
KEEP_WITH_HEADING = 28 * MM
KEEP_ROWS = 8  # tables of at most this many rows move whole to the next page rather than split


@cache
def _rgb(color: tuple) -> str:
    return " ".join(f"{value / 255:.3f}" for value in color)


# --- Layout ---------------------------------------------------------------------------------------


class _Page:
    def __init__(self, size: tuple[float, float]):
        self.width, self.height = size
        self.fills: list[str] = []
        self.lines: list[str] = []
        self.texts: list[str] = []
        self.used: dict[str, set[str]] = {"R": set(), "B": set()}

    def fill(self, x: float, top: float, width: float, height: float, color: tuple) -> None:
        y = self.height - top - height
        self.fills.append(f"{_rgb(color)} rg {x:.2f} {y:.2f} {width:.2f} {height:.2f} re f")

    def line(self, x1: float, top1: float, x2: float, top2: float, color=LINE, width=0.5):
        self.lines.append(
            f"{_rgb(color)} RG {width:.2f} w {x1:.2f} {self.height - top1:.2f} m "
            f"{x2:.2f} {self.height - top2:.2f} l S"
        )

    def text(self, x: float, baseline: float, text: str, font_key: str, size: float, color):
        if not text:
            return
        font = _FONTS[font_key]()
        self.used[font_key].update(text)
        self.texts.append(
            f"/{font_key} {size:g} Tf {_rgb(color)} rg 1 0 0 1 {x:.2f} "
            f"{self.height - baseline:.2f} Tm <{font.encode(text)}> Tj"
        )

    def content(self) -> bytes:
        parts = [*self.fills, *self.lines]
        if self.texts:
            parts.append("BT")
            parts.extend(self.texts)
            parts.append("ET")
        return "\n".join(parts).encode("latin-1")


_FONTS = {"R": lambda: load_font("regular"), "B": lambda: load_font("bold")}


def _font_key(bold: bool) -> str:
    return "B" if bold else "R"


def _line_height(size: float, leading: float = 1.32) -> float:
    return size * leading


def _baseline(top: float, size: float, leading: float = 1.32) -> float:
    font = load_font("regular")
    content = (font.ascent - font.descent) * size / 1000
    return top + (size * leading - content) / 2 + font.ascent * size / 1000


class Typesetter:
    """Lays blocks out on A4 pages (portrait, or landscape after a landscape page break)."""

    def __init__(self, frame: PageFrame, contents_entries: int = 0):
        self.frame = frame
        self.pages: list[_Page] = []
        self.outline: list[tuple[str, int, float]] = []  # (title, page index, top)
        self.contents_entries = contents_entries
        self.contents_at: tuple[int, float] | None = None  # page index, top
        self.landscape = False
        self.y = 0.0
        self._new_page()

    # Geometry of the current page.
    @property
    def page(self) -> _Page:
        return self.pages[-1]

    @property
    def left(self) -> float:
        return MARGIN["side"]

    @property
    def width(self) -> float:
        return self.page.width - 2 * MARGIN["side"]

    @property
    def bottom(self) -> float:
        return self.page.height - MARGIN["bottom"]

    @property
    def top(self) -> float:
        return MARGIN["top"]

    def _new_page(self) -> None:
        self.pages.append(_Page(LANDSCAPE if self.landscape else PORTRAIT))
        self.y = self.top

    def _room(self) -> float:
        return self.bottom - self.y

    def _at_top(self) -> bool:
        return self.y <= self.top + 0.01

    # Blocks.
    def add(self, block, keep: float = KEEP_WITH_HEADING) -> None:
        """Lay out one block; a heading keeps `keep` points of what follows on its page."""
        if block.kind == "heading":
            self._add_heading(block, keep)
        else:
            getattr(self, f"_add_{block.kind}")(block)

    def _add_pagebreak(self, block: PageBreak) -> None:
        self.landscape = block.landscape
        self._new_page()

    def _heading_height(self, block: Heading) -> float:
        style = HEADING_STYLES.get(block.level, HEADING_STYLES[3])
        lines = load_font("bold").wrap(block.text, style.size, self.width)
        return len(lines) * _line_height(style.size, style.leading) + style.before + style.after

    def needed(self, blocks: Sequence, index: int) -> float:
        """The room a heading at `index` keeps with it: the start of what follows (a short
        table whole, two lines of text, the header and first rows of a long table)."""
        if index >= len(blocks):
            return 0.0
        block = blocks[index]
        if block.kind == "heading":
            return self._heading_height(block) + self.needed(blocks, index + 1)
        if block.kind == "paragraph":
            style = PARAGRAPH_STYLES.get(block.style, PARAGRAPH_STYLES["body"])
            font = load_font("bold" if style.bold else "regular")
            count = len(font.wrap(block.text, style.size, self.width))
            step = _line_height(style.size, style.leading)
            if count > 3:
                return 2 * step + style.before
            # A short introduction keeps the start of what it introduces with it too.
            height = count * step + style.before + style.after + self.needed(blocks, index + 1)
            return min(height, (self.bottom - self.top) * 0.6)
        if block.kind == "table":
            widths = self._widths(block)
            if block.keep_together or len(block.rows) <= KEEP_ROWS:
                return min(self._table_height(block, widths), (self.bottom - self.top) * 0.6)
            return self._header_height(block, widths) + KEEP_WITH_HEADING
        return 0.0

    def _add_heading(self, block: Heading, keep: float = KEEP_WITH_HEADING) -> None:
        style = HEADING_STYLES.get(block.level, HEADING_STYLES[3])
        lines = load_font("bold").wrap(block.text, style.size, self.width)
        height = len(lines) * _line_height(style.size, style.leading)
        before = 0 if self._at_top() else style.before
        if self._room() < before + height + style.after + keep:
            self._new_page()
            before = 0
        self.y += before
        if block.level == 1:
            self.outline.append((block.text, len(self.pages) - 1, self.y))
        for line in lines:
            self.page.text(
                self.left,
                _baseline(self.y, style.size, style.leading),
                line,
                "B",
                style.size,
                style.color,
            )
            self.y += _line_height(style.size, style.leading)
        if block.level == 1:
            self.page.line(self.left, self.y + 1, self.left + self.width, self.y + 1, LINE, 0.6)
            self.y += 2
        self.y += style.after

    def _add_paragraph(self, block: Paragraph) -> None:
        style = PARAGRAPH_STYLES.get(block.style, PARAGRAPH_STYLES["body"])
        font_key = _font_key(style.bold)
        font = load_font("bold" if style.bold else "regular")
        step = _line_height(style.size, style.leading)
        if not self._at_top():
            self.y += style.before
        lines = font.wrap(block.text, style.size, self.width)
        for index, line in enumerate(lines):
            fit = int((self.bottom - self.y) // step)
            left = len(lines) - index
            # A paragraph leaves neither its first line alone at the foot of a page nor its
            # last line alone at the top of the next.
            orphan = index == 0 and fit == 1 and left > 1
            widow = fit == 1 and left == 2
            if (fit < 1 or orphan or widow) and not self._at_top():
                self._new_page()
            self.page.text(
                self.left,
                _baseline(self.y, style.size, style.leading),
                line,
                font_key,
                style.size,
                style.color,
            )
            self.y += step
        self.y += style.after

    def _add_contents(self, block: Contents) -> None:
        """Reserve the lines of the contents; they are written once every heading has its page
        (see `finish`)."""
        self._add_heading(Heading(block.title, level=2))
        self.contents_at = len(self.pages) - 1, self.y
        self.y += self.contents_entries * _line_height(9.5) + 6

    # Tables.
    def _widths(self, table: Table) -> list[float]:
        total = sum(column.width for column in table.columns) or 1
        return [self.width * column.width / total for column in table.columns]

    def _cell_lines(self, table: Table, cell: Cell, width: float) -> list[str]:
        font = load_font("bold" if cell.bold or cell.tone in ("head", "group") else "regular")
        return font.wrap(cell.text, table.size, max(width - 2 * CELL_PAD_X, 4))

    def _draw_row(
        self,
        table: Table,
        widths: list[float],
        cells: Sequence[Cell],
        lines: list[list[str]],
        count: int,
        aligns: Sequence[str],
        min_height: float = 0.0,
    ) -> None:
        step = _line_height(table.size, 1.25)
        height = max(count * step + 2 * CELL_PAD_Y, min_height)
        page = self.page
        x = self.left
        for cell, width, cell_lines, align in zip(cells, widths, lines, aligns, strict=True):
            fill, color, bold = TONES.get(cell.tone, TONES[""])
            if fill is not None:
                page.fill(x, self.y, width, height, fill)
            font_key = _font_key(bold or cell.bold)
            font = _FONTS[font_key]()
            top = self.y + CELL_PAD_Y
            if table.style == "matrix":
                top = self.y + (height - len(cell_lines) * step) / 2
            for line in cell_lines[:count]:
                if align == "center":
                    left = x + (width - font.width(line, table.size)) / 2
                elif align == "right":
                    left = x + width - CELL_PAD_X - font.width(line, table.size)
                else:
                    left = x + CELL_PAD_X
                page.text(left, _baseline(top, table.size, 1.25), line, font_key, table.size, color)
                top += step
            x += width
        border = (0xFF, 0xFF, 0xFF) if table.style == "matrix" else LINE
        weight = 1.2 if table.style == "matrix" else 0.5
        page.line(self.left, self.y + height, x, self.y + height, border, weight)
        page.line(self.left, self.y, x, self.y, border, weight)
        edge = self.left
        page.line(edge, self.y, edge, self.y + height, border, weight)
        for width in widths:
            edge += width
            page.line(edge, self.y, edge, self.y + height, border, weight)
        self.y += height

    def _header_rows(self, table: Table, widths: list[float]):
        """The header rows as (cells, widths, lines, aligns): the column spans, if any, and
        the column titles."""
        rows = []
        if table.spans:
            span_widths, start = [], 0
            for _title, count in table.spans:
                span_widths.append(sum(widths[start : start + count]))
                start += count
            cells = [Cell(title, tone="head", align="center") for title, _count in table.spans]
            rows.append((cells, span_widths, ["center"] * len(cells)))
        rows.append(
            (
                [Cell(column.title, tone="head") for column in table.columns],
                widths,
                [column.align for column in table.columns],
            )
        )
        return [
            (
                cells,
                row_widths,
                [self._cell_lines(table, c, w) for c, w in zip(cells, row_widths, strict=True)],
                aligns,
            )
            for cells, row_widths, aligns in rows
        ]

    def _header(self, table: Table, widths: list[float]) -> None:
        for cells, row_widths, lines, aligns in self._header_rows(table, widths):
            self._draw_row(table, row_widths, cells, lines, max(map(len, lines)), aligns)

    def _header_height(self, table: Table, widths: list[float]) -> float:
        if not table.header:
            return 0.0
        step = _line_height(table.size, 1.25)
        return sum(
            max(map(len, lines)) * step + 2 * CELL_PAD_Y
            for _cells, _widths, lines, _aligns in self._header_rows(table, widths)
        )

    def _table_height(self, table: Table, widths: list[float]) -> float:
        step = _line_height(table.size, 1.25)
        height = self._header_height(table, widths)
        for row in table.rows:
            if isinstance(row, Group):
                height += step + 2 * CELL_PAD_Y
                continue
            lines = max(
                len(self._cell_lines(table, c, w)) for c, w in zip(row, widths, strict=True)
            )
            height += lines * step + 2 * CELL_PAD_Y
        return height

    def _row_layout(self, table: Table, row, widths: list[float], aligns: list[str]):
        """(cells, widths, aligns, wrapped lines per cell) of one row."""
        if isinstance(row, Group):
            cells, row_widths, row_aligns = [Cell(row.text, tone="group")], [sum(widths)], ["left"]
        else:
            cells, row_widths = list(row), widths
            row_aligns = [cell.align or align for cell, align in zip(row, aligns, strict=True)]
        lines = [
            self._cell_lines(table, cell, width)
            for cell, width in zip(cells, row_widths, strict=True)
        ]
        return cells, row_widths, row_aligns, lines

    def _add_table(self, table: Table) -> None:
        widths = self._widths(table)
        step = _line_height(table.size, 1.25)
        header_height = self._header_height(table, widths)
        aligns = [column.align for column in table.columns]
        min_height = 9 * MM if table.style == "matrix" else 0.0
        if not self._at_top():
            self.y += 2
            # A short table is not split when a fresh page holds it whole.
            if table.keep_together or len(table.rows) <= KEEP_ROWS:
                height = self._table_height(table, widths) + len(table.rows) * min_height
                if height > self._room() and height <= (self.bottom - self.top) * 0.6:
                    self._new_page()
        layouts = [self._row_layout(table, row, widths, aligns) for row in table.rows]
        first = True
        for index, (cells, row_widths, row_aligns, lines) in enumerate(layouts):
            count = max(1, *map(len, lines))
            height = max(count * step + 2 * CELL_PAD_Y, min_height)
            need = height + (header_height if first else 0)
            if isinstance(table.rows[index], Group) and index + 1 < len(layouts):
                # A group row stays with the start of its first row.
                following = max(1, min(3, *map(len, layouts[index + 1][3])))
                need += following * step + 2 * CELL_PAD_Y
            if self._room() < need and not self._at_top():
                fits_a_page = height <= self.bottom - self.top - header_height
                little_left = self._room() < header_height + step * 3 + 2 * CELL_PAD_Y
                if fits_a_page or little_left:
                    self._new_page()
                    first = True
            if first and table.header:
                self._header(table, widths)
            first = False
            # A row taller than what is left is split line by line over the pages.
            while True:
                fit = int((self._room() - 2 * CELL_PAD_Y) // step)
                if count <= fit or fit < 1:
                    self._draw_row(table, row_widths, cells, lines, count, row_aligns, min_height)
                    break
                self._draw_row(table, row_widths, cells, lines, fit, row_aligns)
                lines = [cell_lines[fit:] for cell_lines in lines]
                count -= fit
                self._new_page()
                if table.header:
                    self._header(table, widths)
        self.y += 6

    # Finishing.
    def finish(self) -> None:
        total = len(self.pages)
        frame = self.frame
        if self.contents_at is not None:
            page_index, top = self.contents_at
            page = self.pages[page_index]
            left, width = MARGIN["side"], page.width - 2 * MARGIN["side"]
            size = 9.5
            step = _line_height(size)
            font = load_font("regular")
            for title, target, _top in self.outline:
                number = str(target + 1)
                page.text(left, _baseline(top, size), title, "R", size, INK)
                page.text(
                    left + width - font.width(number, size),
                    _baseline(top, size),
                    number,
                    "R",
                    size,
                    INK,
                )
                dots_from = left + font.width(title, size) + 6
                dots_to = left + width - font.width(number, size) - 6
                if dots_to > dots_from:
                    page.line(dots_from, top + size, dots_to, top + size, LINE, 0.5)
                top += step
        regular = load_font("regular")
        for index, page in enumerate(self.pages, start=1):
            left, right = MARGIN["side"], page.width - MARGIN["side"]
            head = MARGIN["top"] - 9 * MM
            foot = page.height - MARGIN["bottom"] + 7 * MM
            size = 7.5
            page.text(left, head, frame.header_left, "R", size, MUTED)
            page.text(
                right - regular.width(frame.header_right, size),
                head,
                frame.header_right,
                "R",
                size,
                MUTED,
            )
            page.line(left, head + 3, right, head + 3, LINE, 0.5)
            label = frame.page_label % {"n": index, "total": total}
            page.text(left, foot, frame.footer_left, "R", size, MUTED)
            page.text(right - regular.width(label, size), foot, label, "R", size, MUTED)


def _contents_lines(blocks: Iterable) -> int:
    return sum(1 for block in blocks if block.kind == "heading" and block.level == 1)


# --- Writing the file -----------------------------------------------------------------------------


def _pdf_string(text: str) -> str:
    """A text string for the document information and outline (UTF-16BE with a byte order
    mark, in hex)."""
    return "<FEFF" + str(text).encode("utf-16-be").hex().upper() + ">"


class _Writer:
    def __init__(self):
        self.objects: list[bytes | None] = []

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects)

    def set(self, number: int, body: bytes | str) -> int:
        self.objects[number - 1] = body.encode("latin-1") if isinstance(body, str) else body
        return number

    def add(self, body: bytes | str) -> int:
        return self.set(self.reserve(), body)

    def stream(self, data: bytes, extra: str = "", compress: bool = True) -> int:
        if compress:
            data = zlib.compress(data, 6)
            extra = f"/Filter /FlateDecode {extra}"
        head = f"<< /Length {len(data)} {extra}>>\nstream\n".encode("latin-1")
        return self.add(head + data + b"\nendstream")

    def output(self, root: int, info: int) -> bytes:
        out = io.BytesIO()
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(out.tell())
            out.write(f"{number} 0 obj\n".encode("latin-1"))
            out.write(body or b"null")
            out.write(b"\nendobj\n")
        xref = out.tell()
        out.write(f"xref\n0 {len(self.objects) + 1}\n0000000000 65535 f \n".encode("latin-1"))
        for offset in offsets:
            out.write(f"{offset:010d} 00000 n \n".encode("latin-1"))
        out.write(
            f"trailer\n<< /Size {len(self.objects) + 1} /Root {root} 0 R /Info {info} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n".encode("latin-1")
        )
        return out.getvalue()


def _subset(font: Font, gids: set[int]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.retain_gids = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
    ttf = TTFont(io.BytesIO(font.data))
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(gids | {0}))
    subsetter.subset(ttf)
    out = io.BytesIO()
    ttf.save(out)
    return out.getvalue()


def _to_unicode(mapping: dict[int, str]) -> bytes:
    entries = sorted(mapping.items())
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for gid, char in chunk:
            lines.append(f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("latin-1")


def _embed_font(writer: _Writer, font: Font, used: set[str], tag: str) -> int:
    gids = {font.gids[char] for char in used if char in font.gids}
    mapping: dict[int, str] = {}
    for char in sorted(used):
        gid = font.gids.get(char)
        if gid is not None:
            mapping.setdefault(gid, char)
    name = f"{tag}+{font.name}"
    data = _subset(font, gids)
    file_ref = writer.stream(data, f"/Length1 {len(data)} ")
    descriptor = writer.add(
        f"<< /Type /FontDescriptor /FontName /{name} /Flags 32 "
        f"/FontBBox [{' '.join(map(str, font.bbox))}] /ItalicAngle 0 "
        f"/Ascent {round(font.ascent)} /Descent {round(font.descent)} "
        f"/CapHeight {font.cap_height} /StemV 80 /FontFile2 {file_ref} 0 R >>"
    )
    widths = " ".join(f"{gid} [{round(font.glyph_widths[gid])}]" for gid in sorted(gids))
    cid_font = writer.add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor {descriptor} 0 R /W [{widths}] /DW 1000 /CIDToGIDMap /Identity >>"
    )
    unicode_ref = writer.stream(_to_unicode(mapping))
    return writer.add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H "
        f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {unicode_ref} 0 R >>"
    )


def render(blocks: Sequence, frame: PageFrame) -> bytes:
    """The blocks as PDF bytes, every page framed by `frame`."""
    setter = Typesetter(frame, contents_entries=_contents_lines(blocks))
    for index, block in enumerate(blocks):
        keep = setter.needed(blocks, index + 1) if block.kind == "heading" else 0.0
        setter.add(block, keep=keep)
    setter.finish()
    return _write(setter, frame)


def _write(setter: Typesetter, frame: PageFrame) -> bytes:
    used: dict[str, set[str]] = {"R": set(), "B": set()}
    for page in setter.pages:
        for key, chars in page.used.items():
            used[key] |= chars
    writer = _Writer()
    catalog = writer.reserve()
    pages_ref = writer.reserve()
    fonts = {}
    for index, (key, style) in enumerate((("R", "regular"), ("B", "bold"))):
        fonts[key] = _embed_font(writer, load_font(style), used[key], f"SVRPT{'AB'[index]}")
    resources = f"<< /Font << /R {fonts['R']} 0 R /B {fonts['B']} 0 R >> >>"
    page_refs = []
    for page in setter.pages:
        content_ref = writer.stream(page.content())
        page_refs.append(
            writer.add(
                f"<< /Type /Page /Parent {pages_ref} 0 R "
                f"/MediaBox [0 0 {page.width:.2f} {page.height:.2f}] "
                f"/Resources {resources} /Contents {content_ref} 0 R >>"
            )
        )
    kids = " ".join(f"{ref} 0 R" for ref in page_refs)
    writer.set(pages_ref, f"<< /Type /Pages /Kids [{kids}] /Count {len(page_refs)} >>")
    outline_ref = _outline(writer, setter, page_refs)
    outline = f"/Outlines {outline_ref} 0 R /PageMode /UseOutlines " if outline_ref else ""
    writer.set(
        catalog,
        f"<< /Type /Catalog /Pages {pages_ref} 0 R {outline}/Lang {_pdf_string(frame.language)} >>",
    )
    stamp = dt.datetime.now(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
    info = writer.add(
        f"<< /Title {_pdf_string(frame.title)} /Author {_pdf_string(frame.author)} "
        f"/Creator {_pdf_string('samsvar')} /Producer {_pdf_string('samsvar')} "
        f"/CreationDate ({stamp}) >>"
    )
    return writer.output(catalog, info)


def _outline(writer: _Writer, setter: Typesetter, page_refs: list[int]) -> int | None:
    if not setter.outline:
        return None
    root = writer.reserve()
    refs = [writer.reserve() for _ in setter.outline]
    for index, (title, page_index, top) in enumerate(setter.outline):
        page = setter.pages[page_index]
        links = f"/Parent {root} 0 R "
        if index:
            links += f"/Prev {refs[index - 1]} 0 R "
        if index + 1 < len(refs):
            links += f"/Next {refs[index + 1]} 0 R "
        writer.set(
            refs[index],
            f"<< /Title {_pdf_string(title)} {links}"
            f"/Dest [{page_refs[page_index]} 0 R /XYZ 0 {page.height - top + 4:.2f} 0] >>",
        )
    writer.set(
        root,
        f"<< /Type /Outlines /First {refs[0]} 0 R /Last {refs[-1]} 0 R /Count {len(refs)} >>",
    )
    return root
