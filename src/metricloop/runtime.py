"""The one place that builds the running pieces from settings and knows which adapter implements which port.

`build_runtime(settings, ...)` returns a `Runtime` holding:

- `clock`: the one notion of "today" (SystemClock in `settings.timezone`, or a FixedClock for `--today`
  / `scan --date`); the service, the interpreter and every job read it.
- `service`: MetricService over the catalog, the read-only DuckDB warehouse and (with `understanding`)
  the interpreter (deterministic Understander, wrapped by the LLM interpreter when LLM_URL is set).
- `chart_renderer`: Vega-Lite -> PNG, for Slack uploads and the terminal chat's chart files.
- `store`: the durable SQLiteStore (threads, dedupe, follows, the loop's records), with `store=True`
  or `slack=True`.
- `app`: the Bolt app (`slack=True`); slack/server.py serves whatever app it is handed.
- `scheduler`: an APScheduler BackgroundScheduler (`jobs=True`), not started; `start()` starts it when it
  has jobs. Today it holds the value-index refresh, which calls `service.refresh_values()`.

Adding a loop piece (scanner, notifier, digest/review jobs): build it in `build_runtime` from the pieces
above (`runtime.service`, `runtime.store`, `runtime.clock`, `runtime.app.client` for Slack), keep it as a
field of `Runtime`, and register its jobs in `_add_jobs` so they run wherever `jobs=True`. Jobs call the
service (or a loop service beside it), never adapters directly.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from metricloop.adapters.catalog_files import catalog_fingerprint, load_catalog_cached
from metricloop.adapters.charts import ChartRenderer, VegaChartRenderer
from metricloop.adapters.embeddings import build_embedder_for
from metricloop.adapters.lexicon_cache import cached_builds
from metricloop.adapters.same_rows import WarehouseSameRows
from metricloop.adapters.segmenter import install_slim_segmenter
from metricloop.adapters.store import SQLiteStore
from metricloop.adapters.store_open import configured_taught_words, open_configured_store
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse_open import engine_dialect, open_warehouse_at
from metricloop.audit import trail_for
from metricloop.clock import SystemClock
from metricloop.core.catalog.model import Catalog
from metricloop.core.catalog.taught import TaughtWord, taught_words_key, with_taught_words
from metricloop.core.understand.interpreter import Understander
from metricloop.errors import log_internal_error
from metricloop.health import runtime_readiness
from metricloop.loop.changelog import record_catalog_safely
from metricloop.ports import Clock, Interpreter, Warehouse
from metricloop.progress import Tick, no_progress
from metricloop.service import MetricService
from metricloop.settings import Settings

if TYPE_CHECKING:  # the Slack app, the scheduler and the loop's jobs are imported where they are built (below)
    from apscheduler.schedulers.background import BackgroundScheduler
    from slack_bolt import App

    from metricloop.loop.jobs import JobRunner
    from metricloop.slack.notifier import SlackNotifier

log = logging.getLogger(__name__)


def load_catalog_for(settings: Settings) -> Catalog:
    """The governed catalog named by settings (cached on disk until a catalog file changes)."""
    return load_catalog_cached(settings.catalog_dir, schema=settings.warehouse_schema,
                               cache_dir=Path(settings.cache_dir))


def open_warehouse(settings: Settings) -> Warehouse:
    """Open the configured warehouse read-only: a DuckDB file, or the engine a URL names (adapters/warehouse_open);
    a clear message when it is missing or unreachable."""
    return open_warehouse_at(settings.warehouse, timeout_s=settings.query_timeout_s, max_rows=settings.max_rows)


def warehouse_dialect(settings: Settings) -> str:
    """The SQL dialect to compile to: METRICLOOP_DIALECT when set, else the warehouse engine's."""
    return settings.dialect or engine_dialect(settings.warehouse)


def lexical_only(settings: Settings) -> bool:
    """METRICLOOP_EMBEDDING_MODEL=none: no sentence model (no torch); names, synonyms and values only."""
    return (settings.embedding_model or "").lower() == "none"


