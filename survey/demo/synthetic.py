"""About 12 months of synthetic responses, marked is_demo, with realistic
variation: most citizens satisfied, a few communes and the land procedures
clearly worse, a weekly rhythm and seasonal peaks."""

import random
import secrets
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select, text

from survey.extensions import db
from survey.models import Answer, QuestionnaireVersion, Response, SurveyPoint

WEEKDAY_FACTOR = [1.25, 1.05, 1.0, 1.0, 0.9, 0.3, 0.0]  # Monday .. Sunday
MONTH_FACTOR = {1: 1.35, 2: 0.7, 3: 1.05, 8: 1.2, 9: 1.1, 12: 1.2}
WEAK_COMMUNES = {"LS-X06040", "LS-X06214", "LS-X06400"}  # named in the README
WEAK_FIELDS = {"Đất đai": 0.14, "Hoạt động xây dựng (chứng chỉ hành nghề)": 0.08}

POSITIVE = [
    "Cán bộ hướng dẫn tận tình, thủ tục nhanh gọn.",
    "Trả kết quả đúng hẹn, cảm ơn bộ phận một cửa.",
    "Phòng chờ sạch sẽ, có số thứ tự rõ ràng.",
    "Rất hài lòng, không phải đi lại nhiều lần.",
]
NEGATIVE = [
    "Phải chờ quá lâu, phòng chờ nóng và thiếu ghế cho người già.",
    "Hướng dẫn chưa rõ, tôi phải đi lại bổ sung giấy tờ 2 lần.",
    "Trả kết quả trễ hẹn mà không được báo trước.",
    "Cán bộ thiếu nhiệt tình, trả lời qua loa.",
    "Niêm yết phí, lệ phí không rõ ràng.",
]


def _daily_rate(point: SurveyPoint) -> float:
    if point.agency.kind == "commune_pc":
        return 0.45 if point.procedure_id else 1.0
    if point.agency.kind == "commune_police":
        return 0.4
    return 0.8 if point.procedure_id else 1.2


def _quality(point: SurveyPoint) -> float:
    quality = 0.66 if point.agency.code in WEAK_COMMUNES else 0.9
    if point.procedure is not None:
        quality -= WEAK_FIELDS.get(point.procedure.field, 0.0)
    return quality


def _overall(rng: random.Random, quality: float) -> int:
    if rng.random() < quality:
        return 5 if rng.random() < 0.45 else 4
    roll = rng.random()
    return 3 if roll < 0.6 else (2 if roll < 0.88 else 1)


def _near(rng: random.Random, overall: int) -> int:
    return min(5, max(1, overall + rng.choices((-1, 0, 1), (0.15, 0.65, 0.2))[0]))


def _answers(rng: random.Random, overall: int, keys: dict[str, int]) -> list[tuple[int, int | None]]:
    visits = (
        rng.choices((1, 2, 3), (0.75, 0.2, 0.05))[0]
        if overall >= 4
        else rng.choices((1, 2, 3), (0.45, 0.35, 0.2))[0]
    )
    values: dict[str, int | None] = {f"Q{i}": _near(rng, overall) for i in (1, 2, 3, 4)}
    values["Q5"] = _near(rng, overall) if rng.random() < 0.45 else None
    values["Q6"] = visits
    if visits >= 2:
        values["Q6b"] = rng.choices((1, 2, 3), (0.4, 0.4, 0.2))[0]
    values["Q7"] = rng.choices((1, 2, 3), (0.972, 0.004, 0.024))[0]
    values["Q8"] = _near(rng, overall) if rng.random() < 0.15 else None
    values["Q9"] = overall
    return [(keys[k], v) for k, v in values.items()]


def _moment(rng: random.Random, day: date) -> datetime:
    minutes = rng.randint(0, 239) if rng.random() < 0.6 else 360 + rng.randint(0, 209)
    local = datetime.combine(day, time(7, 30)) + timedelta(minutes=minutes, seconds=rng.randint(0, 59))
    return local - timedelta(hours=7)  # Asia/Ho_Chi_Minh is UTC+7 all year


def _days(end: date, count: int) -> Iterator[date]:
    for offset in range(count, 0, -1):
        yield end - timedelta(days=offset)


def generate(
    points: list[SurveyPoint],
    version: QuestionnaireVersion,
    days: int = 365,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert the synthetic responses in batches; returns how many."""
    rng = random.Random(seed)
    keys = {q.key: q.id for q in version.questions}
    next_id = (db.session.scalar(select(func.max(Response.id))) or 0) + 1
    next_answer = (db.session.scalar(select(func.max(Answer.id))) or 0) + 1
    total, responses, answers = 0, [], []
    for day in _days(date.today(), days):
        factor = WEEKDAY_FACTOR[day.weekday()] * MONTH_FACTOR.get(day.month, 1.0)
        for point in points:
            for _ in range(_poisson(rng, _daily_rate(point) * factor)):
                overall = _overall(rng, _quality(point))
                responses.append(_response_row(rng, next_id, point, version, day, overall))
                for question_id, value in _answers(rng, overall, keys):
                    answers.append(
                        {
                            "id": next_answer,
                            "response_id": next_id,
                            "question_id": question_id,
                            "value": value,
                            "not_applicable": value is None,
                        }
                    )
                    next_answer += 1
                next_id += 1
        if len(responses) > 5000:
            total += _flush(responses, answers)
        if progress:
            progress(1)
    total += _flush(responses, answers)
    _reset_sequences()
    return total


def _response_row(rng, response_id, point, version, day, overall) -> dict:
    comment = None
    if rng.random() < (0.1 if overall >= 4 else 0.35):
        comment = rng.choice(POSITIVE if overall >= 4 else NEGATIVE)
    return {
        "id": response_id,
        "nonce": "demo-" + secrets.token_hex(12),
        "survey_point_id": point.id,
        "agency_id": point.agency_id,
        "procedure_id": point.procedure_id,
        "questionnaire_id": version.id,
        "submitted_at": _moment(rng, day),
        "channel": "kiosk" if rng.random() < 0.08 else "qr",
        "overall": overall,
        "comment": comment,
        "locale": "vi",
        "is_demo": True,
    }


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method is fine for the small means used here.
    limit, count, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _flush(responses: list, answers: list) -> int:
    count = len(responses)
    if responses:
        db.session.execute(insert(Response), responses)
        db.session.execute(insert(Answer), answers)
        db.session.commit()
    responses.clear()
    answers.clear()
    return count


def _reset_sequences() -> None:
    """Explicit ids were inserted; move PostgreSQL's sequences past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("responses", "answers"):
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )
    db.session.commit()
