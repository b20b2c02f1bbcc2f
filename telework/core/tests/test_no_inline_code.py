"""The enforcing content-security policy (``script-src 'self'``, ``style-src 'self'``) refuses inline code: these tests
keep new ``<script>`` blocks with code, ``on…=`` handlers, ``javascript:`` URLs, ``style=`` attributes and
``<style>`` blocks out of the pages (docs/security.md). Scripts live in static files and read their data from
``data-*`` attributes or a ``json_script`` block; sizes and colours are classes of a static stylesheet.

Templates rendered only into PDFs by WeasyPrint (never served to a browser, so outside the policy) may keep their
inline styles: they are listed here by folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Rendered into PDFs by WeasyPrint (exports, print-outs, reports, the documents' shared header and style).
PDF_ONLY = ("/exports/", "/print/", "/reports/", "/core/documents/", "organization/accounts/code_sheets.html")

# The DOM's event handler attributes (onclick, onchange, onmouseover, …); a data key such as "online" is not one.
EVENT = r"on(?:click|dblclick|change|submit|reset|input|invalid|load|unload|beforeunload|error|abort|focus|blur|key\w+|mouse\w+|pointer\w+|touch\w+|drag\w*|drop|wheel|scroll|resize|select|toggle|contextmenu|copy|cut|paste|animation\w+|transition\w+)"
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
HTML_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(rf"\s({EVENT}|style|hx-on[:\w-]*)\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"javascript:", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)


def served_templates() -> list[Path]:
    templates = sorted((ROOT / "telework").glob("*/templates/**/*.html"))
    return [path for path in templates if not any(part in path.as_posix() for part in PDF_ONLY)]


def inline_code(text: str) -> list[str]:
    """What the policy would refuse in a template's text: the template language's own tags and comments are set
    aside first (``{% blocktranslate with onsite=… %}`` is not a handler)."""
    text = TEMPLATE_TAG.sub("", TEMPLATE_COMMENT.sub("", text))
    found = [match.group(0) for match in INLINE_SCRIPT.finditer(text)]
    found += [match.group(0) for match in STYLE_BLOCK.finditer(text)]
    found += [match.group(0) for match in JAVASCRIPT_URL.finditer(text)]
    for tag in HTML_TAG.finditer(text):
        found += [f"{match.group(1)}= in {tag.group(0)[:80]}" for match in HANDLER.finditer(tag.group(0))]
    return found


def test_the_scan_finds_each_kind_of_inline_code():
    assert inline_code('<script>alert(1)</script><script src="/static/a.js" defer></script>') == ["<script>"]
    assert inline_code('<script type="application/json" id="d">{}</script>') == []
    assert inline_code('<select onchange="this.form.submit()">') == ['onchange= in <select onchange="this.form.submit()">']
    assert inline_code('<div class="x" style="width: {{ percent }}%">') == ['style= in <div class="x" style="width: %">']
    assert inline_code('<a href="javascript:void(0)">') == ["javascript:"]
    assert inline_code("<style>.a {}</style>") == ["<style"]
    assert inline_code('<div hx-on:click="go()">') == ['hx-on:click= in <div hx-on:click="go()">']
    assert inline_code("{% blocktranslate with onsite=totals.on_site %}on site {{ onsite }}{% endblocktranslate %}") == []
    assert inline_code('{# <div style="x"> #}<p data-width="3">') == []


@pytest.mark.parametrize("path", served_templates(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_served_templates_carry_no_inline_script_handler_or_style(path):
    assert inline_code(path.read_text(encoding="utf-8")) == []


def test_python_rendered_html_carries_no_handler_or_style():
    """Widgets' ``attrs`` and HTML built in Python (format_html, mark_safe) are served like templates."""
    attribute_key = re.compile(rf"[\"']({EVENT}|style)[\"']\s*:")
    attribute_in_markup = re.compile(rf"<[a-z][^<>]*\s({EVENT}|style)=")
    offenders = []
    for path in sorted((ROOT / "telework").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            if attribute_key.search(line) or attribute_in_markup.search(line) or "<script>" in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert offenders == []


def test_static_scripts_neither_evaluate_code_nor_write_style_attributes():
    """Our own scripts (not the vendored packages): no eval, no ``new Function``, no ``setAttribute("style", …)``,
    no markup with a ``style=`` or handler attribute; a size set from data goes through the CSSOM
    (``element.style.height = …``), which the policy allows."""
    scripts = sorted((ROOT / "static" / "telework").glob("*.js")) + sorted((ROOT / "telework").glob("*/static/**/*.js"))
    assert scripts
    forbidden = re.compile(rf"\beval\(|new Function\(|setAttribute\(\s*[\"']style|\sstyle=|\s{EVENT}=|setTimeout\(\s*[\"']")
    offenders = [f"{path.relative_to(ROOT)}: {match.group(0)}" for path in scripts for match in forbidden.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_htmx_is_told_not_to_inject_its_indicator_style_nor_to_evaluate_code():
    base = (ROOT / "telework" / "portal" / "templates" / "base.html").read_text(encoding="utf-8")
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>""" in base
    css = (ROOT / "static" / "telework" / "app.css").read_text(encoding="utf-8")
    assert ".htmx-request .htmx-indicator { opacity: 1;" in css
