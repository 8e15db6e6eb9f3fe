# metricloop: the Slack bot (or HTTP mode) on the demo warehouse by default.
FROM python:3.11-slim-bookworm

# A CJK font so charts can label Chinese dimension values.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY catalog ./catalog
COPY prompts ./prompts
COPY manifest.yml ./
# torch==2.13.0 is pinned in pyproject next to sentence-transformers; the CPU wheel index keeps pip off CUDA builds.
RUN pip install --no-cache-dir --extra-index-url https://download.pytorch.org/whl/cpu -e . \
 && metricloop demo

ENV METRICLOOP_HTTP_HOST=0.0.0.0 \
    METRICLOOP_HTTP_PORT=3000 \
    HF_HUB_OFFLINE=1
EXPOSE 3000
HEALTHCHECK CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:3000/healthz'); sys.exit(0)" || exit 1
CMD ["metricloop", "serve"]
