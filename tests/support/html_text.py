"""The text of a page's elements by class, as a reader gets it (tags dropped, whitespace
collapsed, what is aria-hidden left out)."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"br", "img", "input", "meta", "link", "hr", "path", "rect", "source", "wbr"}


class _ByClass(HTMLParser):
    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class = css_class
        self.stack: list[bool] = []  # inside a wanted element: per open tag, is it hidden
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        values = dict(attrs)
        if self.stack:
            self.stack.append(self.stack[-1] or values.get("aria-hidden") == "true")
        elif self.css_class in (values.get("class") or "").split():
            self.stack.append(False)
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and not self.stack[-1]:
            self.found[-1] += data


def texts_of(html: str, css_class: str) -> list[str]:
    """The text of each element with `css_class`, whitespace collapsed."""
    parser = _ByClass(css_class)
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.found]
