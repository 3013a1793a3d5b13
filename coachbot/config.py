"""Settings: read once from the environment (and `.env`) into one typed object."""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path

from dotenv import dotenv_values

from .errors import CoachbotError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def bundled(name: str) -> Path:
    """A data folder (knowledge, prompts): beside the package in a checkout, or where an installed
    wheel puts it (share/coachbot/<name> under the environment's prefix)."""
    beside = PROJECT_ROOT / name
    return beside if beside.is_dir() else Path(sys.prefix) / "share" / "coachbot" / name

DEFAULT_SECRET = "dev-secret-change-me"
ENVIRONMENTS = ("development", "production")
LOOPBACK = ("127.0.0.1", "::1")
# A production secret: long, varied, and none of the placeholders that documentation shows.
SECRET_MIN_LENGTH = 32
SECRET_MIN_DISTINCT = 12
PLACEHOLDER_SECRETS = {DEFAULT_SECRET, "change-me", "changeme", "secret", "your-secret-key"}


class ConfigError(CoachbotError, RuntimeError):
    """Raised at start-up when the configuration cannot work."""

    kind = "configuration error"


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    secret_key: str = DEFAULT_SECRET
    database_url: str = ""  # empty: SQLite in the instance folder
    redis_url: str = ""
    knowledge_dir: Path = field(default_factory=lambda: bundled("knowledge"))
    prompts_dir: Path = field(default_factory=lambda: bundled("prompts"))
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
    # Addresses the per-address limit leaves alone. Development: this machine (loopback). Never in
    # production, where a proxy on this machine would make every client exempt.
    rate_limit_exempt_addresses: tuple[str, ...] | None = None
    allowed_origins: tuple[str, ...] = ()
    log_message_text: bool = False
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host to trust (0: none),
    # and the addresses (or networks) they connect from: the headers of anyone else are ignored.
    trusted_proxy_hops: int = 0
    trusted_proxies: tuple[str, ...] = LOOPBACK
    # Who may read /metrics: a bearer token, or else client addresses (or networks).
    metrics_token: str = ""
    metrics_allow: tuple[str, ...] = LOOPBACK
    extra: dict = field(default_factory=dict)

    @property
    def exempt_addresses(self) -> tuple[str, ...]:
        if self.rate_limit_exempt_addresses is not None:
            return self.rate_limit_exempt_addresses
        return LOOPBACK if self.env == "development" else ()

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
    "COACHBOT_TRUSTED_PROXIES": "trusted_proxies",
    "COACHBOT_METRICS_TOKEN": "metrics_token",
    "COACHBOT_METRICS_ALLOW": "metrics_allow",
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
    sources: list[Mapping[str, str | None]] = [dotenv_values(dotenv_path) if dotenv_path.is_file() else {}, os.environ]
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


def secret_problem(secret: str) -> str | None:
    """Why a secret is not fit for production, or None."""
    if secret.strip().lower() in PLACEHOLDER_SECRETS or "change-me" in secret.lower():
        return "is a placeholder"
    if len(secret) < SECRET_MIN_LENGTH:
        return f"is shorter than {SECRET_MIN_LENGTH} characters"
    kinds = sum(any(test(c) for c in secret) for test in (str.islower, str.isupper, str.isdigit,
                                                          lambda c: not c.isalnum()))
    if len(set(secret)) < SECRET_MIN_DISTINCT or kinds < 2:
        return "is not random enough (too few different characters)"
    return None


def _check(settings: Settings) -> None:
    if settings.env not in ENVIRONMENTS:
        raise ConfigError(f"COACHBOT_ENV must be one of {', '.join(ENVIRONMENTS)} (got {settings.env!r})")
    if settings.env == "production":
        problem = "is not set" if not settings.secret_key else secret_problem(settings.secret_key)
        if problem:
            raise ConfigError(f"COACHBOT_SECRET_KEY must be set to a private value in production: it {problem}; "
                              "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'")
        if set(settings.exempt_addresses) & set(LOOPBACK):
            raise ConfigError("COACHBOT_RATE_LIMIT_EXEMPT_ADDRESSES may not list loopback in production: "
                              "behind a proxy on this machine every client would be exempt")
    for name in ("trusted_proxies", "metrics_allow", "exempt_addresses"):
        try:
            networks(getattr(settings, name))
        except ValueError as exc:
            raise ConfigError(f"bad address in {name}: {exc}") from None
    if settings.model_mode not in {"rephrase", "answer"}:
        raise ConfigError(f"COACHBOT_MODEL_MODE must be 'rephrase' or 'answer', not {settings.model_mode!r}")
    if not settings.knowledge_dir.is_dir():
        raise ConfigError(f"knowledge folder not found: {settings.knowledge_dir}")


def networks(addresses) -> tuple:
    """Addresses or networks ("10.0.0.0/8") as ip_network objects."""
    import ipaddress

    return tuple(ipaddress.ip_network(a, strict=False) for a in addresses)


@lru_cache(maxsize=4096)
def _ip(address: str):
    import ipaddress

    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def address_in(address: str | None, allowed: tuple) -> bool:
    """Whether an address falls in any of these networks (from `networks`)."""
    ip = _ip(address or "")
    return ip is not None and any(ip in net for net in allowed if net.version == ip.version)
