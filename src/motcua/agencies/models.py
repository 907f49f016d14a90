"""The agency tree, memberships and the working calendar's approved overrides."""

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdministrativeUnit(models.Model):
    """Reference row for a province or commune, imported from `vietnam-provinces` (GSO codes).

    Kept apart from `Agency`: the whole country is reference data, while agencies exist only for
    the installation's own province.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        COMMUNE = "commune", _("Xã, phường, đặc khu")

    gso_code = models.PositiveIntegerField(_("mã đơn vị hành chính (GSO)"))
    kind = models.CharField(_("cấp"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    unit_type = models.CharField(_("loại"), max_length=64, blank=True)
    province = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="communes",
        verbose_name=_("tỉnh, thành phố"),
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["kind", "gso_code"], name="unique_unit_kind_code"),
        ]
        ordering = ["kind", "gso_code"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        COMMUNE = "commune", _("Cấp xã")
        CENTRE = "centre", _("Trung tâm Phục vụ hành chính công")

    name = models.CharField(_("tên cơ quan, đơn vị"), max_length=255)
    # Mã định danh điện tử (QĐ 20/2020/QĐ-TTg, sửa đổi bởi QĐ 09/2025): entered by an
    # administrator after the 2025 mergers reissued them; used in dossier codes.
    code = models.CharField(_("mã định danh"), max_length=32, unique=True)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    # Materialised path ("12/57/") so "this agency or below" is one indexed prefix match.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("đơn vị hành chính"),
    )
    # Vertically organised agencies (commune police, social insurance) sit in the tree as
    # department-level nodes but answer to their own ministry.
    vertical = models.BooleanField(_("ngành dọc"), default=False)
    kind = models.CharField(
        _("loại chuyên môn"), max_length=32, blank=True,
        help_text=_("Ví dụ: police (công an), social_insurance (bảo hiểm xã hội)."),
    )
    has_desk = models.BooleanField(_("có Bộ phận Một cửa"), default=False)
    demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    # Working hours, e.g. "07:30-11:30,13:00-17:00": per agency, default 8 h
    # (docs/architecture.md §10).
    work_hours = models.CharField(
        _("giờ làm việc"), max_length=64, default="07:30-11:30,13:00-17:00",
        help_text=_("Các khoảng giờ làm việc, cách nhau bởi dấu phẩy, ví dụ 07:30-11:30,13:00-17:00."),
    )

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def hours(self) -> list[tuple[time, time]]:
        return parse_work_hours(self.work_hours)

    def clean(self):
        try:
            parse_work_hours(self.work_hours)
        except ValueError as exc:
            raise ValidationError({"work_hours": str(exc)}) from exc
        node = self.parent
        while node is not None:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"parent": _("Đơn vị cấp trên không được là chính nó hoặc cấp dưới của nó.")})
            node = node.parent

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else ''}{self.pk}/"
        if path != self.path:
            old = self.path
            Agency.objects.filter(pk=self.pk).update(path=path)
            self.path = path
            if old:  # moved: rewrite the subtree's paths
                for child in Agency.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    Agency.objects.filter(pk=child.pk).update(path=path + child.path[len(old):])

    def subtree(self):
        return Agency.objects.filter(path__startswith=self.path)


def parse_work_hours(text: str) -> list[tuple[time, time]]:
    periods = []
    for chunk in text.split(","):
        try:
            start, end = chunk.strip().split("-")
            period = (time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))
        except ValueError:
            raise ValueError(f"Giờ làm việc không hợp lệ: “{chunk.strip()}” (cần dạng 07:30-11:30).") from None
        if period[0] >= period[1]:
            raise ValueError(f"Giờ bắt đầu phải trước giờ kết thúc: “{chunk.strip()}”.")
        if periods and period[0] < periods[-1][1]:
            raise ValueError(_("Các khoảng giờ làm việc phải tăng dần và không chồng nhau."))
        periods.append(period)
    if not periods:
        raise ValueError(_("Cần ít nhất một khoảng giờ làm việc."))
    return periods


class Role(models.TextChoices):
    RECEIVER = "receiver", _("Tiếp nhận và trả kết quả")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")
    MANAGER = "manager", _("Quản lý")
    ADMIN = "admin", _("Quản trị")
    # Searches the personal-data access log of the agency and below (privacy/); reads no dossier.
    DPO = "dpo", _("Cán bộ bảo vệ dữ liệu cá nhân")


class Position(models.Model):
    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("chức vụ"), max_length=100)

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("người dùng"),
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cơ quan"))
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("chức vụ"))
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_membership_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"


class CalendarYear(models.Model):
    """A year's working calendar as approved by an administrator.

    The `holidays` package gives a draft; the Government's yearly notice fixes the real
    civil-servant schedule (e.g. 2026: 27/04 off, Saturday 22/08 worked), so overrides are
    applied only once an administrator approves the year.
    """

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    approved = models.BooleanField(_("đã phê duyệt"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người phê duyệt"),
    )
    approved_at = models.DateTimeField(_("thời điểm phê duyệt"), null=True, blank=True)
    note = models.TextField(_("căn cứ"), blank=True)

    class Meta:
        verbose_name = _("lịch làm việc năm")
        verbose_name_plural = _("lịch làm việc năm")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarOverride(models.Model):
    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ thêm")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("năm"))
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("lý do"), max_length=255)

    class Meta:
        verbose_name = _("ngày điều chỉnh")
        verbose_name_plural = _("ngày điều chỉnh")
        constraints = [models.UniqueConstraint(fields=["date"], name="unique_override_date")]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}"

    def clean(self):
        if self.year_id and self.date and self.date.year != self.year.year:
            raise ValidationError({"date": _("Ngày phải thuộc năm của lịch.")})
