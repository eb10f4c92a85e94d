"""Configuration from the environment (prefix ``MARSOC_``), validated at start-up."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigurationError(SystemExit):
    """Raised with a readable message when the configuration is not usable."""


class CohortWeights(BaseSettings):
    """Weights of the cohort priority score components (``MARSOC_COHORT_<NAME>``)."""

    model_config = SettingsConfigDict(env_prefix="MARSOC_COHORT_", extra="ignore")

    network: float = 0.30
    ocg_band: float = 0.25
    intelligence: float = 0.25
    recency: float = 0.20


class Settings(BaseSettings):
    """All settings of the service. Every field can be set as ``MARSOC_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="MARSOC_", extra="ignore")

    store: Literal["embedded", "falkordb", "neo4j"] = "embedded"
    data_dir: Path = Path("./data")
    graph_name: str = "marsoc"
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"
    falkordb_url: str | None = None
    query_timeout_s: float = Field(30.0, gt=0, description="timeout of one read query")
    socket_timeout_s: float = Field(600.0, gt=0, description="client socket timeout (long analytics)")
    row_cap: int = Field(5000, gt=0, description="most rows a console query returns")
    protective_marking: str = Field(
        "OFFICIAL-SENSITIVE",
        pattern=r"^[A-Z][A-Z0-9 :/-]{1,59}$",
        description="the protective marking shown on every page and export (capitals, for example OFFICIAL-SENSITIVE)",
    )
    batch_size: int = Field(5000, gt=0, le=100_000)
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # Exact betweenness below this many nodes, sampled above it.
    betweenness_exact_max_nodes: int = Field(5000, gt=0)
    betweenness_samples: int = Field(500, gt=0)
    # Name of a NetworkX backend (for example "parallel") to dispatch algorithms to.
    networkx_backend: str | None = None
    # Whole-graph kernels: igraph (default), networkx (the reference; also chosen when
    # MARSOC_NETWORKX_BACKEND is set and this is not) or gds (Neo4j Graph Data Science).
    kernels: Literal["igraph", "networkx", "gds"] | None = None
    # The application database (users, audit log): SQLite in DATA_DIR unless this names
    # a PostgreSQL database (postgresql+psycopg://user:password@host/db).
    app_db_url: str | None = None
    # Signs bearer tokens; `marsoc serve` refuses to start without one (the demo keeps
    # its own in its data dir). At least 32 characters.
    secret_key: SecretStr | None = None
    token_minutes: float = Field(15.0, gt=0, le=60, description="lifetime of an API bearer token")
    idle_minutes: float = Field(30.0, gt=0, le=480, description="a browser session ends after this long unused")
    session_hours: float = Field(8.0, gt=0, le=24, description="a browser session ends this long after sign-in")
    secure_cookies: bool = Field(False, description="mark the session cookie Secure (behind https)")
    # Host names the service answers for (comma-separated; "*" for any): DNS rebinding.
    allowed_hosts: str = "127.0.0.1,localhost,::1"
    max_body_bytes: int = Field(1_048_576, ge=1024, le=64 * 1_048_576, description="largest request body")
    max_upload_bytes: int = Field(
        256 * 1_048_576,
        ge=1024,
        le=4096 * 1_048_576,
        description="largest upload of contract files (admins' loads page)",
    )
    console_per_user: int = Field(2, ge=1, le=16, description="console queries one user may run at once")
    console_total: int = Field(4, ge=1, le=64, description="console queries all users may run at once")
    engine_threads: int | None = Field(
        None,
        ge=1,
        le=128,
        description="query threads of the embedded store (default: console_total + 4, so that a busy console "
        "always leaves threads for everyone else)",
    )
    signin_rate: str = Field("10/minute", description="sign-in attempts per address and per username")
    query_rate: str = Field("120/minute", description="data requests per signed-in user")

    @field_validator("signin_rate", "query_rate")
    @classmethod
    def _check_rate(cls, value: str) -> str:
        import limits

        try:
            limits.parse(value)
        except ValueError:
            raise ValueError(f"a rate is like '10/minute' or '100 per hour', got {value!r}") from None
        return value

    @field_validator("secret_key")
    @classmethod
    def _check_secret_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if len(value.get_secret_value()) < 32:
            raise ValueError("MARSOC_SECRET_KEY must have at least 32 characters (for example: openssl rand -hex 32)")
        return value

    @field_validator("app_db_url")
    @classmethod
    def _check_app_db_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        scheme = urlparse(value).scheme.split("+")[0]
        if scheme not in {"sqlite", "postgresql"}:
            raise ValueError(f"MARSOC_APP_DB_URL must be a sqlite:/// or postgresql+psycopg:// URL, got {scheme!r}")
        if scheme == "postgresql" and "+psycopg" not in value.split("://")[0]:
            value = value.replace("postgresql://", "postgresql+psycopg://", 1)
        return value

    @field_validator("neo4j_uri")
    @classmethod
    def _check_neo4j_uri(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        scheme = urlparse(value).scheme
        if scheme not in {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}:
            raise ValueError(f"MARSOC_NEO4J_URI must start with bolt:// or neo4j://, got {value!r}")
        return value

    @field_validator("falkordb_url")
    @classmethod
    def _check_falkordb_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if urlparse(value).scheme not in {"redis", "rediss", "falkor", "falkors", "unix"}:
            raise ValueError(f"MARSOC_FALKORDB_URL must be a redis:// or falkor:// URL, got {value!r}")
        return value

    @model_validator(mode="after")
    def _check_store_requirements(self) -> Settings:
        if self.store == "neo4j" and not self.neo4j_uri:
            raise ValueError("MARSOC_STORE=neo4j needs MARSOC_NEO4J_URI (for example bolt://localhost:7687)")
        if self.store == "neo4j" and not self.neo4j_password:
            raise ValueError("MARSOC_STORE=neo4j needs MARSOC_NEO4J_PASSWORD")
        if self.store == "falkordb" and not self.falkordb_url:
            raise ValueError("MARSOC_STORE=falkordb needs MARSOC_FALKORDB_URL (for example redis://localhost:6379)")
        if self.kernels == "gds" and not (self.neo4j_uri and self.neo4j_password):
            raise ValueError("MARSOC_KERNELS=gds needs MARSOC_NEO4J_URI and MARSOC_NEO4J_PASSWORD (a Neo4j with GDS)")
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise ValueError(f"MARSOC_DATA_DIR {self.data_dir} exists and is not a folder")
        return self

    @property
    def allowed_host_names(self) -> list[str]:
        return [h.strip() for h in self.allowed_hosts.split(",") if h.strip()]

    @cached_property
    def cohort_weights(self) -> CohortWeights:
        return CohortWeights()

    @property
    def embedded_db_path(self) -> Path:
        return self.data_dir / "graph" / "marsoc.rdb"

    @property
    def app_db_path(self) -> Path:
        """SQLite file for users, sessions and the audit log (durable on every write)."""
        return self.data_dir / "marsoc-app.sqlite"


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings; exit with one clear line per mistake."""
    # Values of any type: pydantic validates (and coerces) each one against its field.
    clean: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**clean)
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            where = ".".join(str(p) for p in problem["loc"]) or "settings"
            name = f"MARSOC_{where.upper()}" if where != "settings" else "settings"
            lines.append(f"  {name}: {problem['msg'].removeprefix('Value error, ')}")
        raise ConfigurationError("Configuration error:\n" + "\n".join(lines)) from None
