"""The follow-up block on an agency's summary page (dashboards): overdue and
open cases in the agency's subtree and unacknowledged alerts of the last day.

Exposed to templates as `followup_panel(agency)` so the dashboards only
include templates/followup/_agency_panel.html; the agency was already
checked against the user's scope by the dashboard view.
"""

from dataclasses import dataclass
from datetime import timedelta

from survey.agencies import subtree_ids
from survey.followup import queries
from survey.followup.forms import ButtonForm
from survey.models import Agency, Alert
from survey.models.types import utcnow


@dataclass
class Panel:
    agency_code: str
    overdue: int
    open: int
    alerts: list[Alert]
    form: ButtonForm


def panel_for(agency: Agency) -> Panel:
    ids = subtree_ids(agency.id)
    since = utcnow() - timedelta(days=1)
    return Panel(
        agency_code=agency.code,
        overdue=queries.overdue_count(ids),
        open=queries.open_count(ids),
        alerts=queries.recent_alerts(ids, since, unacknowledged_only=True),
        form=ButtonForm(),
    )
