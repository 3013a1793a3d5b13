"""Signed, short-lived links to one plan: its page and its Markdown file open in a browser with no token.

A link carries its expiry and an HMAC of (plan id, expiry) under the app's secret key, so it proves
that the plan's owner asked for it, until it expires. The widget asks for fresh links when old ones lapse.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

LINK_TTL_SECONDS = 2 * 60 * 60  # long enough to read and print a plan; short enough that a leaked link lapses
SIGNATURE_CHARS = 32


@dataclass(frozen=True)
class PlanLinks:
    secret: str
    ttl: int = LINK_TTL_SECONDS

    def _signature(self, plan_id: str, expires: int) -> str:
        message = f"plan:{plan_id}:{expires}".encode()
        return hmac.new(self.secret.encode(), message, hashlib.sha256).hexdigest()[:SIGNATURE_CHARS]

    def for_plan(self, plan_id: str, now: float | None = None) -> dict:
        """The page and the Markdown download of a plan, as site paths, and when they expire (Unix seconds)."""
        expires = int(now if now is not None else time.time()) + self.ttl
        query = f"?expires={expires}&signature={self._signature(plan_id, expires)}"
        return {"page": f"/plans/{plan_id}{query}", "markdown": f"/plans/{plan_id}.md{query}", "expires": expires}

    def check(self, plan_id: str, expires: str | None, signature: str | None, now: float | None = None) -> str:
        """"ok", "expired" or "invalid" for a link's query values."""
        if not expires or not signature or not expires.isdigit() or len(expires) > 12:
            return "invalid"
        if not hmac.compare_digest(self._signature(plan_id, int(expires)), signature):
            return "invalid"
        return "ok" if int(expires) >= (now if now is not None else time.time()) else "expired"
