# Coachbot: a small image that serves the API, the widget and the demo page with gunicorn.
# gunicorn belongs behind a reverse proxy (compose.yaml runs nginx with deploy/nginx.conf in front):
# never publish port 8000 to the internet, where slow clients would hold its threads (docs/deploy.md).
#   docker build -t coachbot .
#   docker run -p 127.0.0.1:8000:8000 coachbot      # a look on this machine, development mode
# With no DATABASE_URL it keeps a SQLite file in the /app/instance volume; with no model
# settings the built-in extractive engine answers (no network needed).

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY coachbot ./coachbot
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin coachbot \
    && mkdir -p /app/instance /tmp/coachbot-metrics \
    && chown coachbot:coachbot /app/instance /tmp/coachbot-metrics
WORKDIR /app
COPY knowledge ./knowledge
COPY prompts ./prompts
COPY gunicorn.conf.py ./
ENV COACHBOT_KNOWLEDGE_DIR=/app/knowledge \
    COACHBOT_PROMPTS_DIR=/app/prompts \
    DATABASE_URL=sqlite:////app/instance/coachbot.sqlite3 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/coachbot-metrics \
    WEB_CONCURRENCY=2
USER coachbot
VOLUME ["/app/instance"]
# For the proxy on the container network, not for publishing.
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
CMD ["sh", "-c", "exec coachbot serve --host 0.0.0.0 --port 8000 --workers \"$WEB_CONCURRENCY\""]
