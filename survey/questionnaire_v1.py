"""The default questionnaire `v1`, exactly as in the domain guide (§3).

Data only: `questionnaires.ensure_default()` turns it into rows once.
"""

from survey import scales

L5 = [dict(option) for option in scales.L5.options]


def _l5_with_na(vi: str, en: str) -> list[dict]:
    return L5 + [{"value": None, "vi": vi, "en": en, "na": True}]


CRITERIA = [
    # code, name_vi, name_en, SIPAS factor
    ("access", "Tiếp cận dịch vụ", "Access to the service", 1),
    (
        "procedure_info",
        "Thủ tục hành chính (công khai, hướng dẫn)",
        "Administrative procedure (publicity, guidance)",
        2,
    ),
    ("official_attitude", "Thái độ của công chức", "Official's attitude", 3),
    ("official_guidance", "Hướng dẫn của công chức", "Official's guidance", 3),
    ("result", "Kết quả dịch vụ", "Service result", 4),
    ("visits", "Số lần liên hệ", "Number of contacts", None),
    ("extra_trip_cause", "Lý do phải đi lại thêm", "Cause of extra trips", None),
    ("extra_payment", "Yêu cầu nộp thêm tiền, quà", "Request for extra payment", None),
    (
        "feedback_handling",
        "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị",
        "Handling of feedback and complaints",
        5,
    ),
    ("overall", "Mức độ hài lòng chung", "Overall satisfaction", None),
    ("comment", "Góp ý thêm", "Further comments", None),
    ("procedure", "Thủ tục thực hiện", "Procedure used", None),
]

TITLE_VI = "Phiếu khảo sát mức độ hài lòng"
TITLE_EN = "Satisfaction survey"

QUESTIONS = [
    {
        "key": "Q0",
        "kind": "procedure",
        "criterion": "procedure",
        "required": False,
        "vi": "Thủ tục Ông/Bà thực hiện hôm nay:",
        "en": "Procedure today:",
    },
    {
        "key": "Q1",
        "kind": "scale",
        "criterion": "access",
        "options": L5,
        "vi": "Ông/Bà hài lòng thế nào về nơi làm thủ tục (biển chỉ dẫn, chỗ ngồi, thời gian chờ đến lượt)?",
        "en": "How satisfied are you with the service point (signs, seating, waiting time)?",
    },
    {
        "key": "Q2",
        "kind": "scale",
        "criterion": "procedure_info",
        "options": L5,
        "vi": "Ông/Bà hài lòng thế nào về việc công khai, hướng dẫn thông tin thủ tục (giấy tờ cần nộp, phí, lệ phí, thời hạn giải quyết)?",
        "en": "How satisfied are you with how the procedure is published and explained (documents, fees, processing time)?",
    },
    {
        "key": "Q3",
        "kind": "scale",
        "criterion": "official_attitude",
        "options": L5,
        "vi": "Ông/Bà hài lòng thế nào về thái độ của công chức tiếp nhận (lịch sự, tôn trọng, nhiệt tình)?",
        "en": "How satisfied are you with the receiving official's attitude (courteous, respectful, helpful)?",
    },
    {
        "key": "Q4",
        "kind": "scale",
        "criterion": "official_guidance",
        "options": L5,
        "vi": "Ông/Bà hài lòng thế nào về cách công chức hướng dẫn (đầy đủ, chính xác, nói một lần là hiểu)?",
        "en": "How satisfied are you with the official's guidance (complete, accurate, clear first time)?",
    },
    {
        "key": "Q5",
        "kind": "scale",
        "criterion": "result",
        "options": _l5_with_na("Hôm nay tôi chưa nhận kết quả", "I am not receiving a result today"),
        "vi": "Nếu hôm nay Ông/Bà nhận kết quả: Ông/Bà hài lòng thế nào về kết quả (đúng hẹn, chính xác, đầy đủ)?",
        "en": "If you received a result today: how satisfied are you with it (on time, correct, complete)?",
    },
    {
        "key": "Q6",
        "kind": "choice",
        "criterion": "visits",
        "options": [
            {"value": 1, "vi": "1 lần", "en": "Once"},
            {"value": 2, "vi": "2 lần", "en": "Twice"},
            {"value": 3, "vi": "3 lần trở lên", "en": "3 times or more"},
        ],
        "vi": "Tính cả hôm nay, Ông/Bà đã phải đến hoặc liên hệ bao nhiêu lần cho hồ sơ này?",
        "en": "Counting today, how many times have you come or got in touch about this dossier?",
    },
    {
        "key": "Q6b",
        "kind": "choice",
        "criterion": "extra_trip_cause",
        "show_if": {"question": "Q6", "in": [2, 3]},
        "options": [
            {"value": 1, "vi": "Có", "en": "Yes"},
            {"value": 2, "vi": "Không", "en": "No"},
            {"value": 3, "vi": "Không rõ", "en": "Not sure"},
        ],
        "vi": "(Nếu từ 2 lần trở lên) Việc phải đi lại thêm có phải do hướng dẫn không đầy đủ hoặc bị yêu cầu giấy tờ ngoài quy định không?",
        "en": "(If 2 or more) Was the extra trip due to incomplete guidance or papers not required by the rules?",
    },
    {
        "key": "Q7",
        "kind": "choice",
        "criterion": "extra_payment",
        "options": [
            {"value": 1, "vi": "Không", "en": "No"},
            {"value": 2, "vi": "Có", "en": "Yes"},
            {"value": 3, "vi": "Không muốn trả lời", "en": "Prefer not to say"},
        ],
        "vi": "Trong lần giao dịch này, có ai gợi ý hoặc yêu cầu Ông/Bà nộp thêm tiền, quà ngoài phí, lệ phí theo quy định không?",
        "en": "During this visit, did anyone suggest or ask you to pay extra money or gifts beyond official fees?",
    },
    {
        "key": "Q8",
        "kind": "scale",
        "criterion": "feedback_handling",
        "options": _l5_with_na("Tôi chưa góp ý, phản ánh", "I have not given feedback"),
        "vi": "Nếu Ông/Bà đã từng góp ý, phản ánh, kiến nghị với cơ quan này: Ông/Bà hài lòng thế nào về cách tiếp nhận và trả lời?",
        "en": "If you ever gave feedback or a complaint here: how satisfied are you with how it was received and answered?",
    },
    {
        "key": "Q9",
        "kind": "scale",
        "criterion": "overall",
        "options": L5,
        "required": True,
        "vi": "Nhìn chung, Ông/Bà hài lòng thế nào với sự phục vụ hôm nay?",
        "en": "Overall, how satisfied are you with the service today?",
    },
    {
        "key": "Q10",
        "kind": "text",
        "criterion": "comment",
        "required": False,
        "vi": "Góp ý thêm (không bắt buộc). Xin đừng ghi họ tên, số điện thoại, số CCCD.",
        "en": "Further comments (optional). Please don't write your name, phone or ID number.",
    },
]

OVERALL_KEY = "Q9"
COMMENT_KEY = "Q10"
PROCEDURE_KEY = "Q0"
