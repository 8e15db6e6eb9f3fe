"""The LOOP path's application layer: the anomaly scan (plan → fetch → freshness → detect → contributors),
data freshness, and the notices outbox. May import adapters; the pure rules live in core/loop.
"""
