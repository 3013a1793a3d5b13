"""Every call to the model goes through `ModelClient.stream_chat`: one client, one retry policy.

Faults (refused or timed-out connections, 429, 5xx, a malformed or cut-off stream) all
surface as `ModelUnavailable`, so the engine can answer from the guide instead.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Generator
from contextlib import closing
from dataclasses import dataclass
from typing import cast

import openai
from openai.types.chat import ChatCompletionMessageParam

from ..config import Settings

log = logging.getLogger(__name__)

# One retry, after this pause, for faults that a second try can cure (connect errors, 429, 5xx).
RETRY_BACKOFF_S = 0.5
# A 429 asking us to wait longer than this is answered from the guide at once.
MAX_RETRY_AFTER_S = 2.0
TEMPERATURE = 0.0  # grounded answers, and the same prompt gives the same answer


class ModelUnavailable(RuntimeError):
    """The model could not give a whole answer. `reason` is a short code for logs and counters."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class Chunk:
    text: str
    finish_reason: str | None = None  # "stop", "length", ... on the last chunk


def build_openai_client(settings: Settings, http_client=None) -> openai.OpenAI:
    """The client, built once. Its own retries are off: `stream_chat` decides when to retry."""
    timeout = openai.Timeout(settings.model_timeout_s, connect=settings.model_connect_timeout_s)
    return openai.OpenAI(
        base_url=settings.openai_base_url or None,
        # A local server (llama.cpp, Ollama, vLLM) takes any key; the client insists on one.
        api_key=settings.openai_api_key or "not-needed",
        timeout=timeout,
        max_retries=0,
        http_client=http_client,
    )


class ModelClient:
    def __init__(self, settings: Settings, http_client=None, backoff_s: float = RETRY_BACKOFF_S):
        self.model = settings.model
        self.max_tokens = settings.model_max_tokens
        self.backoff_s = backoff_s
        self._client = build_openai_client(settings, http_client)

    def close(self) -> None:
        """Close the connections kept open to the model server (when the app or a test is done with it)."""
        self._client.close()

    def stream_chat(self, messages: list[dict], max_tokens: int | None = None,
                    stop: list[str] | None = None) -> Generator[Chunk, None, None]:
        """Stream the model's reply to `messages` as chunks of text.

        Retries once when the call fails before any text arrived; never after, because the
        person may already have seen the first words. Closing this generator (the person went
        away) closes the HTTP response, which tells the model server to stop generating.
        """
        for attempt in (1, 2):
            sent_text = False
            try:
                with closing(self._one_stream(messages, max_tokens or self.max_tokens, stop)) as chunks:
                    for chunk in chunks:
                        sent_text = sent_text or bool(chunk.text)
                        yield chunk
                return
            except ModelUnavailable as fault:
                if sent_text or attempt == 2 or not _worth_retrying(fault):
                    raise
                pause = self.backoff_s if fault.retry_after is None else fault.retry_after
                log.warning("model call failed (%s); retrying once in %.1fs", fault.reason, pause)
                time.sleep(pause)

    def _one_stream(self, messages: list[dict], max_tokens: int, stop: list[str] | None) -> Generator[Chunk, None, None]:
        try:
            stream = self._client.chat.completions.create(
                model=self.model, messages=cast(list[ChatCompletionMessageParam], messages), stream=True,
                max_tokens=max_tokens, temperature=TEMPERATURE, stop=stop or openai.omit)
        except openai.APIError as exc:
            raise _fault(exc) from exc
        finished = False
        try:
            for event in stream:
                choice = event.choices[0] if event.choices else None
                if choice is None:  # e.g. a usage-only chunk
                    continue
                text = choice.delta.content if choice.delta is not None else None
                if choice.finish_reason:
                    finished = True
                if text or choice.finish_reason:
                    yield Chunk(text or "", choice.finish_reason)
        except openai.APIError as exc:
            raise _fault(exc) from exc
        except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
            raise ModelUnavailable("malformed_stream") from exc
        finally:
            stream.close()
        if not finished:  # the stream ended without saying why: it was cut off
            raise ModelUnavailable("cut_off_stream")


def _fault(exc: openai.APIError) -> ModelUnavailable:
    if isinstance(exc, openai.APITimeoutError):
        # The HTTP library's own exception says which phase timed out (httpx and httpx2 alike).
        connecting = type(exc.__cause__).__name__ == "ConnectTimeout"
        return ModelUnavailable("connect_timeout" if connecting else "read_timeout")
    if isinstance(exc, openai.APIConnectionError):
        return ModelUnavailable("connection_failed")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status == 429:
            return ModelUnavailable("rate_limited", _retry_after(exc))
        return ModelUnavailable("server_error" if status >= 500 else f"http_{status}")
    return ModelUnavailable("stream_error")  # an error event inside the stream


def _retry_after(exc: openai.APIStatusError) -> float | None:
    raw = exc.response.headers.get("retry-after") if exc.response is not None else None
    try:
        return max(0.0, float(raw)) if raw is not None else None
    except ValueError:  # an HTTP date: not worth waiting for
        return MAX_RETRY_AFTER_S + 1


def _worth_retrying(fault: ModelUnavailable) -> bool:
    if fault.reason == "rate_limited":
        return fault.retry_after is None or fault.retry_after <= MAX_RETRY_AFTER_S
    # A read timeout means a slow server: a second wait would only double the delay.
    return fault.reason in {"connection_failed", "connect_timeout", "server_error"}
