"""The demo warehouse: a deterministic DuckDB file of e-commerce, web, support and factory data
with documented incidents, matching the demo catalog in catalog/."""
from metricloop.demo.build import DemoInfo, build_demo, default_demo_path, describe
from metricloop.demo.incidents import Incident, plan_incidents

__all__ = ["DemoInfo", "Incident", "build_demo", "default_demo_path", "describe", "plan_incidents"]
