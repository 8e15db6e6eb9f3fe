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
# torch==2.13.0 is pinned in pyproject next to sentence-transformers. Pass PyTorch's CPU wheel index as
# TORCH_INDEX to keep pip off the multi-GB CUDA build (docker build --build-arg TORCH_INDEX=<cpu index url>).
ARG TORCH_INDEX=""
RUN pip install --no-cache-dir ${TORCH_INDEX:+--extra-index-url "$TORCH_INDEX"} -e . \
 && metricloop demo

ENV METRICLOOP_HTTP_HOST=0.0.0.0 \
    METRICLOOP_HTTP_PORT=3000 \
    HF_HUB_OFFLINE=1
EXPOSE 3000
HEALTHCHECK CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:3000/healthz'); sys.exit(0)" || exit 1
# refresh the demo if the image is older than a week, then serve
CMD ["sh", "-c", "metricloop demo --if-missing && metricloop serve"]
