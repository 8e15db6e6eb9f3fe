"""What can be checked of the container set-up without a Docker engine: docker-compose.yml and the Dockerfile
name real commands and options, real paths, environment variables the settings read, the port the bot
listens on and probe paths the server serves; the replicas share one PostgreSQL store the compose file
defines; and the settings those variables produce open that store."""
from __future__ import annotations

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from ruamel.yaml import YAML
from typer.main import get_command

from metricloop.cli import app as cli_app
from metricloop.settings import Settings
from metricloop.slack.server import asgi_app

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
BOTS = [name for name, service in COMPOSE["services"].items() if "build" in service]


def setting_names() -> set[str]:
    """Every environment variable Settings reads (METRICLOOP_<field> and the fields' aliases)."""
    names = set()
    for name, info in Settings.model_fields.items():
        alias = info.validation_alias
        names |= set(getattr(alias, "choices", [alias] if alias else [])) or {f"METRICLOOP_{name.upper()}"}
    return names


def metricloop_calls(command: str) -> list[list[str]]:
    """The `metricloop …` invocations in a shell command line (split on && and ;)."""
    return [words for part in re.split(r"&&|;", command) if (words := shlex.split(part)) and words[0] == "metricloop"]


def check_call(words: list[str]) -> None:
    cli = get_command(cli_app)
    command = cli.commands[words[1]]  # KeyError: no such command
    options = {opt for param in command.params for opt in param.opts}
    assert {w.split("=")[0] for w in words[2:] if w.startswith("-")} <= options, words


def dockerfile(instruction: str) -> list[str]:
    """The arguments of each `instruction` in the Dockerfile, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(instruction + " ")]


def test_two_bot_replicas_and_a_postgres_store():
    assert len(BOTS) == 2
    pg = COMPOSE["services"]["postgres"]
    for bot in BOTS:
        env = COMPOSE["services"][bot]["environment"]
        url = urlsplit(env["METRICLOOP_STORE_URL"])
        assert url.scheme == "postgresql" and url.hostname == "postgres" and url.port == 5432
        pg_env = pg["environment"]
        assert (url.username, url.password, url.path.lstrip("/")) == (
            pg_env["POSTGRES_USER"], pg_env["POSTGRES_PASSWORD"], pg_env["POSTGRES_DB"])
        assert COMPOSE["services"][bot]["depends_on"]["postgres"]["condition"] == "service_healthy"


@pytest.mark.parametrize("bot", BOTS)
def test_bot_environment_commands_ports_and_probes_are_real(bot):
    service = COMPOSE["services"][bot]
    env = service["environment"]
    assert set(env) <= setting_names(), set(env) - setting_names()
    settings = Settings(_env_file=None, **{k.removeprefix("METRICLOOP_").lower(): v for k, v in env.items()
                                           if k.startswith("METRICLOOP_")})
    assert settings.store_url.startswith("postgresql://")  # the runtime opens PostgresStore (store_open)
    command = service["command"][-1]
    calls = metricloop_calls(command)
    assert [c[1] for c in calls] == ["demo", "serve"]
    for call in calls:
        check_call(call)
    port = int(env["METRICLOOP_HTTP_PORT"])
    assert all(p.endswith(f":{port}") for p in service["ports"])
    assert f"--to {bot}:{port}" in " ".join(COMPOSE["services"]["lb"]["command"])  # the load balancer reaches it
    probe = urlsplit(re.search(r"http://[^'\"]+", " ".join(service["healthcheck"]["test"])).group(0))
    assert probe.port == port
    routes = {r.path for r in asgi_app(object()).routes}
    assert probe.path in routes and {"/healthz", "/readyz", "/metrics", "/slack/events"} <= routes


def test_dockerfile_copies_real_paths_runs_real_commands_and_exposes_the_port():
    for line in dockerfile("COPY"):
        *sources, _ = line.split()
        for source in sources:
            assert (ROOT / source).exists(), source
    assert "pip install" in DOCKERFILE and "-e ." in DOCKERFILE  # the pinned pyproject install, as `make setup`
    python = re.search(r"FROM python:(\d+)\.(\d+)", DOCKERFILE)
    assert (int(python.group(1)), int(python.group(2))) >= (3, 11)  # requires-python
    env = dict(re.findall(r"(METRICLOOP_\w+)=(\S+)", DOCKERFILE))
    assert set(env) <= setting_names()
    assert dockerfile("EXPOSE") == [env["METRICLOOP_HTTP_PORT"]]
    assert f"127.0.0.1:{env['METRICLOOP_HTTP_PORT']}/healthz" in dockerfile("HEALTHCHECK")[0]
    runs = [c for line in dockerfile("RUN") for c in metricloop_calls(line)]
    assert [c[1] for c in runs] == ["demo"]  # the demo warehouse is built into the image
    cmd = " ".join(shlex.split(dockerfile("CMD")[0].strip("[]").replace(",", " ")))
    for call in runs + metricloop_calls(cmd.removeprefix("sh -c ")):
        check_call(call)
    assert metricloop_calls(cmd.removeprefix("sh -c "))[-1][1] == "serve"
