"""Markdown of controlled documents renders to HTML in which nothing can run."""

from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.utils.safestring import SafeString

from samsvar.documents import markdown
from samsvar.documents.markdown import render_markdown

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"href", "title", "rel", "src", "alt", "loading", "id", "class", "start"}


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html):
    parser = _Collect()
    parser.feed(html)
    parser.close()
    return parser.tags


def _scheme(url):
    text = "".join(ch for ch in unquote(url) if ch > " ").lower()
    head = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return head.split(":", 1)[0] if ":" in head else None


def assert_inert(html):
    """Every element and attribute is one the renderer may produce; every URL is allowed."""
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRIBUTES, (tag, name, html)
            assert not name.startswith("on")
            if name == "href":
                assert _scheme(value) in {None, "http", "https", "mailto"}, html
            if name == "src":
                assert _scheme(value) in {None, "https"}, html
                assert not value.startswith("//"), html
            if name == "class":
                assert value.startswith(("align-", "language-", "md-")), html


MALICIOUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "<style>body{display:none}</style>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](java%09script:alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x](javascript%3Aalert(1))",
    "[x](\\javascript:alert(1))",
    "[x](javascript\\:alert(1))",
    "[x](\u200bjavascript:alert(1))",
    "[x](\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x][ref]\n\n[ref]: javascript:alert(1) "title"',
    "[x]\n\n[x]: vbscript:alert(1)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](http://insecure.example/a.png)",
    "![x](//evil.example/a.png)",
    "![x](/\\evil.example/a.png)",
    "[![img](javascript:alert(1))](javascript:alert(2))",
    "[a [b](javascript:alert(1)) c](https://ok.example)",
    '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
    '[x](#" onmouseover="alert(1))',
    '```" onclick="alert(1)\nx\n```',
    "``` javascript:alert(1)\nx\n```",
    "# <img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <script>alert(1)</script> |",
    "> <iframe src=javascript:alert(1)>",
    "*<script>*alert(1)*</script>*",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<!-- --><script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "[x](https://ok.example)<img src=x onerror=alert(1)>",
    "java\x00script:alert(1) [x](java\x00script:alert(1))",
    "[x](javascript:alert(1)\x00)",
]


@pytest.mark.parametrize("source", MALICIOUS)
def test_nothing_executable_survives(source):
    html = str(render_markdown(source))
    assert_inert(html)
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<iframe" not in lowered
    assert "<svg" not in lowered
    assert "<style" not in lowered


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "[x](data:text/html,hi)",
    ],
)
def test_a_refused_link_leaves_no_target(source):
    html = str(render_markdown(source))
    assert all("href" not in attrs for _tag, attrs in elements(html))


def test_raw_html_is_shown_as_text():
    html = str(render_markdown('<b onclick="x()">bold</b>'))
    assert "&lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt;" in html


def test_attribute_values_are_escaped():
    html = str(render_markdown('[x](https://ok.example "a\\" onmouseover=\\"b")'))
    tags = elements(html)
    assert tags == [
        ("p", {}),
        (
            "a",
            {
                "href": "https://ok.example",
                "title": 'a" onmouseover="b',
                "rel": "noopener noreferrer nofollow",
            },
        ),
    ]


def test_images_from_relative_paths_and_https_render_and_others_become_alt_text():
    html = str(
        render_markdown(
            "![Flow](img/flow.png) ![Pump](https://cdn.example/pump.png) "
            "![Plain](http://cdn.example/x.png) ![Inline](data:image/png;base64,AAAA)"
        )
    )
    images = [attrs for tag, attrs in elements(html) if tag == "img"]
    assert [i["src"] for i in images] == ["img/flow.png", "https://cdn.example/pump.png"]
    assert [i["alt"] for i in images] == ["Flow", "Pump"]
    assert "Plain" in html
    assert "cdn.example/x.png" not in html


def test_nul_bytes_are_replaced_and_never_reach_the_output():
    html = str(render_markdown("# Tit\x00le\n\nA\x00B [l](https://x.example/\x00)"))
    assert "\x00" not in html
    assert "Tit\ufffdle" in html


