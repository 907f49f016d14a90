"""System checks that keep the demo out of production: MộtCửa fails closed.

With DEBUG off, every value the demo publishes (motcua.demo.published) is refused: the demo app
itself (accounts with printed passwords), its senders that never reach a citizen, the payment
simulator and its secret, the development SECRET_KEY, and signing without a configured key or
with the demo's generated one. Each is a secret or a stand-in anyone can read in this repository:
a forged session, a forged payment callback, a signature nobody can rely on (a digital signature
counts when its certificate comes from a licensed certification service: Law on Electronic
Transactions 2023).

Registered as ordinary (not deploy-only) checks, so `manage.py migrate`, `db_worker`,
`run_scheduler`, `runserver` and `check --deploy` all stop with these errors. Plugin codes that
name nothing registered are refused whatever DEBUG says: the first notice or payment would fail.

Messages are Vietnamese then English; each hint names the setting to change (README, section
"Biến môi trường / Environment variables").
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

from motcua.demo import published

DEMO_APP = "motcua.demo"


def _error(msg: str, hint: str, number: int) -> checks.Error:
    return checks.Error(msg, hint=hint, id=f"motcua.E{number:03d}")


@checks.register(checks.Tags.security)
def check_no_demo_in_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    errors = []
    if apps.is_installed(DEMO_APP):
        errors.append(_error(
            _("Bản minh họa đang bật (MOTCUA_DEMO) khi DEBUG tắt: tài khoản minh họa có mật khẩu "
              "công khai, tin nhắn và thanh toán mô phỏng. / The demo app is installed with DEBUG "
              "off: demo accounts with published passwords, simulated messages and payments."),
            _("Bỏ MOTCUA_DEMO (hoặc đặt MOTCUA_DEMO=0) trên máy chủ thật; bản minh họa chỉ chạy "
              "với DEBUG=1. / Unset MOTCUA_DEMO in production; the demo runs only with DEBUG=1."),
            1,
        ))
    if settings.SECRET_KEY == published.DEV_SECRET_KEY:
        errors.append(_error(
            _("SECRET_KEY là khóa phát triển công khai trong mã nguồn. / SECRET_KEY is the "
              "development key published in the source code."),
            _("Đặt SECRET_KEY bằng một chuỗi ngẫu nhiên dài, giữ bí mật. / Set SECRET_KEY to a "
              "long random secret."),
            2,
        ))
    demo_senders = [code for code in settings.NOTIFY_SENDERS if code in published.DEMO_SENDERS]
    if demo_senders:
        errors.append(_error(
            _("NOTIFY_SENDERS chọn dịch vụ gửi minh họa (%(codes)s): tin nhắn không đến công dân. "
              "/ NOTIFY_SENDERS selects demo senders (%(codes)s): messages never reach the "
              "citizen.")
            % {"codes": ", ".join(demo_senders)},
            _("Bỏ %(codes)s khỏi NOTIFY_SENDERS (ví dụ NOTIFY_SENDERS=email). / Remove %(codes)s "
              "from NOTIFY_SENDERS (e.g. NOTIFY_SENDERS=email).")
            % {"codes": ", ".join(demo_senders)},
            3,
        ))
    if settings.PAYMENT_GATEWAY == published.SIMULATOR_GATEWAY:
        errors.append(_error(
            _("PAYMENT_GATEWAY chọn cổng thanh toán mô phỏng: không thu tiền thật. / "
              "PAYMENT_GATEWAY selects the payment simulator: no real money is collected."),
            _("Đặt PAYMENT_GATEWAY là cổng thanh toán thật, hoặc để trống (chỉ thu phí tại quầy). "
              "/ Set PAYMENT_GATEWAY to a real gateway, or leave it empty (fees at the counter "
              "only)."),
            4,
        ))
    if settings.PAYMENT_SIMULATOR_SECRET == published.PAYMENT_SIMULATOR_SECRET:
        errors.append(_error(
            _("PAYMENT_SIMULATOR_SECRET là khóa minh họa công khai: ai cũng giả được thông báo "
              "thanh toán. / PAYMENT_SIMULATOR_SECRET is the published demo secret: anyone can "
              "forge a payment callback."),
            _("Bỏ PAYMENT_SIMULATOR_SECRET (hoặc đặt một khóa bí mật riêng). / Unset "
              "PAYMENT_SIMULATOR_SECRET (or set a secret of your own)."),
            5,
        ))
    errors.extend(_signing_errors())
    return errors


def _signing_errors() -> list[checks.Error]:
    # Leaders sign results (PAdES), so every installation needs its own key and certificate.
    configured = {
        "SIGNING_KEY_FILE": settings.SIGNING_KEY_FILE,
        "SIGNING_CERT_FILE": settings.SIGNING_CERT_FILE,
    }
    missing = [name for name, value in configured.items() if not value]
    if missing:
        return [_error(
            _("Chưa cấu hình khóa ký số (%(names)s): lãnh đạo không ký được kết quả. / No signing "
              "key is configured (%(names)s): leaders cannot sign results.")
            % {"names": ", ".join(missing)},
            _("Đặt SIGNING_KEY_FILE (khóa bí mật PEM) và SIGNING_CERT_FILE (chứng thư số của người "
              "ký và chuỗi chứng thư). / Set SIGNING_KEY_FILE (PEM private key) and "
              "SIGNING_CERT_FILE (the signer's certificate and its chain)."),
            6,
        )]
    key_file, cert_file = Path(settings.SIGNING_KEY_FILE), Path(settings.SIGNING_CERT_FILE)
    for path in (key_file, cert_file):
        if not path.is_file():
            return [_error(
                _("Không đọc được tệp ký số %(path)s. / Cannot read the signing file %(path)s.")
                % {"path": path},
                _("Kiểm tra SIGNING_KEY_FILE và SIGNING_CERT_FILE. / Check SIGNING_KEY_FILE and "
                  "SIGNING_CERT_FILE."),
                8,
            )]
    generated = Path(settings.VAR_DIR).resolve() / published.SIGNING_DIRNAME
    if generated in key_file.resolve().parents or generated in cert_file.resolve().parents \
            or _is_demo_certificate(cert_file):
        return [_error(
            _("Khóa ký số là khóa minh họa do bản demo tự sinh: chữ ký không có giá trị. / The "
              "signing key is the demo's generated key: its signatures are worthless."),
            _("Đặt SIGNING_KEY_FILE và SIGNING_CERT_FILE là khóa và chứng thư số do tổ chức cung "
              "cấp dịch vụ chứng thực chữ ký số cấp. / Point SIGNING_KEY_FILE and "
              "SIGNING_CERT_FILE at a key and a certificate issued by a certification authority."),
            7,
        )]
    return []


def _is_demo_certificate(cert_file: Path) -> bool:
    """Whether any certificate of the bundle carries the demo's names (the demo pair copied out of
    MOTCUA_VAR_DIR/signing is still the demo pair)."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    data = cert_file.read_bytes()
    try:
        certificates = x509.load_pem_x509_certificates(data) if b"-----BEGIN" in data else \
            [x509.load_der_x509_certificate(data)]
    except ValueError:
        return False  # unreadable: signing itself says so at the first signature
    demo_names = {
        published.SIGNING_ORGANIZATION, published.SIGNING_ROOT_CN, published.SIGNING_SIGNER_CN,
    }
    for certificate in certificates:
        for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
            names = certificate.subject.get_attributes_for_oid(oid)
            if any(attr.value in demo_names for attr in names):
                return True
    return False


