"""Times and spans in the words a person reads at a glance."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def when(moment: datetime, zone: ZoneInfo, now: datetime | None = None) -> str:
    """'Fri 27 Nov 17:00'; the year only when it is not this year's."""
    local = moment.astimezone(zone)
    text = f"{local:%a} {local.day} {local:%b}"
    if now is not None and local.year != now.astimezone(zone).year:
        text += f" {local.year}"
    return f"{text} {local:%H:%M}"


def day(value: date, today: date | None = None) -> str:
    """'Thu 3 Dec', as `when` writes days (never zero-padded); the year when not this year's
    (or, without `today`, always for another year than the current one)."""
    text = f"{value:%a} {value.day} {value:%b}"
    this_year = (today or date.today()).year
    return text if value.year == this_year else f"{text} {value.year}"


def span(delta: timedelta) -> str:
    """A rough, honest size of a gap: '40 min', '3 h', '2 days', '5 weeks'."""
    seconds = abs(delta.total_seconds())
    minutes = seconds / 60
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{int(minutes)} min"
    hours = minutes / 60
    if hours < 24:
        return f"{int(hours)} h"
    days = hours / 24
    if days < 14:
        n = int(days)
        return f"{n} day" if n == 1 else f"{n} days"
    weeks = days / 7
    if weeks < 9:
        return f"{int(weeks)} weeks"
    return f"{int(days / 30.4)} months"


def relative(moment: datetime, now: datetime) -> str:
    """'in 2 days' or '3 h ago'."""
    delta = moment - now
    return f"in {span(delta)}" if delta >= timedelta(0) else f"{span(delta)} ago"
