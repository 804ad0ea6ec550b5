"""The guide's Markdown, rendered safely: raw HTML is never interpreted, then an allowlist sanitiser
keeps only plain tags, no attribute but links, and no scheme but http(s), mailto and relative links."""

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "code", "pre", "hr",
        "table", "thead", "tbody", "tr", "th", "td"}


def render(text: str) -> str:
    html = _parser.render(text or "")
    return nh3.clean(html, tags=TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener")