def build_service(settings: Settings, *, understanding: bool = False, clock: Clock | None = None,
                  progress: Tick = no_progress, taught: Sequence[TaughtWord] | None = None) -> MetricService:
    """A MetricService for these settings; with `understanding`, also loads the embedder and value index.

    `clock` defaults to the system clock in the configured timezone (a FixedClock pins the day); `progress`
    hears of each dimension the value index reads (a terminal shows it as a bar). `taught`: the words owners
    taught, laid over the catalog's synonyms (None: read from the configured store, when understanding).
    """
    clock = clock or SystemClock(settings.timezone)
    # no model preload: the embedder is lazy (adapters/embeddings.LazyEmbedder) and most questions never load it
    if taught is None:
        taught = configured_taught_words(settings) if understanding else ()
    catalog = with_taught_words(load_catalog_for(settings), taught)
    warehouse = open_warehouse(settings)
    service = MetricService(
        catalog=catalog, warehouse=warehouse, dialect=warehouse_dialect(settings), schema=settings.warehouse_schema,
        timeout_s=settings.query_timeout_s, max_rows=settings.max_rows,
        clock=clock, max_question_chars=settings.max_question_chars,
    )
    if understanding:
        service.understander = build_understander(settings, catalog, warehouse, clock, progress, taught=taught)
    return service


def relearner(settings: Settings, service: MetricService, store: Any, clock: Clock,
              taught: Sequence[TaughtWord] | None) -> Callable[[], bool]:
    """`service.relearn`: when the store's taught words differ from those the service was built with (`taught`;
    None: unknown, so the first call rebuilds), lay them over the catalog files again and swap in an interpreter
    that knows them; whether it rebuilt.

    Called after a word is taught or forgotten here, and every minute (a word taught through another process).
    One rebuild at a time; the old interpreter answers until the new one is built; a failure is logged and
    leaves the old one in place (the word is stored, and the next call tries again)."""
    lock = threading.Lock()
    known = [None if taught is None else taught_words_key(taught)]

    def relearn() -> bool:
        with lock:
            try:
                words = store.taught_words()
                if taught_words_key(words) == known[0]:
                    return False
                catalog = with_taught_words(load_catalog_for(settings), words)
                if service.warehouse is not None and service.understander is not None:
                    service.understander = build_understander(settings, catalog, service.warehouse, clock,
                                                              taught=words)
                service.catalog = catalog
                known[0] = taught_words_key(words)
                log.info("taught words: %d; the interpreter now knows them", len(words))
                return True
            except Exception:  # a question must still be answered by the interpreter we have
                log.exception("could not rebuild the interpreter with the taught words")
                return False

    return relearn


def build_offline_service(settings: Settings) -> MetricService:
    """A service over the catalog alone, for `explain`: it compiles SQL and never opens a warehouse."""
    return MetricService(catalog=load_catalog_for(settings), warehouse=None, dialect=warehouse_dialect(settings),
                         schema=settings.warehouse_schema, clock=SystemClock(settings.timezone))


def build_understander(settings: Settings, catalog: Catalog, warehouse: Warehouse, clock: Clock,
                        progress: Tick = no_progress, *, taught: Sequence[TaughtWord] = ()) -> Interpreter:
    """The deterministic interpreter with its embedding model and dimension-value index (and LLM if set);
    `catalog` has the `taught` words laid over it (they key its cached builds with the catalog files)."""
    # Loading torch and the model takes most of a cold start; it overlaps with the value index and the
    # Chinese dictionary, which load on this thread meanwhile.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="embedder") as pool:
        embedder_future = pool.submit(lambda: None if lexical_only(settings) else build_embedder_for(settings, catalog))
        values = build_value_index(catalog, warehouse, dialect=warehouse_dialect(settings),
                                   schema=settings.warehouse_schema, progress=progress)
        install_slim_segmenter(catalog, Path(settings.cache_dir))
        embedder = embedder_future.result()
    same_rows = WarehouseSameRows(catalog, warehouse, dialect=warehouse_dialect(settings),
                                  schema=settings.warehouse_schema)
    root = Path(settings.catalog_dir)
    key = catalog_fingerprint(root, settings.warehouse_schema) + taught_words_key(taught) if root.exists() else ""
    cached = {"built": cached_builds(catalog, key, Path(settings.cache_dir))} if root.exists() else {}
    understander = Understander(catalog, embedder, values, today_fn=clock.today, same_rows=same_rows,
                                confirm_unnamed=settings.confirm_unnamed_metrics, **cached)
    if settings.llm_url:
        from metricloop.adapters.llm import LLMInterpreter  # local: optional (LLM_URL); skips 0.1 s of httpx

        understander = LLMInterpreter.wrap(understander, settings)
    return understander


