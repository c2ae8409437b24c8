"""The indicator chart is well-formed, accessible SVG inside its box for any numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.portal.charts import HEIGHT, UNHOLDABLE, WIDTH, Bar, indicator_svg

NS = "{http://www.w3.org/2000/svg}"
values = st.none() | st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False)
bars = st.lists(
    st.builds(Bar, label=st.integers(2000, 2100).map(str), target=values, upper=values, actual=values), max_size=12
)


@given(bars, st.text(max_size=50))
def test_the_chart_is_well_formed_and_stays_inside_its_box(drawn: list[Bar], title: str) -> None:
    svg = indicator_svg(drawn, ident="c", title=title, description="d", legend=("actual", "target"))
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-title c-desc"
    # The title as given, less what XML cannot hold (and line ends as an XML reader reads them).
    shown = UNHOLDABLE.sub("", title).replace("\r\n", "\n").replace("\r", "\n")
    assert root.find(f"{NS}title").text == (shown or None)  # type: ignore[union-attr]
    for element in root.iter():
        for name in ("x", "y", "x1", "x2", "y1", "y2"):
            if element.get(name) is not None:
                limit = WIDTH if name.startswith("x") else HEIGHT
                assert -1 <= float(element.get(name, "0")) <= limit + 1, (name, element.attrib)
        for name in ("width", "height"):
            if element.tag != f"{NS}svg" and element.get(name) is not None:
                assert float(element.get(name, "0")) >= 0


def test_bars_and_ticks_follow_the_values() -> None:
    svg = indicator_svg(
        [Bar("2025", Decimal(10), None, Decimal(5)), Bar("2026", Decimal(20), Decimal(30), None)],
        ident="c",
        title="t",
        description="d",
        legend=("actual", "target"),
    )
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    rects = [r for r in root.iter(f"{NS}rect") if r.get("fill") == "#005a8c"]
    assert len(rects) == 2  # the actual of 2025 and the legend's swatch
    assert any(r.get("stroke-dasharray") for r in root.iter(f"{NS}rect"))  # the range target of 2026
