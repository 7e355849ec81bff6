"""Server-rendered horizontal bar charts: geometry computed here, drawn by a template as SVG."""

from dataclasses import dataclass

from django.utils.formats import number_format

WIDTH = 480
LABEL_WIDTH = 190
BAR_MAX = 240
ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_LENGTH = 22


@dataclass
class Bar:
    label: str
    short_label: str
    value: int
    value_text: str
    y: int
    text_y: int
    width: int
    value_x: int


@dataclass
class BarChart:
    title: str
    width: int
    height: int
    bar_x: int
    bars: list


def bar_chart(table, *, column=1):
    """A bar per row of `table`, the bars' length the row's value in `column` (None counts as 0)."""
    rows = table.rows if table.chart_rows is None else table.rows[: table.chart_rows]
    values = [row[column] or 0 for row in rows]
    largest = max(values, default=0) or 1
    bars = []
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        label = str(row[0])
        width = round(BAR_MAX * value / largest)
        y = 6 + index * ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                short_label=label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…",
                value=value,
                value_text=number_format(value, force_grouping=True),
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                width=width,
                value_x=LABEL_WIDTH + width + 6,
            )
        )
    return BarChart(
        title=f"{table.title}: {table.headers[column]}",
        width=WIDTH,
        height=12 + len(bars) * ROW_HEIGHT,
        bar_x=LABEL_WIDTH,
        bars=bars,
    )
