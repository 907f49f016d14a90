"""Import the 34 provinces and 3,321 communes from `vietnam-provinces` (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm
from vietnam_provinces import Province, Ward

from motcua.agencies.models import AdministrativeUnit

Kind = AdministrativeUnit.Kind


class Command(BaseCommand):
    help = "Nhập danh mục 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu từ gói vietnam-provinces."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến trình.")

    @transaction.atomic
    def handle(self, *args, no_progress=False, **options):
        provinces = list(Province.iter_all())
        wards = list(Ward.iter_all())
        bar = tqdm(total=len(provinces) + len(wards), disable=no_progress, unit=" đơn vị", desc="Đơn vị hành chính")
        stats = {"created": 0, "updated": 0}
        province_rows = self._sync(
            Kind.PROVINCE, [(int(p.code), p.name, p.division_type.value, None) for p in provinces], bar, stats
        )
        self._sync(
            Kind.COMMUNE,
            [(int(w.code), w.name, w.division_type.value, province_rows[int(w.province_code)].pk) for w in wards],
            bar, stats,
        )
        bar.close()
        total = len(provinces) + len(wards)
        self.stdout.write(self.style.SUCCESS(
            f"Tỉnh, thành phố: {len(provinces)}; xã, phường, đặc khu: {len(wards)}. "
            f"Thêm mới {stats['created']}, cập nhật {stats['updated']}, "
            f"giữ nguyên {total - stats['created'] - stats['updated']}."
        ))

    def _sync(self, kind, items, bar, stats) -> dict[int, AdministrativeUnit]:
        existing = {u.gso_code: u for u in AdministrativeUnit.objects.filter(kind=kind)}
        new, changed = [], []
        for code, name, unit_type, province_id in items:
            row = existing.get(code)
            if row is None:
                new.append(AdministrativeUnit(kind=kind, gso_code=code, name=name, unit_type=unit_type,
                                              province_id=province_id))
            elif (row.name, row.unit_type, row.province_id) != (name, unit_type, province_id):
                row.name, row.unit_type, row.province_id = name, unit_type, province_id
                changed.append(row)
            bar.update(1)
        for row in AdministrativeUnit.objects.bulk_create(new, batch_size=500):
            existing[row.gso_code] = row
        AdministrativeUnit.objects.bulk_update(changed, ["name", "unit_type", "province"], batch_size=500)
        stats["created"] += len(new)
        stats["updated"] += len(changed)
        return existing