def test_ordinary_markdown_renders():
    source = """# Purpose

This procedure covers **complaint handling** and *trending*, with `F-021` as the form.

## Steps

1. Receive the complaint.
2. Assess reportability.

- QA
- RA

| Step | Owner | Days |
|------|:-----:|-----:|
| Log  | QA    | 1    |

```
IF serious THEN report
```

> Note: see ~~SOP-003~~ SOP-004.

See [scope](#purpose), [DMP](https://www.dmp.no/) and [mail](mailto:qa@fjordmed.no)
and [the form](../forms/F-021).

---
"""
    html = render_markdown(source)
    assert isinstance(html, SafeString)
    tags = [tag for tag, _attrs in elements(str(html))]
    for tag in ("h1", "h2", "strong", "em", "code", "ol", "ul", "li", "table", "th", "td",
                "pre", "blockquote", "s", "a", "hr"):  # fmt: skip
        assert tag in tags, tag
    links = [attrs["href"] for tag, attrs in elements(str(html)) if tag == "a"]
    assert links == [
        "#sec-purpose",
        "https://www.dmp.no/",
        "mailto:qa@fjordmed.no",
        "../forms/F-021",
    ]
    assert '<th class="align-center">Owner</th>' in html
    assert '<td class="align-right">1</td>' in html
    assert "IF serious THEN report" in html
    assert_inert(str(html))


def test_headings_get_unique_prefixed_ids():
    html = str(render_markdown("# Scope\n\n## Scope\n\n### 4.2 Control of records\n\n# Æøå?"))
    ids = [attrs["id"] for tag, attrs in elements(html) if tag.startswith("h")]
    assert ids == ["sec-scope", "sec-scope-2", "sec-42-control-of-records", "sec-æøå"]


def test_an_anchor_to_an_unknown_heading_is_left_as_written():
    html = str(render_markdown("# Scope\n\n[a](#scope) [b](#nowhere)"))
    links = [attrs["href"] for tag, attrs in elements(html) if tag == "a"]
    assert links == ["#sec-scope", "#nowhere"]


def test_empty_and_none_render_to_nothing():
    assert str(render_markdown("")) == ""
    assert str(render_markdown(None)) == ""


@pytest.mark.parametrize(
    "source",
    [
        "[" * 20_000,
        "![" * 10_000,
        "*a" * 10_000,
        "> " * 10_000 + "x",
        "- " * 10_000 + "x",
        "`" * 20_000,
        "|" * 10_000 + "\n" + "|-" * 5_000,
        "[a](" * 5_000,
    ],
)
def test_pathological_input_renders_and_stays_inert(source):
    html = str(render_markdown(source))
    assert_inert(html)


def test_text_beyond_the_limit_is_cut_off_with_a_notice(monkeypatch):
    monkeypatch.setattr(markdown, "MAX_MARKDOWN_CHARS", 1_000)
    html = str(render_markdown("word " * 1_000 + "TAIL-MARKER"))
    assert "TAIL-MARKER" not in html
    assert "longer than 1000 characters" in html
    assert html.count("word") <= 200


def test_safe_url_predicates():
    assert markdown.is_safe_link("https://x.example/a?b#c")
    assert markdown.is_safe_link("../b.md")
    assert markdown.is_safe_link("#anchor")
    assert markdown.is_safe_link("mailto:a@b.no")
    assert not markdown.is_safe_link("javascript:alert(1)")
    assert not markdown.is_safe_link("%256Aavascript:alert(1)")
    assert not markdown.is_safe_link("java\tscript:x")
    assert not markdown.is_safe_link("tel:+4712345678")
    assert markdown.is_safe_image("img/a.png")
    assert markdown.is_safe_image("https://x.example/a.png")
    assert not markdown.is_safe_image("")
    assert not markdown.is_safe_image("http://x.example/a.png")
    assert not markdown.is_safe_image("//x.example/a.png")
    assert not markdown.is_safe_image("\\\\server\\share\\a.png")
