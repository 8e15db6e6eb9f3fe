"""Real PNGs from the chart specs, CJK fonts found and used, and the recording fake."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import vl_convert as vlc

from metricloop.adapters.charts import (
    FONT_FAMILY,
    FakeChartRenderer,
    VegaChartRenderer,
    find_cjk_fonts,
    png_size,
)
from metricloop.core.answer import Answer
from metricloop.core.catalog.model import Metric
from metricloop.core.present.chart_spec import chart_spec

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "rendering" / "answers.json").read_text())
METRICS = {m["name"]: Metric.model_validate(m) for m in FIXTURE["metrics"]}
CHART_CASES = ["monthly_series", "series_by_dim", "breakdown", "breakdown_compare_zh"]
CJK_FONTS = find_cjk_fonts()
needs_cjk = pytest.mark.skipif(not CJK_FONTS, reason="no CJK font installed (scripts/install_fonts.sh)")


@pytest.fixture(scope="module")
def renderer() -> VegaChartRenderer:
    return VegaChartRenderer(scale=1)


def _label_chart(label: str) -> dict:
    return {"data": {"values": [{"c": label, "v": 1}]}, "mark": "bar", "width": 80, "height": 40,
            "encoding": {"x": {"field": "c", "type": "nominal", "axis": {"labelFontSize": 24, "labelAngle": 0}},
                         "y": {"field": "v", "type": "quantitative", "axis": None}}}


def test_font_search_finds_cjk_files_and_ignores_others(tmp_path):
    (tmp_path / "noto").mkdir()
    for name in ("noto/NotoSansCJK-Regular.ttc", "wqy-microhei.ttc", "DejaVuSans.ttf", "readme-cjk.txt"):
        (tmp_path / name).write_bytes(b"")
    found = {p.name for p in find_cjk_fonts([tmp_path, tmp_path / "missing"])}
    assert found == {"NotoSansCJK-Regular.ttc", "wqy-microhei.ttc"}


@needs_cjk
def test_the_machine_cjk_font_is_found_and_registered(renderer):
    renderer.render_png(_label_chart("华东"))
    assert renderer.fonts and all(p.suffix in (".ttc", ".ttf", ".otf", ".otc") for p in renderer.fonts)


@pytest.mark.parametrize("case", CHART_CASES)
def test_fixture_specs_compile_and_render_to_png(renderer, case):
    spec = chart_spec(Answer.model_validate(FIXTURE["answers"][case]), METRICS, "zh" if "zh" in case else "en")
    vega = vlc.vegalite_to_vega(spec)  # raises on an invalid Vega-Lite spec
    assert vega["marks"]
    png = renderer.render_png(spec)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = png_size(png)
    assert 560 <= width <= 1400 and 280 <= height <= 900
    assert "config" not in spec or "font" not in spec["config"]  # the renderer never mutates the spec


@needs_cjk
def test_chinese_labels_render_as_distinct_glyphs_not_tofu(renderer):
    """With a CJK font, 华东 and 华北 draw different glyphs; as tofu both would be identical boxes."""
    east, north = renderer.render_png(_label_chart("华东")), renderer.render_png(_label_chart("华北"))
    assert east != north
    # a control: two labels that differ only in characters no font draws are the same boxes
    assert renderer.render_png(_label_chart("\ue000\ue001")) == renderer.render_png(_label_chart("\ue002\ue003"))


def test_renderer_uses_the_font_family_list(renderer):
    assert renderer._with_font({"mark": "bar"})["config"]["font"] == FONT_FAMILY
    assert renderer._with_font({"config": {"font": "Serif"}})["config"]["font"] == "Serif"


def test_warm_render_is_fast(renderer):
    spec = chart_spec(Answer.model_validate(FIXTURE["answers"]["breakdown"]), METRICS)
    renderer.render_png(spec)
    start = time.perf_counter()
    renderer.render_png(spec)
    assert time.perf_counter() - start < 1.5  # ~0.1 s on the reference machine; generous for shared CI


def test_save_writes_the_file(renderer, tmp_path):
    spec = chart_spec(Answer.model_validate(FIXTURE["answers"]["breakdown"]), METRICS)
    path = renderer.save(spec, tmp_path / "charts" / "a.png")
    assert png_size(path.read_bytes())[0] > 100


def test_fake_records_specs_and_returns_a_valid_png(tmp_path):
    fake = FakeChartRenderer()
    spec = {"mark": "bar"}
    path = fake.save(spec, tmp_path / "x.png")
    spec["mark"] = "line"
    assert fake.specs == [{"mark": "bar"}]
    assert png_size(path.read_bytes()) == (1, 1)
    with pytest.raises(ValueError):
        png_size(b"GIF89a....")
