"""articles.sanitize: user Markdown → safe HTML (no database needed)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.sanitize import LINK_REL, MAX_SOURCE_CHARS, Rendered, clean_html, render_markdown
from tests.html_checks import assert_no_active_content
from tests.xss_payloads import XSS_PAYLOADS

MENTIONABLE = {"bob": "/people/bob/", "alice": "/people/alice/"}
NORMAL_TEXTS = [
    "**bold** and _em_ and `code`",
    "A paragraph.\nA second line.\n\nAnother paragraph with https://x.test/a and @bob.",
    "- one\n- two\n\n1. first\n2. second",
    "> quoted [link](https://x.test/q \"title\")\n\n```python\nprint('<b>hi</b>')\n```",
    "### Heading\n\n---\n\n<del>gone</del> mailto: [me](mailto:me@x.test)",
]
# The chrome of templates/base.html as rendered for a logged-in member of two teams.
SAMPLE_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="htmx-config" content='{"allowScriptTags": false, "allowEval": true}'>
  <title>Issue 1 · Digest</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/static/css/digest.css">
  <script src="/static/vendor/htmx-2.0.11.min.js" defer></script>
</head>
<body hx-headers='{"X-CSRFToken": "abc"}'>
  <header class="site-header">
    <nav class="main-nav"><a class="brand" href="/">Digest</a><a href="/tags/">Tags</a></nav>
    <nav class="user-nav">
      <form method="post" action="/teams/switch/" class="inline-form team-switch">
        <input type="hidden" name="csrfmiddlewaretoken" value="abc">
        <input type="hidden" name="next" value="/issues/1/">
        <label>Team <select name="team">
          <option value="1" selected>Demo team</option><option value="2">Other</option>
        </select></label>
        <noscript><button type="submit">Switch</button></noscript>
      </form>
      <form method="post" action="/accounts/logout/" class="inline-form"><button type="submit">Log out</button></form>
    </nav>
  </header>
  <main id="main">
    <a href="?newsletter=import-ai" hx-get="?newsletter=import-ai" hx-target="#issue-list" hx-swap="outerHTML">x</a>
    <div class="note-body" hx-target="this">USER</div>
  </main>
</body>
</html>
"""
PAYLOAD_IDS = [f"p{i:03d}" for i in range(len(XSS_PAYLOADS))]


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _render(source: str) -> str:
    return render_markdown(source, mentionable=MENTIONABLE).html


# --- every payload, every way in -------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=PAYLOAD_IDS)
def test_payload_rendered_as_markdown_is_inert(payload):
    assert_no_active_content(_render(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=PAYLOAD_IDS)
def test_payload_through_clean_html_is_inert(payload):
    assert_no_active_content(clean_html(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=PAYLOAD_IDS)
def test_payload_as_markdown_link_target_is_inert(payload):
    assert_no_active_content(_render(f"[x]({payload})"))


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=PAYLOAD_IDS)
def test_payload_as_reference_definition_is_inert(payload):
    assert_no_active_content(_render(f"see [x][ref] and [ref]\n\n[ref]: {payload}\n"))


@pytest.mark.parametrize("source", XSS_PAYLOADS + NORMAL_TEXTS, ids=PAYLOAD_IDS + ["normal"] * len(NORMAL_TEXTS))
def test_output_is_a_fixed_point_of_clean_html(source):
    html = _render(source)
    assert clean_html(html) == html
    assert clean_html(clean_html(html)) == clean_html(html)


def test_at_least_seventy_distinct_payloads():
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS) >= 70


# --- behaviour -------------------------------------------------------------------------------


def test_bold():
    assert render_markdown("**bold**") == Rendered(html="<p><strong>bold</strong></p>", mentions=())


def test_markdown_link_gets_forced_rel():
    assert render_markdown('[paper](https://x.test/p "The paper")').html == (
        f'<p><a href="https://x.test/p" title="The paper" rel="{LINK_REL}">paper</a></p>'
    )


def test_user_rel_is_replaced():
    html = clean_html('<a href="https://x.test/" rel="opener" target="_blank">x</a>')
    assert html == f'<a href="https://x.test/" rel="{LINK_REL}">x</a>'


def test_bare_url_is_linkified():
    assert render_markdown("see https://x.test/a, now").html == (
        f'<p>see <a href="https://x.test/a" rel="{LINK_REL}">https://x.test/a</a>, now</p>'
    )