@checks.register()
def check_plugins_exist(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """NOTIFY_SENDERS and PAYMENT_GATEWAY must name registered plugins (a demo plugin is
    registered only where the demo app is installed)."""
    from motcua.notify.registry import register as senders
    from motcua.payments.registry import register as gateways

    errors = []
    unknown = [code for code in settings.NOTIFY_SENDERS if code not in senders]
    if unknown:
        errors.append(_error(
            _("NOTIFY_SENDERS có dịch vụ gửi không tồn tại: %(codes)s. / NOTIFY_SENDERS names "
              "unknown senders: %(codes)s.") % {"codes": ", ".join(unknown)},
            _("Dịch vụ gửi hiện có: %(known)s (sms_demo, zalo_demo chỉ có trong bản minh họa, "
              "MOTCUA_DEMO=1). / Available senders: %(known)s (sms_demo, zalo_demo exist only in "
              "the demo, MOTCUA_DEMO=1).")
            % {"known": ", ".join(sender.code for sender in senders)},
            10,
        ))
    if settings.PAYMENT_GATEWAY and settings.PAYMENT_GATEWAY not in gateways:
        errors.append(_error(
            _("PAYMENT_GATEWAY là cổng thanh toán không tồn tại: %(code)s. / PAYMENT_GATEWAY names "
              "an unknown gateway: %(code)s.") % {"code": settings.PAYMENT_GATEWAY},
            _("Đặt PAYMENT_GATEWAY là một cổng đã cài (%(known)s), hoặc để trống (chỉ thu phí tại "
              "quầy; cổng mô phỏng chỉ có trong bản minh họa). / Set PAYMENT_GATEWAY to an "
              "installed gateway (%(known)s) or leave it empty (the simulator exists only in the "
              "demo).")
            % {"known": ", ".join(gateway.code for gateway in gateways) or "—"},
            11,
        ))
    return errors
