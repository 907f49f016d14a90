"""Reading the statistics pages: the period of the known data set in the query string, the
number cells' links and how many dossiers a list page shows."""

import html
import re

from tests.reports.factories import MARCH

PERIOD = f"tu_ngay={MARCH['start'].isoformat()}&den_ngay={MARCH['end'].isoformat()}"


def number_links(fragment: str) -> list[tuple[str, str]]:
    """(url, number) of each linked number cell in an HTML fragment."""
    return [
        (html.unescape(u), t)
        for u, t in re.findall(r'<td class="num"><a href="([^"]+)"[^>]*>([^<]+)</a>', fragment)
    ]


def listed(client, url: str) -> int:
    """How many dossiers the list page at `url` shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode().count('class="dossier-row"')
