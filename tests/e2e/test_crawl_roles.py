"""Every page a demo role reaches from its landing page (same-origin links, two clicks deep)
at 1366 px and 390 px: it answers, fits a phone, speaks Vietnamese (no English status words,
no raw field keys, no Python reprs) and says the moment its figures are at. Screenshots of
each page go to test-artifacts/screenshots/crawl-*."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.e2e.demo_site import PHONE, WIDTHS, screenshot, sign_in

ROLES = ("chuyenvien.so", "chuyenvien.kienhai", "hieutruong.hontre", "hieutruong.laison")
MAX_DEPTH = 2
MAX_PAGES = 45  # per role and width: the landing page's links, then theirs
ENGLISH = re.compile(r"\b(submitted|returned|accepted|received|issued|queued|sent|failed|True"
                     r"|False|None)\b", re.IGNORECASE)
# a raw key: snake_case (so_lop, goc_stem) or a directive's or requirement's kebab-case key
# (kh-kien-hai-stem-2026), not inside an e-mail address, an address or a file name
RAW_KEY = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@-]|\.\w)"
                     r"|(?<![\w.@/-])[a-z][a-z0-9]*(?:-[a-z0-9]+){2,}(?![\w@/-]|\.\w)")
REPR = re.compile(r"\{'|\['")
# what a user reads: code samples (a YAML example in <pre>, a request id in <code>) left out
VISIBLE_TEXT = """() => { let text = document.body.innerText;
    for (const sample of document.querySelectorAll('main pre, main code')) {
        if (sample.innerText) text = text.split(sample.innerText).join(' ');
    }
    return text; }"""
SKIP = re.compile(r"/logout|\.(xlsx|docx|pdf|csv|txt|zip)$|/files/|/download|/api/")


def links_of(page, base: str) -> list[str]:
    """Same-origin paths (with their query) of the page's links, downloads left out."""
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))")
    found = []
    for href in hrefs:
        url = urlsplit(urljoin(page.url, href))
        if f"{url.scheme}://{url.netloc}" != base or SKIP.search(url.path):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def problems_of(page, status: int, width: int) -> list[str]:
    found = []
    if status >= 400:
        found.append(f"answers {status}")
    if width == PHONE["width"]:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            found.append(f"{scroll} px wide at {width} px")
    text = page.evaluate(VISIBLE_TEXT)
    english = sorted({m[0] for m in ENGLISH.finditer(text)})
    if english:
        found.append(f"English words: {english}")
    keys = sorted({m[0] for m in RAW_KEY.finditer(text)})
    if keys:
        found.append(f"raw field keys: {keys[:8]}")
    reprs = [text[max(0, m.start() - 30):m.end() + 30] for m in REPR.finditer(text)]
    if reprs:
        found.append(f"Python reprs: {reprs[:3]}")
    if "Số liệu tại" not in text:
        found.append("no moment line (Số liệu tại …)")
    return found


def crawl(page, base: str, width: int, name: str) -> tuple[dict[str, list[str]], int]:
    """Breadth first from the landing page; {path: problems} of the pages with any, and how
    many pages were seen."""
    landing = urlsplit(page.url)
    queue = [(landing.path + (f"?{landing.query}" if landing.query else ""), 0, "")]
    seen: set[str] = set()
    failing: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        path, depth, came_from = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(base + path)
        status = response.status if response else 0
        slug = re.sub(r"[^\w]+", "-", path).strip("-") or "home"
        screenshot(page, f"crawl-{name}-{slug}-{width}")
        problems = problems_of(page, status, width)
        if problems:
            failing[path] = problems + ([f"(linked from {came_from})"] if came_from else [])
        if depth < MAX_DEPTH and status < 400:
            queue += [(link, depth + 1, path) for link in links_of(page, base)
                      if link not in seen]
    return failing, len(seen)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("username", ROLES)
def test_every_reachable_page_is_vietnamese_fits_and_says_its_moment(demo_site, browser,
                                                                      username, width):
    viewport = WIDTHS[width]
    page = sign_in(browser, demo_site, username, viewport)
    failing, seen = crawl(page, demo_site.base, viewport["width"], username)
    page.context.close()
    assert seen >= 6, f"{username} reached only {seen} pages"
    report = "\n".join(f"  {path}: {'; '.join(problems)}" for path, problems in failing.items())
    assert not failing, f"{username} at {viewport['width']} px, {len(failing)} of {seen}" \
                        f" pages:\n{report}"
