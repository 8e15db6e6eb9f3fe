"""Customers, orders and refunds: the e-commerce side of the demo warehouse."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from metricloop.demo.calendar import SHOP_WEEKDAY, Days
from metricloop.demo.incidents import OUTAGE_FACTOR, REFUND_SPIKE, REGION_DROP, Incident
from metricloop.demo.raw import RawTable, day, labels, pick

REGIONS = ("North", "South", "East", "West", "Central")
REGION_SHARE = [0.22, 0.20, 0.28, 0.18, 0.12]
COUNTRIES = ("United States", "Canada", "Mexico")
# Each region's country mix: the North borders Canada, the South Mexico.
REGION_COUNTRY = np.array([[0.80, 0.20, 0.0], [0.85, 0.0, 0.15], [1, 0, 0], [1, 0, 0], [1, 0, 0]])
SEGMENTS = ("consumer", "smb", "enterprise")
SEGMENT_SHARE = [0.80, 0.17, 0.03]
SEGMENT_BASKET = np.array([1.0, 2.2, 5.5])
ACQUISITION = ("organic_search", "paid_search", "social", "email", "referral", "direct")
ACQUISITION_SHARE = [0.30, 0.22, 0.16, 0.10, 0.08, 0.14]
CHANNELS = ("web", "app", "store", "marketplace")
CHANNEL_SHARE = [0.45, 0.33, 0.195, 0.025]  # marketplace is the ~50-orders-a-day slice
CATEGORIES = ("electronics", "home", "apparel", "beauty", "sports", "toys")
CATEGORY_SHARE = [0.22, 0.20, 0.24, 0.14, 0.12, 0.08]
CATEGORY_PRICE = np.array([180.0, 90.0, 60.0, 35.0, 75.0, 45.0])
CATEGORY_REFUND = np.array([0.07, 0.04, 0.09, 0.03, 0.04, 0.04])
STATUSES = ("completed", "cancelled", "returned")
REASONS = ("defective", "wrong_item", "changed_mind", "not_as_described", "damaged", "late_delivery",
           "price_adjustment")
ORDERS_PER_DAY_2024 = 1000.0  # at scale 1.0; growth takes it to ~2000 by late 2026
GROWTH_PER_YEAR = 0.245  # continuous rate: ×1.28 a year


def trend(days: Days, scale: float, rng: np.random.Generator) -> np.ndarray:
    """Underlying daily demand (growth × yearly season × day-to-day noise), before weekday/holiday."""
    noise = rng.lognormal(0.0, 0.045, days.n)
    return ORDERS_PER_DAY_2024 * scale * np.exp(GROWTH_PER_YEAR * days.years()) * days.annual(0.06) * noise


@dataclass(frozen=True)
class Commerce:
    """Generated commerce tables plus what other generators need (who existed when)."""

    customers: RawTable
    orders: RawTable
    refunds: RawTable
    customer_day: np.ndarray  # signup day number by customer_id - 1 (sorted ascending)


def _order_volume(days: Days, base: np.ndarray, incidents: list[Incident]) -> np.ndarray:
    """Expected orders per (day, region), with the outage and regional drop applied."""
    expected = (base * SHOP_WEEKDAY[days.weekday] * days.holiday)[:, None] * np.array(REGION_SHARE)[None, :]
    for inc in incidents:
        lo, hi = days.index(inc.start), days.index(inc.end) + 1
        if inc.kind == "outage":
            expected[lo:hi, :] *= OUTAGE_FACTOR
        elif inc.kind == "regional_drop":
            expected[lo:hi, REGIONS.index(REGION_DROP[0])] *= REGION_DROP[1]
    return expected


def generate_commerce(days: Days, base: np.ndarray, incidents: list[Incident], rng: np.random.Generator) -> Commerce:
    """Customers sign up with their first order; repeat orders go to earlier customers of the same region."""
    counts = rng.poisson(_order_volume(days, base, incidents))
    p_new = 0.18 + 0.72 * np.exp(-days.t / 45.0)  # early on nearly every buyer is new
    n_new = rng.binomial(counts, p_new[:, None])
    # A region with no customers yet can only have new buyers.
    before = np.cumsum(n_new, axis=0) - n_new
    n_new = np.where(before == 0, counts, n_new)
    before = np.cumsum(n_new, axis=0) - n_new

    n_regions = len(REGIONS)
    grid_day = np.repeat(days.t, n_regions)
    grid_region = np.tile(np.arange(n_regions), days.n)
    cust_day = np.repeat(grid_day, n_new.ravel())
    cust_region = np.repeat(grid_region, n_new.ravel()).astype(np.int8)
    n_customers = len(cust_day)
    cust_segment = pick(rng, SEGMENT_SHARE, n_customers)
    u = rng.random(n_customers)
    cust_country = (u[:, None] > np.cumsum(REGION_COUNTRY, axis=1)[cust_region]).sum(axis=1).astype(np.int8)

    rep_day, rep_region, rep_customer = [], [], []
    n_rep = counts - n_new
    for r in range(n_regions):  # five vectorised passes, one per region
        ids_r = np.flatnonzero(cust_region == r)
        d = np.repeat(days.t, n_rep[:, r])
        existing = before[d, r]
        # u**0.55 leans towards recent sign-ups: old customers gradually lapse.
        k = np.minimum((existing * rng.random(len(d)) ** 0.55).astype(np.int64), existing - 1)
        rep_day.append(d)
        rep_region.append(np.full(len(d), r, dtype=np.int8))
        rep_customer.append(ids_r[k] + 1)

    o_day = np.concatenate([cust_day, *rep_day])
    o_region = np.concatenate([cust_region, *rep_region])
    o_customer = np.concatenate([np.arange(1, n_customers + 1), *rep_customer])
    o_first = np.concatenate([np.ones(n_customers, bool), np.zeros(len(o_day) - n_customers, bool)])
    order = np.lexsort((rng.random(len(o_day)), o_day))
    o_day, o_region, o_customer, o_first = o_day[order], o_region[order], o_customer[order], o_first[order]
    n_orders = len(o_day)

    category = pick(rng, CATEGORY_SHARE, n_orders)
    channel = pick(rng, CHANNEL_SHARE, n_orders)
    segment = cust_segment[o_customer - 1]
    gross = CATEGORY_PRICE[category] * SEGMENT_BASKET[segment] * rng.lognormal(0.0, 0.55, n_orders)
    promo = days.holiday[o_day] > 1.4  # Black Friday weekend: most orders carry a discount
    discounted = rng.random(n_orders) < np.where(promo, 0.65, 0.28)
    discount = np.round(np.where(discounted, gross * rng.uniform(0.05, 0.25, n_orders), 0.0), 2)
    total = np.round(gross, 2) - discount

    status = np.where(rng.random(n_orders) < 0.035, 1, 0).astype(np.int8)
    p_refund = CATEGORY_REFUND[category].copy()
    spike = np.zeros(n_orders, bool)
    for inc in incidents:
        if inc.kind == "refund_spike":
            in_window = (o_day >= days.index(inc.start)) & (o_day <= days.index(inc.end))
            spike |= in_window & (category == CATEGORIES.index(REFUND_SPIKE[0]))
    p_refund[spike] *= REFUND_SPIKE[1]
    refunded = (status == 0) & (rng.random(n_orders) < p_refund)
    full = refunded & (rng.random(n_orders) < np.where(spike, 0.85, 0.6))
    lag = np.where(full, rng.integers(3, 26, n_orders), rng.integers(1, 11, n_orders))
    lag = np.where(spike, rng.integers(0, 3, n_orders), lag)
    r_day = o_day + lag
    refunded &= r_day < days.n  # refunds after the last day have not happened yet
    full &= refunded
    status[full] = 2

    r_idx = np.flatnonzero(refunded)
    r_idx = r_idx[np.lexsort((r_idx, r_day[r_idx]))]
    r_amount = np.where(full[r_idx], total[r_idx], np.round(total[r_idx] * rng.uniform(0.1, 0.5, len(r_idx)), 2))
    reason = np.where(full[r_idx], rng.integers(0, 4, len(r_idx)), rng.integers(4, 7, len(r_idx)))
    reason = np.where(spike[r_idx] & full[r_idx], 0, reason).astype(np.int8)

    start = days.start
    customers = RawTable("customers", {
        "id": np.arange(1, n_customers + 1), "d": cust_day, "region": cust_region, "country": cust_country,
        "segment": cust_segment,
        "acq": pick(rng, ACQUISITION_SHARE, n_customers),
    }, f"""SELECT id::BIGINT AS customer_id, {day(start, 'd')} AS signup_date,
        {labels(REGIONS, 'region')} AS region, {labels(COUNTRIES, 'country')} AS country,
        {labels(SEGMENTS, 'segment')} AS segment, {labels(ACQUISITION, 'acq')} AS acquisition_channel
        FROM src""")
    orders = RawTable("orders", {
        "id": 100001 + np.arange(n_orders), "d": o_day, "customer_id": o_customer, "total": total, "discount": discount,
        "channel": channel,
        "category": category, "region": o_region, "status": status, "is_first_order": o_first,
    }, f"""SELECT id::BIGINT AS order_id, customer_id::BIGINT AS customer_id,
        {day(start, 'd')} AS ordered_at, total::DECIMAL(12, 2) AS order_total,
        discount::DECIMAL(12, 2) AS discount, {labels(CHANNELS, 'channel')} AS channel,
        {labels(CATEGORIES, 'category')} AS product_category, {labels(REGIONS, 'region')} AS region,
        {labels(STATUSES, 'status')} AS status, is_first_order FROM src""")
    refunds = RawTable("refunds", {
        "id": np.arange(1, len(r_idx) + 1), "order_id": 100001 + r_idx, "d": r_day[r_idx], "amount": r_amount,
        "reason": reason,
    }, f"""SELECT id::BIGINT AS refund_id, order_id::BIGINT AS order_id,
        {day(start, 'd')} AS refunded_at, amount::DECIMAL(12, 2) AS refund_amount,
        {labels(REASONS, 'reason')} AS reason FROM src""")
    return Commerce(customers=customers, orders=orders, refunds=refunds, customer_day=cust_day)
