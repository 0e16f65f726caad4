"""Working-hours arithmetic across time zones, DST-aware.

A working window is a daily recurring local interval (``09:00-17:00`` in ``Europe/Berlin``;
an end before the start runs past midnight). To compare two windows we place both on a
reference date, convert them to UTC with the offsets in force on that date, and add up the
intersections with the other window's occurrences on the neighbouring days. Using the real
date matters: Berlin and New York are usually 6 hours apart but 5 for a few weeks a year.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_START = time(9, 0)
DEFAULT_END = time(17, 0)


@dataclass(frozen=True)
class WorkingWindow:
    timezone: str
    start: time
    end: time

    def utc_on(self, day: date) -> tuple[datetime, datetime]:
        """This window's occurrence starting on local date ``day``, in UTC."""
        zone = ZoneInfo(self.timezone)
        start = datetime.combine(day, self.start, tzinfo=zone)
        end_day = day if self.end > self.start else day + timedelta(days=1)
        end = datetime.combine(end_day, self.end, tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    @property
    def length_hours(self) -> float:
        minutes = (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)
        return (minutes % (24 * 60)) / 60


def overlap_hours(a: WorkingWindow, b: WorkingWindow, *, on: date | None = None) -> float:
    """Hours per day both windows share, on date ``on`` (default: today, UTC)."""
    day = on or datetime.now(UTC).date()
    a_start, a_end = a.utc_on(day)
    total = timedelta()
    for shift in (-2, -1, 0, 1, 2):
        b_start, b_end = b.utc_on(day + timedelta(days=shift))
        latest_start, earliest_end = max(a_start, b_start), min(a_end, b_end)
        if earliest_end > latest_start:
            total += earliest_end - latest_start
    return round(total.total_seconds() / 3600, 2)


def local_now(timezone: str) -> datetime:
    return datetime.now(UTC).astimezone(ZoneInfo(timezone))
