"""All models, imported here so Alembic and the app see every table."""

from survey.models.admin_log import AdminLog
from survey.models.agency import Agency, AgencyClosure
from survey.models.api_token import ApiToken
from survey.models.assignment import AgencyQuestionnaire
from survey.models.contact import Contact
from survey.models.dossier_link import DossierLink
from survey.models.evidence import EvidenceDownload, EvidenceJob
from survey.models.followup import Alert, Case, CaseEvent, FollowupSettings
from survey.models.integrity import IntegritySeal, SealedLeaf
from survey.models.poster_job import PosterJob
from survey.models.procedure import AgencyProcedure, Procedure
from survey.models.questionnaire import Criterion, Question, QuestionnaireVersion
from survey.models.response import Answer, Response, ResponseExclusion
from survey.models.rollup import (
    DossierCount,
    RollupDayCriteria,
    RollupDayTotals,
    RollupDirty,
    RollupMonthAgency,
    RollupMonthCriteria,
    RollupMonthPoint,
    RollupMonthProcedure,
    RollupState,
)
from survey.models.scan import ScanCount
from survey.models.survey_point import SurveyPoint
from survey.models.user import User

__all__ = [
    "AdminLog",
    "AgencyQuestionnaire",
    "Agency",
    "AgencyClosure",
    "AgencyProcedure",
    "ApiToken",
    "Contact",
    "DossierLink",
    "Alert",
    "Case",
    "CaseEvent",
    "FollowupSettings",
    "Answer",
    "Criterion",
    "EvidenceDownload",
    "EvidenceJob",
    "IntegritySeal",
    "PosterJob",
    "DossierCount",
    "Procedure",
    "Question",
    "QuestionnaireVersion",
    "Response",
    "ResponseExclusion",
    "SealedLeaf",
    "ScanCount",
    "RollupDayCriteria",
    "RollupDayTotals",
    "RollupDirty",
    "RollupMonthAgency",
    "RollupMonthCriteria",
    "RollupMonthPoint",
    "RollupMonthProcedure",
    "RollupState",
    "SurveyPoint",
    "User",
]
