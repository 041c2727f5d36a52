"""Controlled copies: the PDF a reader prints or files, with the document's identity on every page.

ISO 13485:2016 4.2.4 asks that the current revision of a document is identified where it is used
and that obsolete documents cannot be mistaken for current ones. Every page of a controlled copy
therefore carries, in its header and footer, the document number, title, revision, effective
date, "page x of y" and "Uncontrolled when printed"; a revision that is not effective gets a
banner in the header and a watermark across every page ("SUPERSEDED — not for use").

Two sources:
- `content_html` (the output of `documents.markdown.render_markdown`): laid out on A4 by
  WeasyPrint with an identification table on the first page;
- `attachment_pdf`: the original pages, each kept at its own size and orientation (a /Rotate
  entry is baked into the content so that the header sits at the top as the page is read), the
  content scaled down just enough to free a band at the top and the bottom, and a header and
  footer rendered by WeasyPrint for the same page sizes stamped into those bands. The outline,
  metadata and links of the original are kept.

When both are given, the attached PDF is the controlled content. The strings follow `language`.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samsvar.reports.render import render_pdf

TEMPLATE = "documents/controlled_copy.html"
PT_PER_MM = 72 / 25.4

# Bands for the header and the footer: Markdown copies use ordinary A4 margins; stamped PDFs
# use narrower bands so the original content is scaled down as little as possible.
CONTENT_BANDS_MM = {"top": 22, "bottom": 18, "side": 18, "gap": 4}
STAMP_BANDS_MM = {"top": 14, "bottom": 11, "side": 10, "gap": 0}
TITLE_IN_HEADER = 90  # characters of the title shown in the header before it is shortened

STATUS_LABELS = {
    "draft": gettext_lazy("Draft"),
    "in_review": gettext_lazy("In review"),
    "approved": gettext_lazy("Approved"),
    "effective": gettext_lazy("Effective"),
    "superseded": gettext_lazy("Superseded"),
    "obsolete": gettext_lazy("Obsolete"),
}
BANNERS = {
    "draft": gettext_lazy("DRAFT — not for use"),
    "in_review": gettext_lazy("IN REVIEW — not for use"),
    "approved": gettext_lazy("NOT YET EFFECTIVE — not for use"),
    "superseded": gettext_lazy("SUPERSEDED — not for use"),
    "obsolete": gettext_lazy("OBSOLETE — not for use"),
}
WATERMARKS = {
    "draft": gettext_lazy("DRAFT"),
    "in_review": gettext_lazy("IN REVIEW"),
    "approved": gettext_lazy("NOT YET EFFECTIVE"),
    "superseded": gettext_lazy("SUPERSEDED"),
    "obsolete": gettext_lazy("OBSOLETE"),
}
EFFECTIVE = "effective"


def css_string(text: str) -> str:
    """`text` as a quoted CSS string for `content:`, safe inside a <style> element."""
    out = []
    for char in str(text):
        if char == "\n":
            out.append("\\A ")
        elif char in '"\\<>&':
            out.append(f"\\{ord(char):X} ")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            continue
        else:
            out.append(char)
    return f'"{"".join(out)}"'


def _page_x_of_y() -> str:
    """The translated "Page %(page)s of %(pages)s" as CSS content with the page counters."""
    marker = "\x1f"
    text = _("Page %(page)s of %(pages)s") % {
        "page": f"{marker}page{marker}",
        "pages": f"{marker}pages{marker}",
    }
    parts = []
    for index, piece in enumerate(text.split(marker)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def _date_text(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _context(
    *,
    number: str,
    title: str,
    revision: str,
    effective_date,
    status: str,
    organisation: str,
    generated_at: datetime,
    bands: dict[str, float],
) -> dict:
    effective = status == EFFECTIVE
    effective_date_text = _date_text(effective_date)
    banner = "" if effective else str(BANNERS.get(status, _("NOT EFFECTIVE — not for use")))
    watermark = "" if effective else str(WATERMARKS.get(status, _("NOT EFFECTIVE")))
    moment = timezone.localtime(generated_at) if timezone.is_aware(generated_at) else generated_at
    generated = _("Generated %(time)s") % {"time": moment.strftime("%Y-%m-%d %H:%M %Z").strip()}
    header_left = _("%(number)s · Revision %(revision)s") % {
        "number": number,
        "revision": revision,
    }
    header_right = _("Effective date: %(date)s") % {"date": effective_date_text}
    status_label = str(STATUS_LABELS.get(status, status))
    css = {
        "top_left": css_string(f"{header_left}\n{_shorten(title, TITLE_IN_HEADER)}"),
        "top_center": css_string(banner),
        "top_right": css_string(
            f"{header_right}\n{_('Status: %(status)s') % {'status': status_label}}"
        ),
        "bottom_left": css_string(f"{organisation}\n{generated}"),
        "bottom_center": css_string(_("Uncontrolled when printed")),
        "page_x_of_y": _page_x_of_y(),
    }
    return {
        "language": translation.get_language() or "en",
        "number": number,
        "title": title,
        "revision": revision,
        "organisation": organisation,
        "effective_date_text": effective_date_text,
        "status_label": status_label,
        "banner": banner,
        "watermark": watermark,
        "css": {key: mark_safe(value) for key, value in css.items()},
        # Numbers go into CSS as plain strings: the template would localise a float ("595,28").
        "band_top_mm": _number(bands["top"]),
        "band_bottom_mm": _number(bands["bottom"]),
        "side_mm": _number(bands["side"]),
        "rule_gap_mm": _number(bands["gap"]),
    }


def controlled_copy_pdf(
    *,
    number: str,
    title: str,
    revision: str,
    effective_date: date | datetime | str | None,
    status: str,
    organisation: str,
    content_html: str | None = None,
    attachment_pdf: bytes | None = None,
    language: str = "en",
    generated_at: datetime | None = None,
) -> bytes:
    """The controlled copy of one revision as PDF bytes (see the module docstring).

    `content_html` must be markup that is safe as it is (from `render_markdown`); a plain str is
    escaped. `status` is the revision status ("draft", "in_review", "approved", "effective",
    "superseded", "obsolete"). Raises ValidationError({"attachment": ...}) when `attachment_pdf`
    is encrypted or cannot be read.
    """
    generated_at = generated_at or timezone.now()
    identity = {
        "number": str(number),
        "title": str(title),
        "revision": str(revision),
        "effective_date": effective_date,
        "status": str(status),
        "organisation": str(organisation),
        "generated_at": generated_at,
    }
    with translation.override(language):
        if attachment_pdf is not None:
            return _stamp(attachment_pdf, identity)
        context = _context(**identity, bands=CONTENT_BANDS_MM)
        context.update(content_html=content_html, sheets=None, sheet_sizes=())
        return render_pdf(TEMPLATE, context)


# --- stamping an attached PDF ------------------------------------------------------------------


def _unreadable(identity: dict, *, encrypted: bool) -> ValidationError:
    values = {"number": identity["number"], "revision": identity["revision"]}
    if encrypted:
        message = _(
            "The attached PDF of %(number)s revision %(revision)s is encrypted or "
            "password-protected; attach a copy without protection."
        )
    else:
        message = _(
            "The attached PDF of %(number)s revision %(revision)s is damaged or not a PDF "
            "and cannot be stamped; attach a readable copy."
        )
    return ValidationError({"attachment": message % values})


def _read(data: bytes, identity: dict):
    from pypdf import PdfReader

    if b"%PDF-" not in data[:1024]:
        raise _unreadable(identity, encrypted=False)
    # An unreadable file raises one of many exception types, depending on where the parser
    # stops; any of them means the file cannot be stamped.
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise _unreadable(identity, encrypted=True)
        pages = list(reader.pages)
        if not pages:
            raise _unreadable(identity, encrypted=False)
        for page in pages:
            _visible_box(page)
    except ValidationError:
        raise
    except Exception as exc:
        raise _unreadable(identity, encrypted=False) from exc
    return reader


def _visible_box(page) -> tuple[float, float, float, float, int]:
    """(left, bottom, width, height, rotation) of the page area a viewer shows."""
    box = page.cropbox
    rotation = int(page.get("/Rotate", 0) or 0) % 360
    rotation -= rotation % 90
    if box.width <= 0 or box.height <= 0:
        raise ValueError("the page has an empty crop box")
    return float(box.left), float(box.bottom), float(box.width), float(box.height), rotation


def _number(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".") or "0"


def _stream(writer, data: bytes, **entries):
    from pypdf.generic import DecodedStreamObject, NameObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    if len(data) > 256:
        stream = stream.flate_encode()
    for key, value in entries.items():
        stream[NameObject(f"/{key}")] = value
    # pypdf has no public call for adding a new indirect object to a writer.
    return writer._add_object(stream)


def _dictionary_copy(value):
    """A shallow copy of a (possibly indirect) PDF dictionary; an empty one for None."""
    from pypdf.generic import DictionaryObject

    return DictionaryObject(value.get_object()) if value is not None else DictionaryObject()


def _stamp_form(writer, stamp, width: float, height: float):
    """The header and footer page of the overlay as a form XObject owned by `writer`."""
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject

    contents = stamp.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    parts = contents if isinstance(contents, ArrayObject) else [contents] if contents else []
    data = b"\n".join(part.get_object().get_data() for part in parts)
    resources = stamp.get("/Resources")
    resources = (
        resources.get_object().clone(writer) if resources is not None else DictionaryObject()
    )
    return _stream(
        writer,
        data,
        Type=NameObject("/XObject"),
        Subtype=NameObject("/Form"),
        BBox=ArrayObject([FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]),
        Resources=resources,
    )


def _fit(page, bands_pt: dict[str, float]):
    """Where the page's content goes: bake its rotation in and scale it into the area between
    the bands. Returns the transformation, the clip rectangle in the page's own coordinates
    and the page size as read (width, height) in points."""
    from pypdf import Transformation

    left, bottom, width, height, rotation = _visible_box(page)
    upright_w, upright_h = (height, width) if rotation in (90, 270) else (width, height)
    room = upright_h - bands_pt["top"] - bands_pt["bottom"]
    scale = max(0.5, min(1.0, room / upright_h))
    ctm = (
        Transformation()
        .translate(-(left + width / 2), -(bottom + height / 2))
        .rotate(-rotation)
        .scale(scale, scale)
        .translate(upright_w / 2, bands_pt["bottom"] + room / 2)
    )
    return ctm, (left, bottom, width, height), (upright_w, upright_h)


def _move_annotations(page, ctm) -> None:
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    annotations = page.get("/Annots")
    annotations = annotations.get_object() if annotations is not None else None
    for annotation in annotations if isinstance(annotations, ArrayObject) else []:
        annotation = annotation.get_object()
        rect = annotation.get("/Rect")
        if rect is None or len(rect) != 4:
            continue
        x1, y1 = ctm.apply_on((float(rect[0]), float(rect[1])))
        x2, y2 = ctm.apply_on((float(rect[2]), float(rect[3])))
        corners = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        annotation[NameObject("/Rect")] = ArrayObject(FloatObject(v) for v in corners)
        if "/QuadPoints" in annotation:
            del annotation["/QuadPoints"]


def _place(writer, page, ctm, clip, size, form) -> None:
    """Wrap the page's content streams (without parsing them) in the transformation and the
    clip, draw the stamp form over them and make the page upright at its new size."""
    from pypdf.generic import ArrayObject, NameObject, NumberObject, RectangleObject

    # Pages may share one resource dictionary; each page gets its own copy for its own stamp.
    resources = _dictionary_copy(page.get("/Resources"))
    xobjects = _dictionary_copy(resources.get("/XObject"))
    name = "/SamsvarStamp"
    while name in xobjects:
        name += "X"
    xobjects[NameObject(name)] = form
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources

    matrix = " ".join(_number(v) for v in ctm.ctm)
    box = " ".join(_number(v) for v in clip)
    prefix = _stream(writer, f"q {matrix} cm {box} re W n\n".encode())
    suffix = _stream(writer, f"\nQ q {name} Do Q\n".encode())
    contents = page.get("/Contents")
    if contents is None:
        middle = []
    elif isinstance(contents.get_object(), ArrayObject):
        middle = list(contents.get_object())
    else:
        middle = [contents]
    page[NameObject("/Contents")] = ArrayObject([prefix, *middle, suffix])

    _move_annotations(page, ctm)
    for key in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
        if key in page:
            del page[key]
    page[NameObject("/MediaBox")] = RectangleObject((0, 0, *size))
    page[NameObject("/Rotate")] = NumberObject(0)


def _stamp(data: bytes, identity: dict) -> bytes:
    from pypdf import PdfReader, PdfWriter

    reader = _read(data, identity)
    bands_pt = {key: value * PT_PER_MM for key, value in STAMP_BANDS_MM.items()}
    try:
        writer = PdfWriter(clone_from=reader)
        placements = [_fit(page, bands_pt) for page in writer.pages]
    except Exception as exc:
        raise _unreadable(identity, encrypted=False) from exc
    sizes: list[tuple[float, float]] = []
    sheets: list[int] = []
    for _ctm, _clip, (width, height) in placements:
        size = (_number(round(width, 2)), _number(round(height, 2)))
        if size not in sizes:
            sizes.append(size)
        sheets.append(sizes.index(size))

    context = _context(**identity, bands=STAMP_BANDS_MM)
    context.update(content_html=None, sheets=sheets, sheet_sizes=sizes)
    overlay = PdfReader(io.BytesIO(render_pdf(TEMPLATE, context)))
    if len(overlay.pages) != len(writer.pages):
        raise RuntimeError(
            f"the header and footer came out with {len(overlay.pages)} pages "
            f"for {len(writer.pages)} pages of {identity['number']}"
        )
    for page, stamp, (ctm, clip, size) in zip(writer.pages, overlay.pages, placements, strict=True):
        _place(writer, page, ctm, clip, size, _stamp_form(writer, stamp, *size))
    writer.add_metadata(
        {
            "/Title": f"{identity['number']} {identity['title']} ({identity['revision']})",
            "/Producer": "samsvar",
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def revision_copy_pdf(revision, *, language: str) -> bytes:
    """The controlled copy of a `documents.Revision`: its attached PDF stamped on every page,
    else its Markdown laid out (a note naming the file when the content is a non-PDF file).
    OSError when the attached file cannot be read from the file store."""
    from samsvar.accounts.services import organisation_get
    from samsvar.documents.markdown import render_markdown

    document = revision.document
    organisation = organisation_get()
    attachment_pdf = None
    content = revision.content_md
    if revision.attachment and revision.attachment_content_type == "application/pdf":
        with revision.attachment.open("rb") as stored:
            attachment_pdf = stored.read()
    elif revision.attachment and not content.strip():
        with translation.override(language):
            content = _(
                "The content of this revision is the attached file %(name)s (SHA-256 %(sha)s)."
            ) % {"name": revision.attachment_name, "sha": revision.attachment_sha256}
    moment = revision.effective_at
    return controlled_copy_pdf(
        number=document.number,
        title=document.title,
        revision=revision.label,
        effective_date=timezone.localdate(moment) if moment else revision.effective_date,
        status=revision.status,
        organisation=organisation.name if organisation else "",
        content_html=render_markdown(content) if attachment_pdf is None else None,
        attachment_pdf=attachment_pdf,
        language=language,
    )
