"""Settings: read once from the environment (and `.env`) into one typed object."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_SECRET = "dev-secret-change-me"


class ConfigError(RuntimeError):
    """Raised at start-up when the configuration cannot work."""


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    secret_key: str = DEFAULT_SECRET
    database_url: str = ""  # empty: SQLite in the instance folder
    redis_url: str = ""
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    # The model engine; with no model set, the built-in extractive engine answers.
    openai_base_url: str = ""
    openai_api_key: str = ""
    model: str = ""
    model_timeout_s: float = 30.0
    model_connect_timeout_s: float = 3.0
    model_max_tokens: int = 400
    # "rephrase": the built-in engine composes, the model rewrites it in plain words (small local
    # models); "answer": the model answers from the passages (capable hosted models).
    model_mode: str = "rephrase"
    # How long a person waits for the model's first checked sentence before the built-in answer
    # is streamed instead (0: never wait).
    model_wait_s: float = 8.0
    history_token_budget: int = 1200
    # Limits on input.
    max_message_chars: int = 4000
    max_body_bytes: int = 1024 * 1024
    # Rate limits, in flask-limiter's notation.
    rate_limit_user: str = "60/minute"
    rate_limit_ip: str = "300/minute"
    rate_limit_fail_open: bool = True
    # Addresses the per-address limit leaves alone: this machine itself, or a proxy on it (whose
    # clients are counted by their forwarded address when trusted_proxy_hops is set).
    rate_limit_exempt_addresses: tuple[str, ...] = ("127.0.0.1", "::1")
    allowed_origins: tuple[str, ...] = ()
    log_message_text: bool = False
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host to trust (0: none).
    trusted_proxy_hops: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def model_configured(self) -> bool:
        return bool(self.model and (self.openai_base_url or self.openai_api_key))


# Environment variable -> settings field.
ENV_NAMES = {
    "COACHBOT_ENV": "env",
    "COACHBOT_SECRET_KEY": "secret_key",
    "DATABASE_URL": "database_url",
    "REDIS_URL": "redis_url",
    "COACHBOT_KNOWLEDGE_DIR": "knowledge_dir",
    "COACHBOT_PROMPTS_DIR": "prompts_dir",
    "OPENAI_BASE_URL": "openai_base_url",
    "OPENAI_API_KEY": "openai_api_key",
    "COACHBOT_MODEL": "model",
    "COACHBOT_MODEL_TIMEOUT": "model_timeout_s",
    "COACHBOT_MODEL_CONNECT_TIMEOUT": "model_connect_timeout_s",
    "COACHBOT_MODEL_MAX_TOKENS": "model_max_tokens",
    "COACHBOT_MODEL_MODE": "model_mode",
    "COACHBOT_MODEL_WAIT": "model_wait_s",
    "COACHBOT_HISTORY_TOKEN_BUDGET": "history_token_budget",
    "COACHBOT_MAX_MESSAGE_CHARS": "max_message_chars",
    "COACHBOT_MAX_BODY_BYTES": "max_body_bytes",
    "COACHBOT_RATE_LIMIT_USER": "rate_limit_user",
    "COACHBOT_RATE_LIMIT_IP": "rate_limit_ip",
    "COACHBOT_RATE_LIMIT_FAIL_OPEN": "rate_limit_fail_open",
    "COACHBOT_RATE_LIMIT_EXEMPT_ADDRESSES": "rate_limit_exempt_addresses",
    "COACHBOT_ALLOWED_ORIGINS": "allowed_origins",
    "COACHBOT_LOG_MESSAGE_TEXT": "log_message_text",
    "COACHBOT_TRUSTED_PROXY_HOPS": "trusted_proxy_hops",
}


def _convert(name: str, raw):
    """Turn a string from the environment into the type the field declares."""
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if not isinstance(raw, str):
        return raw
    if kind == "bool":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind == "int":
        return int(raw)
    if kind == "float":
        return float(raw)
    if kind == "Path":
        return Path(raw)
    if kind.startswith("tuple"):
        return tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    return raw


def load_settings(overrides: dict | None = None, env_file: str | os.PathLike | None = None) -> Settings:
    """Settings from `.env` (if present), then the environment, then `overrides` (tests)."""
    values: dict = {}
    dotenv_path = Path(env_file) if env_file else Path.cwd() / ".env"
    sources = [dotenv_values(dotenv_path) if dotenv_path.is_file() else {}, os.environ]
    for source in sources:
        for env_name, field_name in ENV_NAMES.items():
            if source.get(env_name) not in (None, ""):
                values[field_name] = source[env_name]
    try:
        settings = Settings(**{k: _convert(k, v) for k, v in values.items()})
        if overrides:
            known = {f.name for f in fields(Settings)}
            settings = replace(
                settings,
                **{k: _convert(k, v) for k, v in overrides.items() if k in known},
                extra={**settings.extra, **{k: v for k, v in overrides.items() if k not in known}},
            )
    except ValueError as exc:
        raise ConfigError(f"bad configuration value: {exc}") from exc
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    if settings.env == "production" and settings.secret_key in ("", DEFAULT_SECRET):
        raise ConfigError("COACHBOT_SECRET_KEY must be set to a private value in production")
    if settings.model_mode not in {"rephrase", "answer"}:
        raise ConfigError(f"COACHBOT_MODEL_MODE must be 'rephrase' or 'answer', not {settings.model_mode!r}")
    if not settings.knowledge_dir.is_dir():
        raise ConfigError(f"knowledge folder not found: {settings.knowledge_dir}")