@dataclass
class Runtime:
    """The running pieces, built once by `build_runtime`; front ends and jobs take what they need."""

    settings: Settings
    clock: Clock
    service: MetricService
    chart_renderer: ChartRenderer
    store: SQLiteStore | None = None
    app: App | None = None
    scheduler: BackgroundScheduler | None = None
    loop_jobs: JobRunner | None = None
    notifier: SlackNotifier | None = None  # posts the loop's notices outbox (scan job, and the outbox drain)
    closers: list = field(default_factory=list, repr=False)

    def start(self) -> None:
        """Start the background jobs (if any were scheduled)."""
        if self.scheduler is not None and self.scheduler.get_jobs() and not self.scheduler.running:
            self.scheduler.start()

    def close(self) -> None:
        """Stop the jobs and close the store and the warehouse."""
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for close in reversed(self.closers):
            close()


def build_runtime(settings: Settings, *, understanding: bool = True, clock: Clock | None = None,
                  store: bool = False, slack: bool = False, jobs: bool = False,
                  progress: Tick = no_progress) -> Runtime:
    """Build the pieces these settings describe.

    `understanding` loads the interpreter (plain-language questions); `store` opens the durable store;
    `slack` builds the Bolt app (and the store it needs); `jobs` prepares the scheduler with its jobs
    (call `runtime.start()` to run them). `clock` defaults to the system clock in `settings.timezone`.
    """
    # Slack (slack_bolt) and APScheduler are imported only when asked for: a cold `metricloop ask` or `query`
    # never needs them, and they are a fifth of a second of its start (issue 9: a 2-second CLI).
    clock = clock or SystemClock(settings.timezone)
    opened = open_configured_store(settings) if store or slack else None  # METRICLOOP_STORE_URL, else SQLite
    taught = opened.taught_words() if opened is not None and understanding else None
    service = build_service(settings, understanding=understanding, clock=clock, progress=progress, taught=taught)
    runtime = Runtime(settings=settings, clock=clock, service=service, chart_renderer=VegaChartRenderer())
    if service.warehouse is not None and hasattr(service.warehouse, "close"):
        runtime.closers.append(service.warehouse.close)
    if opened is not None:
        runtime.store = opened
        runtime.closers.append(runtime.store.close)
        if understanding:  # words only change what questions mean
            service.relearn = relearner(settings, service, opened, clock, taught or ())
        # every load of the catalog is recorded: a changed definition becomes a changelog entry, announced
        record_catalog_safely(runtime.store, service.catalog, settings.catalog_dir)
        store_ = runtime.store  # "revenue vs target": an owner's newer target (a thread reply) counts in answers too
        service.target_adjustments = lambda: _target_adjustments(store_)
        runtime.closers.append(trail_for(runtime.store).flush)  # closers run in reverse: audit written, then closed
    if slack:
        from metricloop.slack.app import build_app

        runtime.app = build_app(settings, service, runtime.store, chart_renderer=runtime.chart_renderer)
        runtime.app.readiness = runtime_readiness(runtime)  # GET /readyz (slack/server.py)
    if jobs:
        from metricloop.scheduler import new_scheduler

        runtime.scheduler = new_scheduler()
        _add_jobs(runtime)
    return runtime


