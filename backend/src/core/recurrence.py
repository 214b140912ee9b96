"""When a recurring task's next occurrence is due: RFC 5545 recurrence through dateutil.

A rule is a frequency (daily, weekly, monthly, yearly) and an interval. The series starts at
the task's due date, so the next occurrence is the rule's first date after it. RFC 5545 skips
dates that do not exist: a monthly task due on the 31st next falls due on the next 31st
(31 January, then 31 March), never drifts to the 28th.
"""

from datetime import datetime
from typing import Literal

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule

_FREQUENCIES: dict[str, Literal[0, 1, 2, 3]] = {
    "yearly": YEARLY,
    "monthly": MONTHLY,
    "weekly": WEEKLY,
    "daily": DAILY,
}


class NoNextOccurrenceError(ValueError):
    """The rule has no date after this one within the calendar (year 9999)."""


def next_due_date(due: datetime, rule: str, interval: int) -> datetime:
    series = rrule(_FREQUENCIES[rule], interval=interval, dtstart=due)
    try:
        following = series.after(due)
    except (OverflowError, ValueError):  # the series leaves datetime's calendar
        following = None
    if following is None:
        raise NoNextOccurrenceError(f"no {rule} occurrence after {due.isoformat()}")
    return following
