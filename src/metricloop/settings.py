"""Configuration. Environment variables are read here and nowhere else."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from metricloop.adapters.warehouse_open import normalise_location
from metricloop.settings_check import check_timezone, invalid_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CATALOG = PROJECT_ROOT / "catalog"
DEFAULT_VAR = PROJECT_ROOT / "var"


class Settings(BaseSettings):
    """All knobs, with defaults that run the embedded demo."""

    model_config = SettingsConfigDict(env_prefix="METRICLOOP_", env_file=".env", extra="ignore")

    catalog_dir: Path = DEFAULT_CATALOG
    # a DuckDB file or an engine URL (postgresql://…, spark://local[*], sc://…; see adapters/warehouse_open)
    warehouse: str = str(DEFAULT_VAR / "demo.duckdb")
    warehouse_schema: str | None = None  # schema that `ref('x')` resolves into
    dialect: str | None = None  # None: the warehouse engine's dialect
    store_path: Path = DEFAULT_VAR / "metricloop.sqlite"
    # postgresql://user@host:port/db: one store shared by several `serve` processes; None: the SQLite file above
    store_url: str | None = None
    cache_dir: Path = DEFAULT_VAR / "cache"
    chart_dir: Path = DEFAULT_VAR / "charts"
    timezone: str = "UTC"
    query_timeout_s: float = Field(30.0, gt=0)
    max_rows: int = Field(10_000, ge=1)
    embedding_model: str | None = None  # a path or name; default: the bundled all-MiniLM-L6-v2; "none": lexical only
    # numpy: plain BERT folders (the bundled model) without torch, same vectors; torch: sentence-transformers
    embedding_runtime: Literal["auto", "numpy", "torch"] = "auto"
    # strict mode: a metric the question never names, chosen from its words below a confidence of 0.95, is offered to
    # confirm instead of answered (fewer wrong numbers, more questions asked back; README "Accuracy")
    confirm_unnamed_metrics: bool = False
    llm_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = None
    http_host: str = "127.0.0.1"
    http_port: int = 3000
    slack_api_url: str = "https://slack.com/api/"
    value_refresh_minutes: float = 60.0  # how often the dimension-value index is rebuilt (0: never)
    slack_workers: int = 2  # threads answering questions; more only adds GIL contention on a small machine
    max_question_chars: int = 500  # a longer question is answered at once with a message saying so
    shutdown_grace_s: float = 20.0  # on SIGTERM, how long in-flight answers may take before the process exits

    slack_bot_token: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "METRICLOOP_SLACK_BOT_TOKEN"))
    slack_app_token: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "METRICLOOP_SLACK_APP_TOKEN"))
    slack_signing_secret: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "METRICLOOP_SLACK_SIGNING_SECRET")
    )

    @field_validator("warehouse", mode="before")
    @classmethod
    def _warehouse_text(cls, value: object) -> object:
        # CLI options arrive as Paths, which collapse a URL's '//' ('postgresql:/u@h/db'): restore it
        return normalise_location(value) if isinstance(value, (str, Path)) else value

    @property
    def slack_configured(self) -> bool:
        return bool(self.slack_bot_token)


def load_settings(**overrides) -> Settings:  # noqa: ANN003
    """Settings from the environment, with explicit overrides (e.g. CLI flags) winning; a bad value is one
    clear UserError naming the variable and what it accepts (settings_check)."""
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValueError as exc:  # pydantic's ValidationError
        raise invalid_settings(exc) from None
    check_timezone(settings.timezone)
    return settings
