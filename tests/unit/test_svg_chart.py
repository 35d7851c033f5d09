"""The server-drawn charts: points placed by date and percentage, every text escaped, and a
bar's segments in proportion to their counts."""

import re
from datetime import date

from chidao.web.svg_chart import Point, rate_chart, stacked_bar


def test_points_sit_by_date_and_percentage_and_texts_are_escaped():
    chart = str(rate_chart([Point(date(2026, 3, 1), 0, "a <b>"),
                            Point(date(2026, 3, 11), 100, "c & d"),
                            Point(date(2026, 3, 21), 50, "e")], title="<script>x</script>"))
    assert "<script>" not in chart and "&lt;script&gt;" in chart and "a &lt;b&gt;" in chart
    circles = [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"',
                                                           chart)]
    (x0, y0), (x1, y1), (x2, y2) = circles
    assert x1 - x0 == x2 - x1 > 0  # ten days apart each
    assert y0 > y2 > y1 and abs((y0 + y1) / 2 - y2) < 0.1  # 0 % low, 100 % high, 50 % between
    assert 'role="img"' in chart and "<title" in chart and "<desc" in chart


def test_a_bar_splits_in_proportion():
    bar = str(stacked_bar([(1, "#b91c1c", "1 trễ"), (0, "#c2410c", "0"), (3, "#15803d", "3")],
                          label="x", width=400))
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" width="([\d.]+)"', bar)]
    assert widths == [100.0, 300.0]  # the empty segment is not drawn
