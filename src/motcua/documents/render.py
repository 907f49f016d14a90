"""HTML template → PDF with WeasyPrint.

WeasyPrint is imported inside the function, never at module level: without pango it raises at
import time, and a module-level import would take every page of the site down with it
(docs/architecture.md §11). Only the papers fail then.
"""

import threading

from django.template.loader import render_to_string

_local = threading.local()


def _font_config():
    # Building a FontConfiguration walks fontconfig; one per thread keeps warm renders cheap
    # (WeasyPrint objects are not documented as thread-safe, so they are not shared).
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def _url_fetcher():
    # Papers embed everything (QR as inline SVG); refusing other schemes means text typed by a
    # citizen can never make the renderer read a local file or call the network.
    fetcher = getattr(_local, "url_fetcher", None)
    if fetcher is None:
        from weasyprint.urls import URLFetcher

        fetcher = _local.url_fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    return fetcher


def render_pdf(template_name: str, context: dict, *, page_size: str = "A4") -> bytes:
    """Render a Django template to PDF bytes.

    `page_size` is a CSS page size ("A4", "A5", "A4 landscape"); the base template
    (documents/base.html) turns it into the `@page` rule with the NĐ 30/2020 margins.
    """
    import weasyprint

    html = render_to_string(template_name, {**context, "page_size": page_size})
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_url_fetcher())
    return document.write_pdf(font_config=_font_config())
