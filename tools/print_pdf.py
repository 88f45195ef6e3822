"""`make pdf`: the printable edition of the book, _build/terres-rares.pdf.

Each page of the table of contents is printed by Debian's chromium from the built site (so the
Altair charts are drawn by Vega exactly as on screen, as vector graphics), with the site's print
stylesheet, and the pages are merged in reading order. No LaTeX needed.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter

from tools.site import chromium, serve, wait_for_charts
from widgets.paths import BUILD, toc_pages

OUTPUT = BUILD / "terres-rares.pdf"


def print_with(browser, base_url: str, pages: list[str], output: Path) -> Path:
    """Print ``pages`` (paths without .html) from the site at ``base_url`` into one PDF."""
    writer = PdfWriter()
    output.parent.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    parts = []
    try:
        for number, doc in enumerate(pages):
            page.goto(base_url + doc + ".html", wait_until="networkidle")
            wait_for_charts(page)
            part = output.parent / f".print-{number:02d}.pdf"
            page.pdf(
                path=str(part),
                format="A4",
                print_background=True,
                margin={"top": "15mm", "bottom": "15mm", "left": "14mm", "right": "14mm"},
            )
            parts.append(part)
            writer.append(str(part), outline_item=page.title().split("—")[0].strip())
    finally:
        page.close()
    with output.open("wb") as stream:
        writer.write(stream)
    for part in parts:
        part.unlink()
    return output


def print_pages(pages: list[str], output: Path) -> Path:
    """Serve the built site on 127.0.0.1, start chromium and print ``pages`` into ``output``."""
    with serve() as base, chromium() as browser:
        return print_with(browser, base, pages, output)


if __name__ == "__main__":
    path = print_pages(toc_pages(), OUTPUT)
    print(f"Printable edition: {path}")
