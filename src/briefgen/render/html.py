"""The briefing as one HTML page: a Jinja environment with its filters, and a pure `render_html`.

`build_view` computes every figure; the templates hold all the wording; `render_html` gives the same bytes
for the same inputs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from briefgen.errors import TemplateError
from briefgen.models import AgreementReport, CodedResult, Verification
from briefgen.render import charts
from briefgen.render.appendix import Source
from briefgen.render.briefing import Briefing
from briefgen.render.view import build_view, percent
from briefgen.render.words import number_words, upper_first
from briefgen.resources import templates_dir
from briefgen.text import long_date

TEMPLATE = "briefing.html.j2"


def safe_href(url: str) -> str:
    """A link target from a codebook or briefing: web and e-mail links only, anything else goes nowhere."""
    return url if urlsplit(url).scheme.lower() in ("http", "https", "mailto") else "#"


def pairs(items: Iterable[Any], first: str, second: str) -> list[tuple[Any, Any]]:
    """(item.first, item.second) for each item: the data of a chart."""
    return [(getattr(item, first), getattr(item, second)) for item in items]


@functools.cache
def _markdown() -> MarkdownIt:
    # Raw HTML in the analyst's text is escaped, not passed through; images are not fetched.
    return (
        MarkdownIt("commonmark", {"html": False, "typographer": True})
        .enable(["replacements", "smartquotes"])
        .disable("image")
    )


def markdown_block(text: str | None) -> Markup:
    return Markup(_markdown().render(text or ""))


def markdown_inline(text: str | None) -> Markup:
    return Markup(_markdown().renderInline(text or ""))


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja environment: the templates folder, autoescaping on, and undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=markdown_block,
        md_inline=markdown_inline,
        words=number_words,
        upper_first=upper_first,
        long_date=long_date,
        percent=percent,
        pairs=pairs,
        href=safe_href,
    )
    env.globals.update(
        bar_chart=charts.bar_chart,
        donut_chart=charts.donut_chart,
        flow_diagram=charts.flow_diagram,
    )
    return env


def render_html(
    coded: CodedResult,
    briefing: Briefing,
    *,
    agreement: AgreementReport | None = None,
    new_cases: Sequence[str] = (),
    verification: Verification | None = None,
    sources: Mapping[str, Source] | None = None,
) -> str:
    """The briefing as one self-contained HTML document; the same inputs give the same bytes.
    `new_cases` (sources new since the last edition) are marked "New" in Appendix A."""
    view = build_view(
        coded, briefing, agreement=agreement, new_cases=new_cases, verification=verification, sources=sources
    )
    try:
        template = environment().get_template(TEMPLATE)
        return template.render(view=view, b=briefing, generator="briefgen")
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise TemplateError(f"{where}{exc.message or exc}", path=templates_dir() / TEMPLATE) from None
