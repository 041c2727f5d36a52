"""Checks on uploaded files before they become part of a controlled document or record.

ISO 13485:2016 4.2.4 and 4.2.5 ask that documents and records stay legible, identifiable and
retrievable; an attachment is therefore kept only when its content is one of the formats below,
its name agrees with that content, and its SHA-256 is known (it is stored beside the file and
bound into signatures).

The type is read from the content, never trusted from the name or the browser's content type:

- PDF, PNG, JPEG by their signatures;
- DOCX, XLSX, PPTX: a ZIP holding `[Content_Types].xml` that declares the matching main part
  (`word/document.xml`, `xl/workbook.xml`, `ppt/presentation.xml`) with its non-macro content
  type; macro-enabled files, templates and anything carrying a VBA project are refused;
- ODT, ODS: a ZIP whose `mimetype` member names the OpenDocument type;
- text, CSV and Markdown: valid UTF-8 without NUL bytes and without HTML or SVG markup that a
  browser would run.

ZIP archives are inspected through their directory and at most two small members; archives that
declare an implausible unpacked size or ratio are refused without being unpacked.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELD = "attachment"
DEFAULT_MAX_UPLOAD_MB = 25
CHUNK = 64 * 1024

# An office document unpacks to a few times its size; these bounds leave ample room for real
# documents while refusing archives built to explode when something unpacks them later.
MAX_ZIP_ENTRIES = 10_000
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150
MAX_MEMBER_READ = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    key: str
    label: object  # lazy translated name of the format
    content_type: str
    extensions: tuple[str, ...]


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"

KINDS = {
    kind.key: kind
    for kind in (
        FileKind("pdf", gettext_lazy("a PDF document"), "application/pdf", ("pdf",)),
        FileKind(
            "docx",
            gettext_lazy("a Word document (DOCX)"),
            f"{_OOXML}.wordprocessingml.document",
            ("docx",),
        ),
        FileKind(
            "xlsx",
            gettext_lazy("an Excel workbook (XLSX)"),
            f"{_OOXML}.spreadsheetml.sheet",
            ("xlsx",),
        ),
        FileKind(
            "pptx",
            gettext_lazy("a PowerPoint presentation (PPTX)"),
            f"{_OOXML}.presentationml.presentation",
            ("pptx",),
        ),
        FileKind("odt", gettext_lazy("an OpenDocument text (ODT)"), f"{_ODF}.text", ("odt",)),
        FileKind(
            "ods",
            gettext_lazy("an OpenDocument spreadsheet (ODS)"),
            f"{_ODF}.spreadsheet",
            ("ods",),
        ),
        FileKind("png", gettext_lazy("a PNG image"), "image/png", ("png",)),
        FileKind("jpeg", gettext_lazy("a JPEG image"), "image/jpeg", ("jpg", "jpeg")),
        FileKind(
            "text", gettext_lazy("plain text"), "text/plain", ("txt", "csv", "md", "markdown")
        ),
    )
}
TEXT_CONTENT_TYPES = {"csv": "text/csv", "md": "text/markdown", "markdown": "text/markdown"}
ALLOWED_EXTENSIONS = tuple(ext for kind in KINDS.values() for ext in kind.extensions)

# Main part and its content type for each Office Open XML kind (ECMA-376 / ISO/IEC 29500).
_OOXML_MAIN = {
    "docx": ("word/document.xml", f"{_OOXML}.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", f"{_OOXML}.spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", f"{_OOXML}.presentationml.presentation.main+xml"),
}
_ODF_MIMETYPES = {KINDS["odt"].content_type: "odt", KINDS["ods"].content_type: "ods"}

_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKUP = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|applet|svg|html|body|frameset|meta)\b"
    r"|<!doctype\s+html|<\?xml",
    re.IGNORECASE,
)
_OVERRIDE = re.compile(r"<(?:\w+:)?Override\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u200b-\u200f\u2028-\u202e\ufeff]+')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class FileCheck:
    """What is known about an accepted upload: its digest, size and the type its content has."""

    sha256: str
    size: int
    content_type: str
    extension: str  # lower case, without the dot, e.g. "pdf"
    original_name: str  # the name the user gave, without any folder part

    @property
    def safe_name(self) -> str:
        return safe_filename(self.original_name)


def max_upload_bytes() -> int:
    """The configured upload limit (SAMSVAR_MAX_UPLOAD_MB, 25 MB unless set)."""
    return int(getattr(settings, "SAMSVAR_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)) * 1024 * 1024


def _basename(name: str) -> str:
    """The last component of a name that may carry a POSIX or Windows folder part."""
    return PureWindowsPath(PurePosixPath(name or "").name).name


def safe_filename(name: str, *, max_length: int = 120, default: str = "file") -> str:
    """A file name safe to store and to send in a Content-Disposition header.

    Keeps letters of any script (æ, ø, å stay), digits and ordinary punctuation; drops folder
    parts, control and invisible characters and the characters Windows forbids; no leading dot,
    no Windows device names; the extension is kept (in lower case) when the name is shortened.
    """
    name = unicodedata.normalize("NFC", _basename(name))
    name = _UNSAFE_NAME_CHARS.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    name = re.sub(r"_+", "_", name)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext.lower()[:16]
    stem = stem.strip(" ._") or default
    if _WINDOWS_RESERVED.match(stem):
        stem = f"_{stem}"
    room = max(1, max_length - (len(ext) + 1 if ext else 0))
    stem = stem[:room].rstrip(" .")
    return f"{stem}.{ext}" if ext else stem


def _refuse(message: str) -> ValidationError:
    return ValidationError({FIELD: message})


def _chunks(f):
    if hasattr(f, "chunks"):
        yield from f.chunks(CHUNK)
        return
    while chunk := f.read(CHUNK):
        yield chunk


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


@dataclass
class _Scan:
    sha256: str
    size: int
    head: bytes
    tail: bytes
    utf8: bool
    nul: bool
    markup: bool


def _scan(f, *, name: str, limit: int) -> _Scan:
    """One pass over the file: digest, size, first and last bytes, and the text checks."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    tail = b""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    nul = False
    markup = False
    carry = ""
    f.seek(0)
    for chunk in _chunks(f):
        size += len(chunk)
        if size > limit:
            f.seek(0)
            raise _refuse(
                _("“%(name)s” is larger than the limit of %(limit)s MB.")
                % {"name": name, "limit": _mb(limit)}
            )
        digest.update(chunk)
        if len(head) < 4096:
            head += chunk[: 4096 - len(head)]
        tail = (tail + chunk)[-2048:]
        if not nul and b"\x00" in chunk:
            nul = True
        if utf8:
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
            else:
                window = carry + text
                if not markup and _MARKUP.search(window):
                    markup = True
                carry = window[-32:]
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    f.seek(0)
    return _Scan(digest.hexdigest(), size, head, tail, utf8, nul, markup)


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with archive.open(name) as member:
        return member.read(limit)