def test_url_in_code_is_not_linkified():
    html = render_markdown("`https://x.test/a`\n\n```\nhttps://x.test/b\n```").html
    assert html == "<p><code>https://x.test/a</code></p>\n<pre><code>https://x.test/b\n</code></pre>"


def test_javascript_link_loses_its_href():
    link = _soup(render_markdown("[x](javascript:alert(1))").html).find("a")
    assert link is not None and not link.has_attr("href")


def test_mailto_link_is_kept():
    link = _soup(render_markdown("[me](mailto:me@x.test)").html).find("a")
    assert link["href"] == "mailto:me@x.test"


def test_relative_links_are_kept():
    html = render_markdown("[a](/people/bob/) [b](#p-3)").html
    assert [a["href"] for a in _soup(html).find_all("a")] == ["/people/bob/", "#p-3"]


def test_images_never_survive():
    html = render_markdown("![x](https://x.test/a.png) <img src=https://x.test/b.png>").html
    assert _soup(html).find("img") is None


def test_script_and_style_content_disappears():
    assert clean_html("<script>alert(1)</script><style>p{}</style>ok") == "ok"


def test_disallowed_tags_keep_their_text_and_comments_go():
    assert clean_html("<div><span>hi</span></div><!-- secret -->") == "hi"


def test_mention_becomes_a_link():
    rendered = render_markdown("hi @bob", mentionable={"bob": "/people/bob/"})
    mentions = _soup(rendered.html).select("a.mention")
    assert len(mentions) == 1
    assert mentions[0]["href"] == "/people/bob/"
    assert mentions[0].get_text() == "@bob"
    assert rendered.mentions == ("bob",)


def test_mention_is_case_insensitive_deduplicated_and_ordered():
    rendered = render_markdown("@Bob, @alice and @BOB again.", mentionable=MENTIONABLE)
    assert [a["href"] for a in _soup(rendered.html).select("a.mention")] == [
        "/people/bob/", "/people/alice/", "/people/bob/"
    ]
    assert rendered.mentions == ("bob", "alice")


def test_unknown_mention_stays_text():
    rendered = render_markdown("hi @carol", mentionable=MENTIONABLE)
    assert rendered == Rendered(html="<p>hi @carol</p>", mentions=())


def test_mention_in_code_is_not_a_link():
    rendered = render_markdown("`@bob`\n\n```\n@bob\n```", mentionable=MENTIONABLE)
    assert _soup(rendered.html).find("a") is None
    assert rendered.mentions == ()


def test_email_address_is_not_a_mention():
    rendered = render_markdown("write to x@bob.test", mentionable=MENTIONABLE)
    assert rendered == Rendered(html="<p>write to x@bob.test</p>", mentions=())


def test_mention_inside_a_link_is_not_nested():
    html = render_markdown("[@bob](https://x.test/)", mentionable=MENTIONABLE).html
    assert html == f'<p><a href="https://x.test/" rel="{LINK_REL}">@bob</a></p>'


def test_none_and_empty_render_empty():
    assert render_markdown(None) == render_markdown("") == Rendered(html="", mentions=())  # type: ignore[arg-type]


def test_input_over_the_cap_raises():
    render_markdown("a" * MAX_SOURCE_CHARS)
    with pytest.raises(ValueError, match="limit"):
        render_markdown("a" * (MAX_SOURCE_CHARS + 1))


def test_pre_leading_newline_stays_idempotent():
    # The HTML parser eats the newline right after <pre>; clean_html must put one back.
    once = clean_html("<pre>\n\n\nx</pre>")
    assert once == "<pre>\n\n\nx</pre>"
    assert clean_html(once) == once
    titled = clean_html('<a title="<pre>\nx" href="/">t</a>')
    assert clean_html(titled) == titled


def test_code_keeps_its_characters_escaped_once():
    # bleach's linkify re-escapes entities inside skip_tags (bleach issue #704); we undo that.
    html = render_markdown("`a < b && c` `&lt;`\n\n```\nif x > 0: y = '&amp;'\n```").html
    assert html == (
        "<p><code>a &lt; b &amp;&amp; c</code> <code>&amp;lt;</code></p>\n"
        "<pre><code>if x &gt; 0: y = '&amp;amp;'\n</code></pre>"
    )


def test_clean_html_is_idempotent_where_one_nh3_pass_is_not():
    # Stripping <table>/<form> leaves nesting that the HTML parser rebuilds differently.
    for source in ["<h3><table><h3>x", "<li><form><li>x", "<h3><a href=/x><table><h3><a href=/x><h3>"]:
        once = clean_html(source)
        assert clean_html(once) == once


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_renders_safely_and_idempotently(text):
    html = render_markdown(text, mentionable=MENTIONABLE).html
    assert_no_active_content(html)
    assert clean_html(html) == html


