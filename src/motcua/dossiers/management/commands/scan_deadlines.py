from django.core.management.base import BaseCommand

from motcua.dossiers.scan import draft_due_apologies


class Command(BaseCommand):
    help = "Quét thời hạn: dự thảo văn bản xin lỗi, gia hạn cho hồ sơ có nguy cơ trễ hạn (chạy định kỳ)."

    def handle(self, *args, **options):
        drafted = draft_due_apologies()
        for apology in drafted:
            self.stdout.write(
                f"Dự thảo xin lỗi: {apology.dossier.code} → hẹn mới {apology.new_appointment_at:%d/%m/%Y %H:%M}"
            )
        self.stdout.write(self.style.SUCCESS(f"Đã dự thảo {len(drafted)} văn bản xin lỗi, gia hạn."))
