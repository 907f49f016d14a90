"""Load the demo: real commune procedures, a demo centre in Nghệ An, one account per role.

Idempotent: running it again changes nothing and prints the same accounts. Agency identifiers
are demo values (marked `demo`), not the real reissued codes.

The accounts have passwords printed on the screen and written in this file: this command exists
only where the demo app is installed (MOTCUA_DEMO=1), which `motcua.web.checks` refuses when
DEBUG is off. Nothing else in MộtCửa creates an account with a known password.
"""

import json
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify

from motcua.agencies.models import AdministrativeUnit, Agency, Membership, Position
from motcua.catalog import services
from motcua.catalog.models import (
    Fee,
    Field,
    FormTemplate,
    OnlineField,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
    ProcessTemplate,
    RequiredPaper,
    StepAgency,
)
from motcua.catalog.text import fold
from motcua.demo import catalogue as data

POSITIONS = {
    "van_thu": "Văn thư",
    "truong_phong": "Trưởng bộ phận chuyên môn",
    "chu_tich": "Chủ tịch UBND",
    "pho_chu_tich": "Phó Chủ tịch UBND",
}

# One account per role, with published passwords (data/accounts.json): the demo only.
ACCOUNTS = json.loads((data.DATA_DIR / "accounts.json").read_text(encoding="utf-8"))