def _target_adjustments(store: Any) -> dict[str, list[dict[str, Any]]]:
    """Metric → its owners' target adjustments (payloads, oldest first), read from the store when an answer asks."""
    out: dict[str, list[dict[str, Any]]] = {}
    for adjustment in store.adjustments(kind="target"):
        out.setdefault(adjustment.metric, []).append(adjustment.payload)
    return out


def _add_jobs(runtime: Runtime) -> None:
    """Every background job, on the runtime's scheduler."""
    from metricloop.scheduler import add_value_refresh

    add_value_refresh(runtime.scheduler, runtime.service, minutes=runtime.settings.value_refresh_minutes)
    if runtime.service.relearn is not None:  # words taught through another process reach this one within a minute
        runtime.scheduler.add_job(runtime.service.relearn, "interval", seconds=RELEARN_SECONDS, id="relearn-words",
                                  replace_existing=True)
    if runtime.store is not None and runtime.app is not None:
        runtime.loop_jobs = loop_job_runner(runtime)
        runtime.loop_jobs.start(runtime.scheduler)
        runtime.closers.append(runtime.loop_jobs.stop)  # hand the leader lease over at once on shutdown
        # notices stored but not posted (a crash, a Slack outage, a `metricloop scan` without Slack) go out at
        # start-up and then every minute; claims in the store keep two processes from posting one twice
        runtime.scheduler.add_job(drain_outbox, "interval", seconds=OUTBOX_SECONDS, args=[runtime], id="loop-outbox",
                                  replace_existing=True, next_run_time=dt.datetime.now(dt.UTC))


OUTBOX_SECONDS = 60
RELEARN_SECONDS = 60


def drain_outbox(runtime: Runtime) -> int:
    """Post the pending notices through the runtime's Slack notifier; how many were posted (errors logged)."""
    from metricloop.loop.outbox import post_pending

    try:
        return post_pending(runtime.store, runtime.notifier)
    except Exception as exc:  # noqa: BLE001 - the store may be briefly locked; the next run retries
        log_internal_error(exc, "notices outbox")
        return 0


def loop_job_runner(runtime: Runtime, *, only: Collection[str] | None = None) -> JobRunner:
    """The loop's scheduled jobs from loop.yml (scan + notices, digests, action reviews), posting to Slack.
    Every bot process runs one; the leader lease in the store lets only one of them run the jobs. ``only``
    restricts the scan to these metrics (their drivers are still fetched)."""
    from metricloop.loop.digester import Digester
    from metricloop.loop.jobs import JobRunner, jobs_from_loop
    from metricloop.loop.outbox import post_pending
    from metricloop.loop.reviewer import Reviewer
    from metricloop.loop.scanner import run_scan
    from metricloop.slack.audience import Audience
    from metricloop.slack.digest_blocks import SlackDigestPoster
    from metricloop.slack.notifier import build_notifier
    from metricloop.slack.review_blocks import SlackReviewPoster

    service, store, charts = runtime.service, runtime.store, runtime.chart_renderer
    client = runtime.app.client
    # digests, notices and reviews hold only what every reader of their channel may see (slack/audience)
    audience = Audience(client, lambda: service.catalog)
    notifier = runtime.notifier = build_notifier(client, store, service, charts, audience)
    # one "#name" -> channel id cache (slack/channel_ids) for notices, digests, reviews and audiences
    digester = Digester(service, store, SlackDigestPoster(client, service.catalog, charts, audience.channels),
                        audience.for_target)
    reviewer = Reviewer(service, store, SlackReviewPoster(client, service.catalog, charts, audience.channels),
                        audience.for_target)

    def scan(fire: dt.datetime) -> dict:
        result = run_scan(service, store, fire.date() - dt.timedelta(days=1), only=only)  # yesterday: complete
        return {"anomalies": len(result.anomalies), "created": result.created,
                "posted": post_pending(store, notifier)}

    runs = {"anomaly_scan": scan,
            "digest": lambda fire: digester.send_all(fire.date(), fire),
            "review": lambda fire: reviewer.review_due(fire.date())}
    return JobRunner(store, jobs_from_loop(service.catalog.loop, runs), runtime.clock)