def _content_type_overrides(xml: bytes) -> dict[str, str]:
    """PartName -> ContentType from `[Content_Types].xml`, read without an XML parser.

    Only the Override elements' two attributes are needed; a regular expression over at most
    1 MB keeps entity expansion and external entities out of reach.
    """
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = xml.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return {}
    overrides = {}
    for match in _OVERRIDE.finditer(text):
        attributes = {
            key.split(":")[-1].lower(): first or second
            for key, first, second in _ATTRIBUTE.findall(match.group(1))
        }
        part = attributes.get("partname", "")
        if part:
            overrides[part.lower()] = attributes.get("contenttype", "").strip().lower()
    return overrides


def _zip_kind(f, *, name: str) -> str:
    """The office format of a ZIP upload, or a ValidationError saying why it is not one."""
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos)
            if (
                len(infos) > MAX_ZIP_ENTRIES
                or unpacked > MAX_UNPACKED_BYTES
                or (unpacked > 10 * 1024 * 1024 and unpacked > MAX_COMPRESSION_RATIO * packed)
            ):
                raise _refuse(
                    _(
                        "“%(name)s” would unpack to %(size)s MB in %(count)s parts, far more "
                        "than an office document does; it is refused."
                    )
                    % {"name": name, "size": _mb(unpacked), "count": len(infos)}
                )
            if any(info.flag_bits & 0x1 for info in infos):
                raise _refuse(
                    _("“%(name)s” is password-protected; upload an unprotected copy.")
                    % {"name": name}
                )
            names = {info.filename for info in infos}
            lowered = {n.lower() for n in names}
            if any(
                n.endswith("vbaproject.bin") or n.startswith(("basic/", "scripts/"))
                for n in lowered
            ):
                raise _refuse(
                    _("“%(name)s” contains macros, which are not accepted; save it without them.")
                    % {"name": name}
                )
            if "[Content_Types].xml" in names:
                overrides = _content_type_overrides(
                    _read_member(archive, "[Content_Types].xml", MAX_MEMBER_READ)
                )
                for kind, (part, content_type) in _OOXML_MAIN.items():
                    if part in names and overrides.get(f"/{part}") == content_type:
                        return kind
                raise _refuse(
                    _(
                        "“%(name)s” is an Office file but not a Word document, Excel workbook or "
                        "PowerPoint presentation (templates and macro-enabled files are not "
                        "accepted)."
                    )
                    % {"name": name}
                )
            if "mimetype" in names:
                mimetype = _read_member(archive, "mimetype", 200).decode("ascii", "replace")
                kind = _ODF_MIMETYPES.get(mimetype.strip())
                if kind and "content.xml" in names:
                    return kind
                raise _refuse(
                    _("“%(name)s” is an OpenDocument file of a type that is not accepted.")
                    % {"name": name}
                )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError) as exc:
        raise _refuse(
            _("“%(name)s” is damaged: its contents cannot be read.") % {"name": name}
        ) from exc
    except (NotImplementedError, ValueError) as exc:
        raise _refuse(
            _("“%(name)s” is packed in a way that cannot be read.") % {"name": name}
        ) from exc
    finally:
        f.seek(0)
    raise _refuse(
        _("“%(name)s” is a ZIP archive, not a Word, Excel, PowerPoint or OpenDocument file.")
        % {"name": name}
    )


