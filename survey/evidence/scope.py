"""What a pack covers: an agency (or its subtree) and a period of local dates.

Dates are calendar days in Vietnam time (Asia/Ho_Chi_Minh), both ends
included; stored times are naive UTC, so the bounds are converted once here.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from survey.agencies import subtree_ids
from survey.i18n import LOCAL_TZ
from survey.models import Agency
from survey.summaries import Period


def local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class EvidenceScope:
    agency: Agency
    subtree: bool
    date_from: date
    date_to: date  # inclusive

    @property
    def agency_ids(self) -> list[int]:
        return subtree_ids(self.agency.id) if self.subtree else [self.agency.id]

    @property
    def period(self) -> Period:
        return Period(
            local_midnight_utc(self.date_from), local_midnight_utc(self.date_to + timedelta(days=1))
        )

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> "EvidenceScope":
        """The period of the same length just before, for comparison."""
        end = self.date_from - timedelta(days=1)
        return EvidenceScope(self.agency, self.subtree, end - timedelta(days=self.days - 1), end)

    def as_dict(self) -> dict:
        return {
            "agency_code": self.agency.code,
            "agency_name": self.agency.name,
            "subtree": self.subtree,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "timezone": "Asia/Ho_Chi_Minh",
        }


def default_period(today: date) -> tuple[date, date]:
    """The last twelve full calendar months, the usual management-review span."""
    end = today.replace(day=1) - timedelta(days=1)
    first = end.year * 12 + end.month - 1 - 11
    return date(first // 12, first % 12 + 1, 1), end
