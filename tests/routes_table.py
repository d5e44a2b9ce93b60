"""Every route of the application: who may use it and how to fill its URL.

tests/test_authz_matrix.py walks ``app.url_map`` and FAILS for any endpoint
missing here, so a new route cannot ship without an access decision and a
scope test. To add a route:

1. Add ``"blueprint.endpoint": Route(...)`` to ROUTES below:
   - ``access``: PUBLIC, API (bearer token) or a tuple of the roles that may
     use it (the same roles as the view's decorator; the test compares them);
   - ``args``: each URL argument -> a KIND below (how to name an object that
     belongs to a given agency). With a scoped kind, the matrix expects
     200/302 for an object inside the user's scope and 404 outside it;
   - ``method``/``data``: what the matrix sends (POST routes: a harmless body;
     the request must not be refused by validation alone, or say so in ``ok``);
   - ``denied``: roles answered 404 even inside their scope by a finer rule;
   - ``mutates``: a fresh world per request (the action cannot be repeated);
   - ``body``: (API POST) a KIND giving the JSON body for an agency;
   - ``csrf``: the answer to a state change without a CSRF token (400, or
     422 for citizen forms that re-render with the answers kept);
   - ``query``: query-string parameters the route requires;
   - ``ok``: the statuses that mean "served" (default 200);
   - ``shows``: a KIND whose value must appear on the page for an object in
     scope and must NOT appear for one outside it (lists filtered by scope).
2. A URL argument naming a new kind of object: add a KINDS entry, a function
   ``(world, agency) -> str`` returning the value for an object that belongs
   to ``agency`` (create it in tests/authz_world.py if needed).
"""

from dataclasses import dataclass, field

from survey.models.user import ROLES
from tests.authz_world import comment_marker

PUBLIC = "public"
API = "api_token"
STAFF = tuple(ROLES)


@dataclass(frozen=True)
class Route:
    access: str | tuple[str, ...]
    args: dict[str, str] = field(default_factory=dict)
    method: str = "GET"
    data: dict | None = None
    ok: tuple[int, ...] = (200,)
    shows: str | None = None
    # Roles that get 404 even inside their scope, by a finer rule of the view
    # (say why next to the entry).
    denied: tuple[str, ...] = ()
    # The request changes the object so a second one would fail: the matrix
    # builds a fresh world for every role and place.
    mutates: bool = False
    # For API POSTs: a KIND whose value (a dict) is sent as the JSON body.
    body: str | None = None
    # What a state-changing request without a CSRF token gets: 400, or 422
    # where the form checks its own token to keep the citizen's answers.
    csrf: int = 400
    # Query-string parameters the route needs to answer (e.g. a period).
    query: dict = field(default_factory=dict)
    # False when the argument names something public (a survey point's page).
    scoped: bool = True


# kind -> (world, agency) -> URL value for an object belonging to that agency
KINDS = {
    "agency_code": lambda world, agency: agency.code,
    "point_code": lambda world, agency: world.points[agency.code].code,
    "procedure_code": lambda world, agency: world.procedures[agency.code].code,
    "static_file": lambda world, agency: "survey.css",
    "response_id": lambda world, agency: str(world.responses[agency.code].id),
    "case_id": lambda world, agency: str(world.cases[agency.code].id),
    "alert_id": lambda world, agency: str(world.alerts[agency.code].id),
    "evidence_job": lambda world, agency: str(world.evidence_jobs[agency.code].id),
    "member_id": lambda world, agency: str(world.members[agency.code].id),
    "token_id": lambda world, agency: str(world.tokens[agency.code].id),
    "invite_token": lambda world, agency: world.invites[agency.code],
    "version_id": lambda world, agency: str(world.province.version.id),
    "help_image": lambda world, agency: "khong-co-anh.png",
    "member_email": lambda world, agency: world.members[agency.code].email,
    "dossier_token": lambda world, agency: world.dossier_links[agency.code].token,
    "dossier_request": lambda world, agency: {
        "dossier_code": f"000.00.{agency.code}-260101-0002",
        "procedure_code": world.procedures[agency.code].code,
        "agency_code": agency.code,
    },
    "poster_job": lambda world, agency: str(world.poster_jobs[agency.code].id),
    "table_name": lambda world, agency: "criteria",
    "overview_table": lambda world, agency: "units",
    "csv": lambda world, agency: "csv",
    "comment_text": lambda world, agency: comment_marker(agency.code),
}

