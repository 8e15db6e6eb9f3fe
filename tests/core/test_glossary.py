"""The bilingual glossary (src/metricloop/data/glossary.tsv) and the Chinese aliases it gives an English-only
catalog: renderings from a data table, the catalog's own Chinese winning, and Chinese questions on an English-only
catalog interpreted as the English would be."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.embeddings import FakeEmbedder
from metricloop.adapters.value_index import StaticValueIndex
from metricloop.core.text import has_cjk
from metricloop.core.understand.glossary import load_glossary, parse_glossary
from metricloop.core.understand.interpreter import Understander
from metricloop.core.understand.lexicon import Entry, build_lexicon
from metricloop.core.understand.zh_aliases import chinese_aliases

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 27)


def _rows():
    text = (ROOT / "tests" / "fixtures" / "glossary" / "renderings.tsv").read_text(encoding="utf-8")
    return [tuple(line.split("\t")) for line in text.splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("english,chinese,expected", _rows())
def test_renderings(english, chinese, expected):
    got = load_glossary().render(english)
    assert (chinese in got) == (expected == "yes"), got


def test_the_glossary_is_general_and_well_formed():
    glossary = load_glossary()
    assert len(glossary.terms) >= 500  # hundreds of common business, time and dimension terms
    for key, renderings in glossary.terms.items():
        assert renderings, key
        # (Chinese, or the term as Chinese types it in Latin: "sla" SLA, said with Chinese words only — SLA罚款)
        assert all(has_cjk(r.text) or r.text.isascii() for r in renderings), key
        assert all(r.bound for r in renderings if len(r.text) < 2 and has_cjk(r.text)), key


def test_a_term_chinese_types_in_latin_is_joined_to_chinese_never_said_alone():
    glossary = load_glossary()
    latin = [key for key, renderings in glossary.terms.items() if any(not has_cjk(r.text) for r in renderings)]
    assert ("sla",) in latin and ("csat",) in latin
    for key in latin:
        assert all(has_cjk(r) for r in glossary.render(key)), key
    assert "sla罚款" in glossary.render("sla penalties") and "sla" not in glossary.render("sla")


def test_bound_renderings_and_repeated_terms():
    glossary = parse_glossary(["rate\t~率|比率", "churn\t流失", "churn\t~流失|流失量"])
    assert glossary.render("rate") == ("比率",)
    assert glossary.render("churn rate") == ("流失率", "流失比率", "流失量率", "流失量比率")


def test_the_catalogs_own_chinese_wins():
    latin = {("revenue",): [Entry("metric", "revenue", "revenue")],
             ("churn",): [Entry("value", "churn", "churn", ("movements", "type"))]}
    aliases = chinese_aliases(latin, {}, ["收入", "流失客户"])
    assert "收入" not in aliases and "营收" in aliases  # its own phrase stays its own
    assert "流失" not in aliases  # a word inside its own phrase keeps the catalog's meaning


@pytest.fixture(scope="module")
def logistics() -> Understander:
    """An English-only catalog (tests/fixtures/blind_logistics) with a few dimension values."""
    catalog = load_catalog(ROOT / "tests" / "fixtures" / "blind_logistics" / "catalog")
    values = StaticValueIndex({("carriers", "carrier_name"): ["UPS", "FedEx", "USPS"],
                               ("carriers", "carrier_type"): ["parcel", "postal", "regional"],
                               ("warehouses", "region"): ["East", "West"],
                               ("shipments", "destination_country"): ["US", "CA", "MX"],
                               ("shipments", "service_level"): ["standard", "express"]})
    assert not any(has_cjk(p) for p in build_lexicon(catalog).cjk)
    return Understander(catalog, FakeEmbedder(), values)


# Chinese questions (not those of the blind set) → what the English question would give.
QUESTIONS = [
    ("上个月各承运商的运费", ["freight_cost"], ["carrier__carrier_name"], []),
    ("今年发往美国的包裹", ["shipments"], [], [("shipment__destination_country", "=", ("US",))]),
    ("邮政承运商的平均运输时长", ["avg_transit_days"], [], [("carrier__carrier_type", "=", ("postal",))]),
    ("按服务等级统计的退货率", ["return_rate"], ["shipment__service_level"], []),
    ("西部仓库上周的索赔金额", ["claim_amount"], [], [("warehouse__region", "=", ("West",))]),
    ("每公斤运费", ["cost_per_kg"], [], []),
]


@pytest.mark.parametrize("question,metrics,group_by,where", QUESTIONS)
def test_chinese_questions_on_an_english_only_catalog(logistics, question, metrics, group_by, where):
    got = logistics.interpret(question, today=TODAY)
    assert got.kind == "query", got.reason
    assert list(got.query.metrics) == metrics
    assert [g for g in got.query.group_by if g != "metric_time"] == group_by
    assert [(f.dimension, f.op, tuple(f.values)) for f in got.query.where] == where


# Part of a metric's Chinese name is asked back among the metrics it is part of, as the English word would be
# ("cost last month"); it used to match nothing, because no Chinese word of the question was a whole name.
PARTS = [
    ("上个月的成本", {"freight_cost", "cost_per_shipment"}),
    ("上个月的时长", {"avg_transit_days"}),
]


@pytest.mark.parametrize("question,among", PARTS)
def test_part_of_a_chinese_name_is_asked_back_among_its_metrics(logistics, question, among):
    got = logistics.interpret(question, today=TODAY)
    assert got.kind == "clarify", (got.kind, got.reason)
    assert among <= {o.metric for o in got.options}


# Multi-word and abbreviated metric names render as the idiomatic Chinese whole, not word by word.
IDIOMS = [
    ("average transaction value", "客单价"), ("ATV", "客单价"), ("units per transaction", "连带率"),
    ("footfall", "客流"), ("sales per square foot", "坪效"), ("same store sales", "同店销售额"),
    ("sell through rate", "售罄率"), ("take rate", "抽佣率"), ("table turnover", "翻台率"),
    ("average check", "客单价"), ("RevPAR", "每间可售房收入"), ("average daily rate", "平均房价"),
    ("room nights", "间夜"), ("on time performance", "准点率"), ("watch time", "观看时长"),
    ("customer acquisition cost", "获客成本"), ("daily active users", "日活"),
    ("net revenue retention", "净收入留存率"),
    ("total payment volume", "支付总额"), ("days past due", "逾期天数"), ("net interest margin", "净息差"),
    ("gross written premium", "毛保费"), ("combined ratio", "综合成本率"), ("claim severity", "案均赔款"),
    ("readmission rate", "再入院率"), ("bed occupancy rate", "床位使用率"), ("market share", "市场占有率"),
    ("attendance rate", "出勤率"), ("day 1 retention", "次日留存"), ("in app purchases", "内购"),
    ("dropped call rate", "掉话率"), ("minutes of use", "通话分钟数"), ("kWh", "千瓦时"),
    ("energy consumption", "能耗"),
    ("overall equipment effectiveness", "设备综合效率"), ("first pass yield", "一次合格率"), ("scrap rate", "报废率"),
    ("less than truckload", "零担"), ("last mile", "最后一公里"), ("vacancy rate", "空置率"),
    ("net operating income", "净营业收入"), ("average handle time", "平均处理时长"),
    ("full time equivalent", "全职等效"),
    ("quota attainment", "配额完成率"), ("closed won", "赢单"), ("cost of goods sold", "销售成本"),
    ("COGS", "销售成本"),
    ("days sales outstanding", "应收账款周转天数"), ("accounts receivable", "应收账款"),
    ("free cash flow", "自由现金流"),
    ("operating margin", "营业利润率"), ("surge multiplier", "溢价倍数"), ("funds raised", "筹款额"),
    # a name's shortened word is said as the word: "Avg check" is an average check
    ("Avg check", "客单价"), ("avg order value", "客单价"), ("To-go sales", "外带销售额"),
    ("Clean lbs delivered", "干净磅交付"), ("Emergency deliveries", "急件配送"), ("Fire dollar loss", "火灾损失"),
    ("Wholesale bbl", "批发桶"), ("Packaged bbl", "包装桶"),
]


@pytest.mark.parametrize("english,chinese", IDIOMS)
def test_idiomatic_renderings(english, chinese):
    assert chinese in load_glossary().render(english)


@pytest.fixture(scope="module")
def support() -> Understander:
    """An English-only catalog (tests/fixtures/blind_saas) with its ticket priorities as values."""
    catalog = load_catalog(ROOT / "tests" / "fixtures" / "blind_saas" / "catalog")
    values = StaticValueIndex({("support_tickets", "priority"): ["low", "normal", "high", "urgent"]})
    return Understander(catalog, FakeEmbedder(), values)


# A value said with its dimension's word as one Chinese word (高优先级 = priority high): a filter, not a breakdown.
# 高 alone is no value (a single character is only ever part of a word), so it used to leave 优先级 a breakdown.
@pytest.mark.parametrize(("question", "value"), [("上周高优先级工单数", "high"), ("低优先级的工单", "low")])
def test_a_value_said_with_its_dimension_word(support, question, value):
    got = support.interpret(question, today=TODAY)
    assert got.kind == "query", got.reason
    assert [(f.dimension, f.values) for f in got.query.where] == [("ticket__priority", (value,))]
    assert [g for g in got.query.group_by if g != "metric_time"] == []