# Random text almost never looks like HTML, so also fuzz with the pieces attacks are made of.
_PIECES = [
    "<pre>", "</pre>", "\n", "\n\n", "<a href=", "<a href='", "javascript:", "java\u200bscript:", '"',
    "'", ">", "<p>", "</p>", "<code>", "</code>", "`", "```", "*", "_", "[", "](", "]: ", ")",
    "@bob", "@Bob", "&lt;", "&amp;", "&", "&#106;", "<svg>", "<math>", "<mtext>", "<style>",
    "</style>", "<table>", "<td>", "<li>", "> ", "- ", "1. ", "<!--", "-->", "<![CDATA[", "]]>",
    "<h3>", "<br>", "<template>", "<xmp>", "<noscript>", "</noscript>", "<textarea>",
    "<img src=x onerror=alert(1)>", "<script>", "</script>", "https://x.test/a", "x.com", "<b>",
    "</a>", "<form>", "<select>", "<title>", "<h1>", "#", "    ", "\t", "\x00", "<ul>", "<ol>",
    "<blockquote>", "<hr>", "<del>", " title=", " class=mention", "<a class=mention href=/people/bob/>", " ",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_html_like_text_renders_safely_and_idempotently(source):
    html = render_markdown(source, mentionable=MENTIONABLE).html
    assert_no_active_content(html)
    assert clean_html(html) == html
    cleaned = clean_html(source)
    assert_no_active_content(cleaned)
    assert clean_html(cleaned) == cleaned


# --- the checker itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<p onclick=alert(1)>x</p>",
        '<a href="java\u200bscript:alert(1)">x</a>',
        '<a href=" JAVA\tSCRIPT:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<p hx-get="/admin/">x</p>',
        '<p data-hx-trigger="load">x</p>',
        '<p style="color:red">x</p>',
        "<svg></svg>",
        '<img src="/a.png">',
    ],
)
def test_checker_catches_active_content(html):
    with pytest.raises(AssertionError):
        assert_no_active_content(html)


def test_checker_accepts_relative_and_safe_links():
    assert_no_active_content(
        '<a href="/people/bob/">b</a><a href="#p-3">p</a><a href="?page=2">n</a>'
        '<a href="https://x.test/">h</a><a href="mailto:a@x.test">m</a>'
    )


def test_checker_accepts_the_site_chrome_of_a_whole_page():
    assert_no_active_content(SAMPLE_PAGE, within=".note-body")


@pytest.mark.parametrize(
    "injected",
    [
        "<script>alert(1)</script>",
        '<script src="https://evil.test/x.js"></script>',
        '<a href="javascript:alert(1)">x</a>',
        '<p onmouseover="alert(1)">x</p>',
        '<select onchange="alert(1)"></select>',
        '<button hx-on:click="alert(1)">x</button>',
        '<meta http-equiv="refresh" content="0;url=https://evil.test/">',
        '<link rel="stylesheet" href="https://evil.test/x.css">',
        '<iframe src="/"></iframe>',
    ],
)
def test_checker_still_catches_active_content_on_a_whole_page(injected):
    with pytest.raises(AssertionError):
        assert_no_active_content(SAMPLE_PAGE.replace("</main>", injected + "</main>"))


def test_checker_is_strict_within_user_content_regions():
    page = SAMPLE_PAGE.replace("USER", '<form action="/x"><button>go</button></form>')
    assert_no_active_content(page)  # a form is fine in the page chrome …
    with pytest.raises(AssertionError, match="in .note-body"):  # … but not inside user content
        assert_no_active_content(page, within=".note-body")
    with pytest.raises(AssertionError, match="no element matches"):
        assert_no_active_content(page, within=".comment-body")


# --- the boundary stays in one place ---------------------------------------------------------


def test_only_sanitize_imports_the_html_libraries():
    articles = Path(__file__).resolve().parent.parent / "articles"
    offenders = []
    for path in sorted(articles.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [node.module]
            else:
                continue
            if any(m.split(".")[0] in {"bleach", "nh3", "markdown"} for m in modules):
                offenders.append(path.relative_to(articles).as_posix())
    # The importer converts newsletter Markdown to HTML only to flatten it into plain text + marks
    # (no HTML is ever stored or shown from it); every HTML a page shows still comes from sanitize.
    assert set(offenders) == {"sanitize.py", "importer/markdown_doc.py"}
