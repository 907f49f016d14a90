"""manage.py api_client create|rotate|revoke|list — API clients from the command line
(docs/architecture.md §17). `create` and `rotate` print the token once: it is stored only as a hash."""

from django.core.management.base import BaseCommand, CommandError

from motcua.agencies.models import Agency, Role
from motcua.api import clients
from motcua.api.models import ApiClient
from motcua.api.permissions import OPERATIONS
from motcua.errors import MotcuaError


class Command(BaseCommand):
    help = "Tạo, đổi mã, thu hồi, liệt kê ứng dụng gọi API (API clients)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Tạo ứng dụng; in mã truy cập một lần duy nhất.")
        create.add_argument("--name", required=True)
        create.add_argument("--system", default="", help="Hệ thống gọi API, người chịu trách nhiệm.")
        create.add_argument("--agency", help="Mã định danh cơ quan mà tài khoản máy được phân công.")
        create.add_argument("--role", default=Role.RECEIVER, choices=Role.values)
        create.add_argument("--operations", required=True,
                            help="Các thao tác, cách nhau bởi dấu phẩy: " + ", ".join(OPERATIONS))
        create.add_argument("--days", type=int, default=None, help="Hết hạn sau N ngày (mặc định: không hết hạn).")
        for name, text in (("rotate", "Cấp mã mới; mã cũ hết hiệu lực ngay."), ("revoke", "Thu hồi mã.")):
            sub.add_parser(name, help=text).add_argument("id", type=int)
        sub.add_parser("list", help="Liệt kê (không bao giờ in mã).")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except MotcuaError as exc:
            raise CommandError(f"{exc.field}: {exc.message}" if exc.field else exc.message) from exc

    def _client(self, pk) -> ApiClient:
        try:
            return ApiClient.objects.get(pk=pk)
        except ApiClient.DoesNotExist:
            raise CommandError(f"Không có ứng dụng số {pk}.") from None

    def _create(self, *, name, system, agency, role, operations, days, **_):
        found = None
        if agency:
            found = Agency.objects.filter(code=agency).first()
            if found is None:
                raise CommandError(f"Không có cơ quan mã {agency}.")
        if days is not None and days <= 0:
            raise CommandError("--days phải là số dương.")
        client, token = clients.api_client_create(
            name=name, system=system, agency=found, role=role, operations=operations.split(","),
            expires_at=clients.expiry_in(days),
        )
        self.stdout.write(f"Đã tạo ứng dụng số {client.pk} ({client.name}).")
        self.stdout.write("Mã truy cập (chỉ hiện một lần, hãy lưu ngay):")
        self.stdout.write(token)

    def _rotate(self, *, id, **_):
        token = clients.api_client_rotate(client=self._client(id))
        self.stdout.write("Mã truy cập mới (chỉ hiện một lần; mã cũ đã hết hiệu lực):")
        self.stdout.write(token)

    def _revoke(self, *, id, **_):
        clients.api_client_revoke(client=self._client(id))
        self.stdout.write(f"Đã thu hồi ứng dụng số {id}.")

    def _list(self, **_):
        for c in clients.api_client_list():
            agencies = ", ".join(f"{m.agency.code}/{m.role}" for m in c.user.memberships.all()) or "-"
            state = "thu hồi" if c.revoked_at else "hết hạn" if c.is_expired() else "hiệu lực"
            self.stdout.write(
                f"{c.pk}\t{c.prefix}…\t{c.name}\t{state}\t{','.join(c.operations)}\t{agencies}\t"
                f"hết hạn: {c.expires_at or '-'}\tdùng lần cuối: {c.last_used_at or '-'}"
            )
