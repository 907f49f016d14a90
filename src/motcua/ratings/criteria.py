"""What a citizen rates, as data (docs/architecture.md §12).

The three levels are those of the national portal's satisfaction question; "Không hài lòng" is
the "dislike" of QĐ 766/QĐ-TTg indicator 5.4. The optional per-criterion scores follow the
criteria of NĐ 61/2018/NĐ-CP art. 31 (as one-stop systems still apply them under NĐ 118/2025);
each criterion is answered on the same three levels. The 0/1/2 indices of TT 01/2018 art. 13
are computed from these separately (reports), not stored here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    DISSATISFIED = "dissatisfied", _("Không hài lòng")


CRITERIA: list[tuple[str, str]] = [
    ("time", "Thời gian trả kết quả so với thời hạn theo quy định"),
    ("agencies", "Số lượng cơ quan, đơn vị phải liên hệ để hoàn thành thủ tục"),
    ("contacts", "Số lần phải liên hệ với Bộ phận Một cửa để hoàn thành hồ sơ"),
    ("information", "Tính chính xác, đầy đủ của thông tin thủ tục hành chính được công khai"),
    ("attitude", "Thái độ, tinh thần phục vụ của công chức tiếp nhận, giải quyết hồ sơ"),
    ("lawfulness", "Kết quả đúng quy định; chi phí đúng quy định, không phát sinh chi phí ngoài quy định"),
    ("feedback", "Việc tiếp nhận, giải trình, trả lời phản ánh, kiến nghị"),
    ("online", "Chất lượng dịch vụ công trực tuyến"),
]
CRITERIA_KEYS = frozenset(key for key, _label in CRITERIA)
