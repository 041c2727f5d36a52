"""Document content written in Markdown, rendered to HTML that is safe to show and to print.

Controlled documents (ISO 13485:2016 4.2.4) keep their text as Markdown. Anyone who may edit a
draft can write it, and everyone who may read the document sees the result, so the renderer
treats the text as untrusted:

- CommonMark with tables and strikethrough; raw HTML is never passed through, it is shown as text;
- links only to http(s), mailto, relative paths and #anchors; anything with another scheme
  (javascript:, vbscript:, data:, ...), however it is spelt, cased, percent- or entity-encoded,
  loses its target and stays as plain text;
- images only from relative paths or https; any other image is shown as its alt text;
- the HTML attributes are produced by the renderer alone, so no event handler or style attribute
  can be written into the output;
- headings get ids ("sec-" + a slug of the heading text) for a table of contents and links;
  a link "#purpose" to a heading "Purpose" in the same text points at "#sec-purpose". The
  prefix keeps heading ids apart from the ids of the page around the content.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from urllib.parse import unquote

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

HEADING_ID_PREFIX = "sec-"

# Markdown beyond this length is cut off with a notice: a controlled document of two hundred
# pages stays below it, and the parser's time (linear, but a few seconds at this size for
# adversarial text) stays bounded. Forms should refuse longer text before it is saved.
MAX_MARKDOWN_CHARS = 500_000

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"https"})

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_NOT_SLUG = re.compile(r"[^\w\- ]+")
_SPACES = re.compile(r"[\s\-]+")
_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


def _scheme_and_rest(url: str) -> tuple[str | None, str]:
    """The scheme of `url` as a browser would read it, after undoing every encoding trick.

    Browsers ignore control characters and whitespace inside a scheme and compare it without
    case; percent-encoding is undone repeatedly so that "%256a" cannot hide a letter either.
    Returns (scheme or None for a relative URL, the cleaned URL).
    """
    probe = url
    for _round in range(4):
        decoded = unquote(probe)
        if decoded == probe:
            break
        probe = decoded
    probe = unicodedata.normalize("NFKC", probe)
    probe = _INVISIBLE.sub("", probe).lower()
    match = _SCHEME.match(probe)
    if match:
        return match.group(1), probe
    head = re.split(r"[/?#]", probe, maxsplit=1)[0]
    if ":" in head:
        # "java%3ascript:..." after decoding, or an odd character inside the scheme: not a
        # relative path, so treat it as an unknown scheme.
        return "", probe
    return None, probe


def is_safe_link(url: str) -> bool:
    """Whether `url` may be the target of a link: http(s), mailto, relative, or #anchor."""
    scheme, _ = _scheme_and_rest(url)
    return scheme is None or scheme in LINK_SCHEMES


def is_safe_image(url: str) -> bool:
    """Whether `url` may be the source of an image: a relative path or https."""
    if not url.strip():
        return False
    scheme, probe = _scheme_and_rest(url)
    if scheme is None:
        # "//host/x" and "/\host/x" reach another host over whatever scheme the page uses.
        return not (probe.startswith("//") or probe.startswith("/\\") or probe.startswith("\\"))
    return scheme in IMAGE_SCHEMES


class _SafeMarkdownIt(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return is_safe_link(url)


def slugify_heading(text: str) -> str:
    """A readable anchor slug: "4.2 Control of records" gives "42-control-of-records"."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _NOT_SLUG.sub("", text)
    slug = _SPACES.sub("-", text).strip("-_")
    return slug[:80].rstrip("-_") or "section"


def _heading_ids(state) -> None:
    """Core rule: give every heading a unique id and remember the slugs for #anchor links."""
    used: dict[str, int] = {}
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        text = "".join(
            child.content
            for child in (inline.children or [])
            if child.type in {"text", "code_inline"}
        )
        slug = slugify_heading(text)
        count = used.get(slug, 0)
        used[slug] = count + 1
        if count:
            slug = f"{slug}-{count + 1}"
            used[slug] = used.get(slug, 0) + 1
        token.attrSet("id", HEADING_ID_PREFIX + slug)
    state.env["heading_slugs"] = set(used)


def _render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if not href or not is_safe_link(href):
        return "<a>"
    if href.startswith("#") and href[1:] in env.get("heading_slugs", ()):
        href = f"#{HEADING_ID_PREFIX}{href[1:]}"
    attrs = f' href="{escapeHtml(href)}"'
    title = token.attrGet("title")
    if title:
        attrs += f' title="{escapeHtml(str(title))}"'
    if _SCHEME.match(href.lower()) and not href.lower().startswith("mailto:"):
        attrs += ' rel="noopener noreferrer nofollow"'
    return f"<a{attrs}>"


def _render_image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    src = str(token.attrGet("src") or "")
    if not is_safe_image(src):
        return escapeHtml(alt)
    attrs = f' src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"'
    title = token.attrGet("title")
    if title:
        attrs += f' title="{escapeHtml(str(title))}"'
    return f'<img{attrs} loading="lazy">'


def _render_cell(self, tokens, idx, options, env) -> str:
    """Table cells with a class for their alignment instead of an inline style."""
    token = tokens[idx]
    tag = token.tag
    match = _ALIGN.search(str(token.attrGet("style") or ""))
    return f'<{tag} class="align-{match.group(1)}">' if match else f"<{tag}>"


@cache
def _parser() -> MarkdownIt:
    md = _SafeMarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.core.ruler.push("heading_ids", _heading_ids)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("th_open", _render_cell)
    md.add_render_rule("td_open", _render_cell)
    return md


def render_markdown(text: str) -> SafeString:
    """The HTML of Markdown `text`, safe to insert into a page or a PDF as it is."""
    text = (text or "").replace("\x00", "\ufffd")
    notice = ""
    if len(text) > MAX_MARKDOWN_CHARS:
        text = text[:MAX_MARKDOWN_CHARS]
        message = _("The text is longer than %(limit)s characters; the rest is not shown.") % {
            "limit": MAX_MARKDOWN_CHARS
        }
        notice = f'<p class="md-truncated">{escapeHtml(message)}</p>\n'
    env: dict = {}
    html = _parser().render(text, env)
    return mark_safe(html + notice)