def demo_form_html(name: str, code: str | None, procedure) -> bytes:
    """A printable blank of the form, clearly marked as a demo stand-in for the official one."""
    lines = "".join(
        f"<p>{label}: {'.' * 90}</p>"
        for label in (
            "Họ, chữ đệm, tên người yêu cầu",
            "Số định danh cá nhân",
            "Nơi cư trú",
            "Số điện thoại",
            "Nội dung yêu cầu",
        )
    )
    return (
        "<!doctype html><html lang='vi'><meta charset='utf-8'><title>" + escape(name) + "</title>"
        "<body style='font-family:serif;max-width:40em;margin:2em auto'>"
        "<p style='text-align:center'><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>"
        "<b>Độc lập - Tự do - Hạnh phúc</b></p>"
        f"<h1 style='text-align:center;font-size:1.3em'>{escape(name.upper())}</h1>"
        f"<p><i>Mẫu minh họa của MộtCửa cho thủ tục {escape(procedure.code)} — "
        f"{escape(procedure.name)}{' (ký hiệu ' + escape(code) + ')' if code else ''}. "
        "Dùng mẫu chính thức do cơ quan có thẩm quyền ban hành.</i></p>"
        f"{lines}<p style='text-align:right'>Người yêu cầu<br>(Ký, ghi rõ họ tên)</p></body></html>"
    ).encode()


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa: thủ tục cấp xã thật, trung tâm minh họa, tài khoản theo vai trò."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-accounts", action="store_true", help="Không in danh sách tài khoản."
        )

    def handle(self, *args, quiet_accounts=False, **options):
        problems = data.validate()
        if problems:
            raise CommandError("demo/data/catalogue.json: " + "; ".join(problems))
        if not AdministrativeUnit.objects.filter(kind="province").exists():
            call_command("import_units", no_progress=True, stdout=self.stdout)
        with transaction.atomic():
            agencies = self.agencies()
            created = self.catalogue()
            self.accounts(agencies)
        sample = self.sample_dossier(agencies)
        self.stdout.write(
            self.style.SUCCESS(
                f"Danh mục: {Procedure.objects.count()} thủ tục ({created} mới); "
                f"cơ quan minh họa: {Agency.objects.filter(demo=True).count()}."
            )
        )
        if sample is not None:
            self.stdout.write(f"Hồ sơ minh họa: {sample.code} (trang cán bộ /can-bo/ho-so/{sample.pk}/, mục "
                              "“Đồng bộ liên thông”: các thông điệp gửi Cổng Dịch vụ công quốc gia mô phỏng).")
        if not quiet_accounts:
            self.print_accounts()

    # --- agencies ---------------------------------------------------------------------------

    def agencies(self) -> dict[str, Agency]:
        province_unit = AdministrativeUnit.objects.get(
            kind="province", gso_code=settings.PROVINCE_GSO_CODE
        )
        communes = list(province_unit.communes.order_by("gso_code")[:2])
        if len(communes) < 2:
            raise CommandError("Tỉnh cấu hình không có đủ 2 xã để tạo dữ liệu minh họa.")
        p = f"H{settings.PROVINCE_GSO_CODE:02d}"

        def node(key, name, code, level, parent=None, **extra):
            agency, _ = Agency.objects.update_or_create(
                code=code,
                defaults={"name": name, "level": level, "parent": parent, "demo": True, **extra},
            )
            return agency

        out = {
            "province": node(
                "province",
                f"UBND {province_unit.name}",
                f"000.00.00.{p}",
                Agency.Level.PROVINCE,
                unit=province_unit,
            )
        }
        out["centre"] = node(
            "centre",
            f"Trung tâm Phục vụ hành chính công {province_unit.name}",
            f"000.00.01.{p}",
            Agency.Level.CENTRE,
            out["province"],
            has_desk=True,
        )
        out["insurance"] = node(
            "insurance",
            f"Bảo hiểm xã hội {province_unit.name}",
            f"000.00.02.{p}",
            Agency.Level.DEPARTMENT,
            out["province"],
            vertical=True,
            kind="social_insurance",
        )
        for suffix, unit, n in (("a", communes[0], 1), ("b", communes[1], 2)):
            commune = node(
                f"commune_{suffix}",
                f"UBND {unit.name}",
                f"000.{n:02d}.00.{p}",
                Agency.Level.COMMUNE,
                out["province"],
                unit=unit,
            )
            out[f"commune_{suffix}"] = commune
            out[f"desk_{suffix}"] = node(
                f"desk_{suffix}",
                f"Trung tâm Phục vụ hành chính công {unit.name}",
                f"000.{n:02d}.01.{p}",
                Agency.Level.CENTRE,
                commune,
                has_desk=True,
            )
            out[f"police_{suffix}"] = node(
                f"police_{suffix}",
                f"Công an {unit.name}",
                f"000.{n:02d}.02.{p}",
                Agency.Level.DEPARTMENT,
                commune,
                vertical=True,
                kind="police",
            )
        return out

    # --- catalogue --------------------------------------------------------------------------

    def catalogue(self) -> int:
        positions = {
            code: Position.objects.update_or_create(code=code, defaults={"name": name})[0]
            for code, name in POSITIONS.items()
        }
        fields = {
            code: Field.objects.update_or_create(code=code, defaults={"name": name})[0]
            for code, name in data.FIELDS
        }
        created = 0
        for item in data.PROCEDURES:
            procedure, new = Procedure.objects.update_or_create(
                code=item["code"],
                defaults={
                    "name": item["name"],
                    "field": fields[item["field"]],
                    "level": item["level"],
                    "demo": True,
                },
            )
            if procedure.versions.exists():
                continue  # versions are immutable; the demo never rewrites one
            created += 1
            self.version(procedure, item, positions)
        return created

    def version(self, procedure, item, positions):
        sources = "\n".join(data.SOURCES[key] for key in item["sources"])
        version = ProcedureVersion.objects.create(
            procedure=procedure,
            number=1,
            online_level=item["online_level"],
            legal_basis=item["legal_basis"],
            result_type=item["result_type"],
            cutoff=item["cutoff"],
            supplement_rule=item["supplement_rule"],
            payment_pauses_clock=item["payment_pauses_clock"],
            sources=f"Mức tin cậy: {item['confidence']}\n{sources}",
            note=item.get("note", ""),
        )
        cases = {}
        for order, c in enumerate(item["cases"]):
            cases[c["key"]] = ProcedureCase.objects.create(
                version=version,
                key=c["key"],
                name=c["name"],
                limit_kind=c["limit_kind"],
                limit_value=Decimal(c["limit_value"]) if c["limit_value"] is not None else None,
                order=order,
            )
        forms = {}
        for f in item.get("forms", []):
            form = FormTemplate(version=version, code=f.get("code") or "", name=f["name"])
            form.file.save(
                f"{procedure.code}-{slugify(fold(f['name']))[:50]}.html",
                ContentFile(demo_form_html(f["name"], f.get("code"), procedure)),
                save=False,
            )
            form.save()
            forms[f["name"]] = form
        for order, paper in enumerate(item["papers"]):
            RequiredPaper.objects.create(
                version=version,
                case=cases.get(paper["case"]),
                name=paper["name"],
                kind=paper["kind"],
                count=paper["count"],
                required=paper["required"],
                form=forms.get(paper["name"]),
                order=order,
            )
        for fee in item["fees"]:
            Fee.objects.create(
                version=version,
                case=cases.get(fee["case"]),
                name=fee["name"],
                amount=fee["amount"],
                channel=fee["channel"] or "",
                note=fee.get("note", ""),
            )
        for order, f in enumerate(data.ONLINE_FIELDS.get(procedure.code, [])):
            OnlineField.objects.create(
                version=version,
                key=f["key"],
                label=f["label"],
                kind=f.get("kind", "text"),
                required=f.get("required", True),
                choices=f.get("choices", []),
                help_text=f.get("help_text", ""),
                max_length=f.get("max_length", 500),
                order=order,
            )
        template = ProcessTemplate.objects.create(
            version=version, name=f"Quy trình nội bộ — {procedure.name}"[:300]
        )
        for order, step in enumerate(item["process"], start=1):
            kind = step["agency"]
            ProcessStep.objects.create(
                template=template,
                order=order,
                name=step["name"],
                role=step["role"],
                position=positions.get(step["position"]) if step["position"] else None,
                agency_kind=kind
                if kind in (StepAgency.RECEIVING, StepAgency.COMPETENT)
                else StepAgency.OTHER,
                other_agency_kind=""
                if kind in (StepAgency.RECEIVING, StepAgency.COMPETENT)
                else kind,
                budget_hours=Decimal(step["budget_hours"]),
                is_return=step["is_return"],
            )
        services.version_publish(version=version)

    # --- accounts ---------------------------------------------------------------------------

    def accounts(self, agencies):
        User = get_user_model()
        for account in ACCOUNTS:
            last, _sep, first = account["name"].rpartition(" ")
            user, new = User.objects.get_or_create(
                username=account["username"], defaults={"first_name": first, "last_name": last}
            )
            if new:
                user.set_password(account["password"])
                user.is_staff = user.is_superuser = account.get("superuser", False)
                user.save()
            position = (
                account["position"] and Position.objects.filter(code=account["position"]).first()
            )
            for role in account["roles"]:
                Membership.objects.get_or_create(
                    user=user,
                    agency=agencies[account["agency"]],
                    role=role,
                    defaults={"position": position or None},
                )

    def sample_dossier(self, agencies):
        """One civil-status confirmation (Giấy xác nhận tình trạng hôn nhân) received at commune
        A's desk and forwarded to its specialist, so a fresh demo has a dossier to open — and,
        with the national connector on (the demo's default), a sync timeline the relay fills
        against the simulated portal. Created once (an idempotency key), through the same
        services as the counter."""
        from motcua.dossiers import services as dossier_services
        from motcua.dossiers.models import Dossier
        from motcua.dossiers.services import ApplicantInput, PaperInput

        key = "demo-sample-dossier-1"
        found = Dossier.objects.filter(idempotency_key=key).first()
        if found is not None:
            return found
        receiver = get_user_model().objects.get(username="tiepnhan")
        version = ProcedureVersion.objects.filter(procedure__code="1.004873", status="published").first()
        if version is None:
            return None
        papers = [PaperInput(required_paper_id=p.pk) for p in version.papers.filter(required=True, case__isnull=True)]
        with transaction.atomic():
            dossier = dossier_services.dossier_receive(
                actor=receiver, receiving_agency=agencies["desk_a"], procedure="1.004873",
                competent_agency=agencies["commune_a"], papers=papers, idempotency_key=key,
                applicant=ApplicantInput(full_name="Nguyễn Văn Minh Họa", id_number="040095009999",
                                         phone="0912000999", email="minhhoa@example.vn",
                                         address="Xóm 1, xã minh họa, Nghệ An"),
            )
            return dossier_services.dossier_forward(dossier=dossier, actor=receiver)

    def print_accounts(self):
        self.stdout.write("\nTài khoản minh họa (chỉ dùng cho bản demo):")
        self.stdout.write(f"  {'tên đăng nhập':<14} {'mật khẩu ban đầu':<24} vai trò — cơ quan")
        for account in ACCOUNTS:
            user = get_user_model().objects.get(username=account["username"])
            memberships = user.memberships.select_related("agency")
            scope = "; ".join(f"{m.get_role_display()} — {m.agency.name}" for m in memberships) or (
                "Quản trị toàn hệ thống" if user.is_superuser else "Công dân"
            )
            self.stdout.write(f"  {user.username:<14} {account['password']:<24} {scope}")