HANDLERS = ("admin", "head", "staff")
EVIDENCE = ("admin", "committee", "head", "auditor")
MANAGERS = ("admin", "committee", "head")
# A bare POST may be refused by validation (400/422) or succeed (200/302);
# never by access rules (403/404) inside the scope.
ACTION = (200, 302, 400, 422)
PERIOD = {"from": "2026-01-01", "to": "2026-12-31"}

ROUTES: dict[str, Route] = {
    # citizens
    "public.index": Route(PUBLIC),
    "public.healthz": Route(PUBLIC),
    "public.survey": Route(PUBLIC, {"code": "point_code"}, scoped=False, csrf=422),
    "public.thanks": Route(PUBLIC, {"code": "point_code"}, scoped=False),
    "public.survey_from_qr": Route(PUBLIC, {"code": "point_code"}, scoped=False, csrf=422),
    "public.qr_png": Route(PUBLIC, {"code": "point_code"}, scoped=False),
    "public.qr_svg": Route(PUBLIC, {"code": "point_code"}, scoped=False),
    "public.privacy": Route(PUBLIC),
    # Only reachable with the one-time ?t= token of a just-stored answer.
    "public.contact": Route(PUBLIC, {"code": "point_code"}, ok=(404,), scoped=False, csrf=404),
    # A browser that was not set up as a kiosk by staff is refused.
    "public.kiosk": Route(PUBLIC, {"code": "point_code"}, ok=(403,), scoped=False, csrf=403),
    "public.kiosk_thanks": Route(PUBLIC, {"code": "point_code"}, scoped=False),
    "public.kiosk_start": Route(STAFF, {"code": "point_code"}, method="POST", ok=(302,)),
    "public.dossier_survey": Route(PUBLIC, {"token": "dossier_token"}, scoped=False, csrf=422),
    "public.dossier_survey_from_qr": Route(PUBLIC, {"token": "dossier_token"}, scoped=False, csrf=422),
    "public.dossier_qr_png": Route(PUBLIC, {"token": "dossier_token"}, scoped=False),
    "public.dossier_qr_svg": Route(PUBLIC, {"token": "dossier_token"}, scoped=False),
    "static": Route(PUBLIC, {"filename": "static_file"}, scoped=False),
    # sign-in
    "auth.login": Route(PUBLIC),
    "auth.logout": Route(STAFF, method="POST", ok=(302,)),
    # summaries
    "dashboards.home": Route(STAFF, ok=(200, 302)),
    "dashboards.agency_summary": Route(STAFF, {"code": "agency_code"}),
    "auth.set_password": Route(PUBLIC, {"token": "invite_token"}, scoped=False),
    # summaries, exports and charts
    "dashboards.definitions": Route(STAFF),
    "dashboards.agency_export": Route(STAFF, {"code": "agency_code", "name": "table_name", "fmt": "csv"}),
    "dashboards.criteria_chart": Route(STAFF, {"code": "agency_code"}),
    "dashboards.trend_chart": Route(STAFF, {"code": "agency_code"}),
    # A unit without children has no overview: 302 to its summary.
    "dashboards.overview_page": Route(STAFF, {"code": "agency_code"}, ok=(200, 302)),
    "dashboards.overview_export": Route(
        STAFF, {"code": "agency_code", "name": "overview_table", "fmt": "csv"}
    ),
    # posters
    "posters.index": Route(STAFF),
    "posters.job": Route(STAFF, {"job_id": "poster_job"}),
    "posters.job_pdf": Route(STAFF, {"job_id": "poster_job"}),
    "posters.point_poster": Route(STAFF, {"code": "point_code"}),
    # the secretary's console: lists are scoped in the query, objects by 404
    "admin.agencies": Route(STAFF, shows="agency_code"),
    "admin.procedures": Route(STAFF, shows="procedure_code"),
    "admin.survey_points": Route(STAFF, shows="point_code"),
    "admin.agency": Route(STAFF, {"code": "agency_code"}),
    "admin.agency_new": Route(MANAGERS),
    "admin.agency_rename": Route(MANAGERS, {"code": "agency_code"}),
    "admin.agency_target": Route(MANAGERS, {"code": "agency_code"}),
    # A head's only agency in scope is the root of its scope, which it may
    # not move, merge, retire or restore (survey/admin/agencies.py).
    "admin.agency_move": Route(MANAGERS, {"code": "agency_code"}, denied=("head",)),
    "admin.agency_merge": Route(MANAGERS, {"code": "agency_code"}, denied=("head",)),
    "admin.agency_retire": Route(MANAGERS, {"code": "agency_code"}, denied=("head",)),
    "admin.agency_restore": Route(
        MANAGERS, {"code": "agency_code"}, method="POST", ok=ACTION, denied=("head",)
    ),
    "admin.procedure_assign": Route(MANAGERS, {"code": "agency_code"}, method="POST", ok=ACTION),
    "admin.procedure_unassign": Route(
        MANAGERS,
        {"code": "agency_code", "procedure_code": "procedure_code"},
        method="POST",
        ok=ACTION,
        mutates=True,
    ),
    # The national procedure list is imported by province-wide accounts only.
    "admin.procedure_import_upload": Route(MANAGERS, denied=("committee", "head")),
    "admin.procedure_import_apply": Route(MANAGERS, method="POST", ok=ACTION, denied=("committee", "head")),
    "admin.questionnaire_assignments": Route(STAFF),
    "admin.questionnaire_assign": Route(MANAGERS, {"code": "agency_code"}),
    "admin.questionnaire_preview": Route(STAFF, {"version_id": "version_id"}, scoped=False),
    "admin.questionnaire_phone": Route(STAFF, {"version_id": "version_id"}, scoped=False),
    "admin.survey_point": Route(STAFF, {"code": "point_code"}),
    "admin.survey_point_new": Route(MANAGERS),
    "admin.survey_point_retire": Route(MANAGERS, {"code": "point_code"}),
    "admin.survey_point_counter": Route(MANAGERS, {"code": "point_code"}, method="POST", ok=ACTION),
    "admin.users": Route(MANAGERS, shows="member_email"),
    "admin.user_new": Route(MANAGERS),
    "admin.user_edit": Route(MANAGERS, {"user_id": "member_id"}),
    "admin.user_disable": Route(MANAGERS, {"user_id": "member_id"}),
    "admin.user_enable": Route(MANAGERS, {"user_id": "member_id"}, method="POST", ok=ACTION),
    "admin.user_reset": Route(MANAGERS, {"user_id": "member_id"}, method="POST", ok=ACTION),
    "admin.tokens": Route(MANAGERS),
    "admin.token_new": Route(MANAGERS),
    "admin.token_revoke": Route(MANAGERS, {"token_id": "token_id"}),
    "admin.log": Route(STAFF),
    "admin.log_csv": Route(STAFF),
    "admin.help": Route(STAFF),
    # the guide's screenshots; an unknown name is a plain 404 for everyone
    "admin.help_image": Route(STAFF, {"name": "help_image"}, ok=(404,), scoped=False),
    # questionnaire versions (administrators)
    "questionnaire_admin.index": Route(("admin",)),
    "questionnaire_admin.new": Route(("admin",)),
    "questionnaire_admin.show": Route(("admin",), {"version_id": "version_id"}, scoped=False),
    # follow-up of unhappy citizens
    "followup.work_list": Route(STAFF),
    "followup.comments": Route(STAFF, shows="comment_text"),
    "followup.digest": Route(STAFF),
    "followup.figures_page": Route(STAFF),
    "followup.case_page": Route(STAFF, {"case_id": "case_id"}),
    "followup.case_update": Route(HANDLERS, {"case_id": "case_id"}, method="POST", ok=(302, 422)),
    "followup.open_from_response": Route(HANDLERS, {"response_id": "response_id"}, method="POST", ok=(302,)),
    "followup.acknowledge_alert": Route(HANDLERS, {"alert_id": "alert_id"}, method="POST", ok=(302,)),
    "followup.settings_page": Route(("admin", "head"), {"agency_code": "agency_code"}),
    # ISO evidence packs
    "evidence.index": Route(EVIDENCE),
    "evidence.verify": Route(EVIDENCE),
    "evidence.job": Route(EVIDENCE, {"job_id": "evidence_job"}),
    "evidence.download": Route(EVIDENCE, {"job_id": "evidence_job"}),
    "evidence.downloads": Route(("admin", "committee")),
    # API
    "api.openapi": Route(PUBLIC),
    "api.agency_cases": Route(API, {"code": "agency_code"}),
    "api.create_dossier_link": Route(API, method="POST", body="dossier_request", ok=(200, 201)),
    "api.agency_summary": Route(API, {"code": "agency_code"}, query=PERIOD),
    "api.procedure_summary": Route(
        API, {"code": "agency_code", "procedure_code": "procedure_code"}, query=PERIOD
    ),
}
