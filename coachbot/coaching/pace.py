"""Durations at the person's own pace: the guide's "6-12 months" or "100-200 hours", given hours a week."""
from __future__ import annotations

import math
import re

RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)\s*(months?|years?|hours?)\b", re.I)
SINGLE = re.compile(r"(\d+(?:\.\d+)?)\s*(months?|years?|hours?)\b", re.I)
WEEKS_PER_MONTH = 52 / 12


def _span(text: str) -> tuple[float, float, str] | None:
    match = RANGE.search(text)
    if match:
        return float(match.group(1)), float(match.group(2)), match.group(3).lower().rstrip("s")
    match = SINGLE.search(text)
    if match:
        value = float(match.group(1))
        return value, value, match.group(2).lower().rstrip("s")
    return None


def course_at_pace(duration: str, hours: float | None, study_week: float) -> str | None:
    """A course length ("6-12 months", "1-2 years") stretched for fewer hours a week than a study week.

    None when the pace changes nothing (hours unknown, or at least a study week)."""
    span = _span(duration)
    if span is None or not hours or hours >= study_week:
        return None
    low, high, unit = span
    if unit == "hour":
        return None
    factor = study_week / hours
    to_months = 12 if unit == "year" else 1
    low_m, high_m = low * to_months * factor, high * to_months * factor
    if high_m > 36:
        return f"about {low_m / 12:.0f}-{high_m / 12:.0f} years at {hours:g} hours a week"
    return f"about {math.ceil(low_m)}-{math.ceil(high_m)} months at {hours:g} hours a week"


def hours_at_pace(amount: str, hours: float | None) -> str | None:
    """A number of hours of work ("100-200 hours") as weeks at the person's hours a week."""
    span = _span(amount)
    if span is None or not hours or span[2] != "hour":
        return None
    low, high, _ = span
    low_w, high_w = math.ceil(low / hours), math.ceil(high / hours)
    if high_w > 26:
        low_m, high_m = math.ceil(low_w / WEEKS_PER_MONTH), math.ceil(high_w / WEEKS_PER_MONTH)
        return f"about {low_m}-{high_m} months at {hours:g} hours a week"
    return f"about {low_w}-{high_w} weeks at {hours:g} hours a week"