def _kind(f, scan: _Scan, *, name: str, extension: str) -> str:
    head = scan.head
    if head.startswith(b"%PDF-"):
        if b"%%EOF" not in scan.tail:
            raise _refuse(
                _("“%(name)s” is not a complete PDF file (its end is missing).") % {"name": name}
            )
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(f, name=name)
    if head.startswith(_EXECUTABLE_MAGIC) and scan.nul:
        raise _refuse(_("“%(name)s” is a program, which cannot be uploaded.") % {"name": name})
    if head.startswith(_OLE_MAGIC):
        raise _refuse(
            _(
                "“%(name)s” is in the old Microsoft Office format; save it as DOCX, XLSX or "
                "PPTX and upload that."
            )
            % {"name": name}
        )
    if scan.utf8 and not scan.nul:
        if scan.markup:
            raise _refuse(
                _(
                    "“%(name)s” contains HTML, SVG or XML markup that a browser could run; only "
                    "plain text is accepted in a .%(extension)s file."
                )
                % {"name": name, "extension": extension}
            )
        return "text"
    if extension in KINDS["text"].extensions:
        reason = (
            _("it contains NUL bytes")
            if scan.utf8
            else _("it is not valid UTF-8 text; save it as UTF-8")
        )
        raise _refuse(
            _("“%(name)s” is not a plain text file: %(reason)s.") % {"name": name, "reason": reason}
        )
    raise _refuse(
        _("“%(name)s” is not a file type that is accepted (%(allowed)s).")
        % {"name": name, "allowed": ", ".join(ALLOWED_EXTENSIONS)}
    )


def check_upload(f, *, max_bytes: int | None = None, field: str = FIELD) -> FileCheck:
    """Check an uploaded file and describe it, or raise ValidationError({field: message}).

    `f` is a Django UploadedFile (or any seekable binary file with a `name`); it is read in
    chunks and left at position 0 for the caller to store. `field` names the form field the
    message belongs to ("attachment" unless given).
    """
    try:
        return _check(f, limit=max_upload_bytes() if max_bytes is None else max_bytes)
    except ValidationError as exc:
        if field == FIELD:
            raise
        raise ValidationError({field: exc.message_dict[FIELD]}) from None


def _check(f, *, limit: int) -> FileCheck:
    original_name = _basename(str(getattr(f, "name", "") or ""))
    name = original_name or _("the file")
    declared = getattr(f, "size", None)
    if declared is not None and declared > limit:
        raise _refuse(
            _("“%(name)s” is larger than the limit of %(limit)s MB.")
            % {"name": name, "limit": _mb(limit)}
        )
    _stem, dot, extension = original_name.rpartition(".")
    extension = extension.lower() if dot else ""
    if not extension:
        raise _refuse(
            _("“%(name)s” has no file extension; accepted are %(allowed)s.")
            % {"name": name, "allowed": ", ".join(ALLOWED_EXTENSIONS)}
        )
    scan = _scan(f, name=name, limit=limit)
    if scan.size == 0:
        raise _refuse(_("“%(name)s” is empty.") % {"name": name})
    kind = KINDS[_kind(f, scan, name=name, extension=extension)]
    if extension not in kind.extensions:
        raise _refuse(
            _(
                "“%(name)s” is named .%(extension)s but its content is %(kind)s; rename it "
                "to .%(expected)s or upload the intended file."
            )
            % {
                "name": name,
                "extension": extension,
                "kind": kind.label,
                "expected": kind.extensions[0],
            }
        )
    content_type = TEXT_CONTENT_TYPES.get(extension, kind.content_type)
    return FileCheck(
        sha256=scan.sha256,
        size=scan.size,
        content_type=content_type,
        extension=extension,
        original_name=original_name,
    )
