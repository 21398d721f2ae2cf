"""Following the public site's own links, as a resident (or a search engine) does."""

from urllib.parse import urlsplit

from bs4 import BeautifulSoup

SKIPPED_PREFIXES = ("/admin/", "/documents/", "/media/", "/static/", "/feed", "/en/feed")


def crawl(client, start, raw=None):
    """Every page of the site reachable from `start` by following its own links (no admin, no files),
    parsed; `raw`, a dict if given, receives each page's bytes as served."""
    seen, queue, pages = set(), [start], {}
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        pages[path] = BeautifulSoup(response.content, "html.parser")
        if raw is not None:
            raw[path] = response.content
        for link in pages[path].find_all("a", href=True):
            parts = urlsplit(link["href"])
            if parts.netloc or not parts.path.startswith("/") or parts.query:
                continue
            if parts.path.startswith(SKIPPED_PREFIXES):
                continue
            if parts.path.endswith((".ics", ".xml", ".txt")) or "/lapor/" in parts.path:
                continue
            queue.append(parts.path)
    return pages
