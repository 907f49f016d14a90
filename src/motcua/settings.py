"""MộtCửa settings: one module, every setting read from an environment variable.

Every variable is documented in README.md (section "Biến môi trường / Environment variables").
The defaults give the zero-setup embedded mode: SQLite in ./var, DEBUG on only when asked.
"""

import os
from pathlib import Path

import dj_database_url
from csp import constants as csp_constants

from motcua.demo import published as demo_published

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DEBUG", False)
# The demonstration (motcua.demo): demo catalogue, agencies and accounts with printed passwords,
# SMS/Zalo stand-ins, the payment simulator, generated signing keys. Off unless asked for;
# motcua.web.checks refuses to start with it while DEBUG is off.
MOTCUA_DEMO = env_bool("MOTCUA_DEMO", False)
# A real installation: no debug mode, no demo. Its security defaults are the strict ones.
production = not DEBUG and not MOTCUA_DEMO
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    # Only development and the demo may run with the published key (refused with DEBUG off by
    # motcua.web.checks); production must set SECRET_KEY.
    demo_published.DEV_SECRET_KEY if DEBUG or MOTCUA_DEMO else ""
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off (see README).")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

# HTTPS. Defaults are strict in production and off in development and the demo (served over
# plain HTTP on the loopback). Behind a TLS-terminating proxy, gunicorn's --forwarded-allow-ips
# lets X-Forwarded-Proto mark requests secure.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", production)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", production)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", production)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if production else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", production)
# Preloading is a commitment of the whole registrable domain (hstspreload.org), not ours to make.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# --- Content Security Policy (django-csp; docs/architecture.md §13) --------------------------
# Every page takes its scripts, styles and images from this site only: no inline script or
# style, no eval, no plugins, no framing. Templates keep it so (tests/web/test_csp.py scans
# them; tests/browser/test_csp.py walks the journeys). The payment gateway's origin is added to
# form-action per request by motcua.web.csp, where the gateway is known.
# Local names only: django-csp refuses to start (csp.E001) if a setting is named CSP_*.
csp_directives = {
    "default-src": [csp_constants.SELF],
    "script-src": [csp_constants.SELF],
    "style-src": [csp_constants.SELF],
    "img-src": [csp_constants.SELF],
    "object-src": [csp_constants.NONE],
    "base-uri": [csp_constants.SELF],
    "frame-ancestors": [csp_constants.NONE],
    "form-action": [csp_constants.SELF],
}
# Where browsers send violation reports: this site's own endpoint (/csp-bao-cao/, logged by
# motcua.web.csp.report) or a collector's URL. Empty: no reports.
csp_report_uri = os.environ.get("CSP_REPORT_URI", "")
if csp_report_uri:
    csp_directives["report-uri"] = [csp_report_uri]
# Report-only: browsers report violations without blocking, to deploy a stricter policy safely.
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp_directives}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "motcua.web.tasks_app.TasksDatabaseConfig",  # django_tasks_db, named in Vietnamese
    # Staff second factor (accounts/two_factor.py): authenticator apps and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Login protection (accounts/lockout.py; settings in "Login protection" below).
    "axes",
    "motcua.accounts",
    "motcua.agencies",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.documents",
    "motcua.desk",
    "motcua.portal",
    "motcua.payments",
    "motcua.notify",
    "motcua.outbox",
    "motcua.interop",
    "motcua.ratings",
    "motcua.reports",
    "motcua.web",
    "motcua.privacy",
    "motcua.api",
]
if MOTCUA_DEMO:
    # After notify and payments: its ready() registers plugins in their registries.
    INSTALLED_APPS.append("motcua.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header (settings above) with the payment gateway's origin.
    "motcua.web.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff second factor: django-otp marks the verified session, ours sends an unverified
    # officer from any staff page or the admin to the verify page (accounts/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "motcua.accounts.two_factor.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL character in a query or form value: 400 before any view (web/params.py).
    "motcua.web.params.NulGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A refusal (MotcuaError) no view caught is shown as a page with its message, never a 500.
    "motcua.errors.RefusalMiddleware",
    # Login protection: answers a locked login with the login page and 429 (accounts/lockout.py).
    "axes.middleware.AxesMiddleware",
    # The client address and page of each read, for the personal-data access log (privacy/).
    "motcua.privacy.context.AccessContextMiddleware",
]

ROOT_URLCONF = "motcua.urls"
# A refused CSRF token: a page that says what happened and what to do (web/errors.py).
CSRF_FAILURE_VIEW = "motcua.web.errors.csrf_failure"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ] + (["motcua.demo.context_processors.demo"] if MOTCUA_DEMO else []),
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# PostgreSQL in production and CI; SQLite is the zero-setup embedded default.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler costs 50–180 ms per statement on our inbox and dashboard queries
    # (their estimated cost passes jit_above_cost) and saves nothing on queries this short:
    # measured in bench/inbox_bench.py and bench/dashboard_bench.py (see the session notes).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The task worker and the web server share the file: WAL lets readers run beside the
    # writer, IMMEDIATE takes the write lock at BEGIN so two writers queue instead of
    # failing with "database is locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked client before any password is checked (login protection below).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Citizens log in with their phone number or e-mail address.
    "motcua.accounts.backends.CitizenBackend",
]

# --- Login protection (django-axes; accounts/lockout.py, docs/architecture.md §13) ------------------
# Failed password logins (admin, staff desk, citizen) lock per account from any address AND per
# address over any account, each alone. Counted by axes' database handler: the AccessAttempt table
# is shared by every web process and machine (a per-process cache would give each its own count).
LOGIN_THROTTLE_ATTEMPTS = env_int("LOGIN_THROTTLE_ATTEMPTS", 5)
LOGIN_THROTTLE_SECONDS = env_int("LOGIN_THROTTLE_SECONDS", 900)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Read through callables so LOGIN_THROTTLE_* stay the one source (and tests can change them).
AXES_FAILURE_LIMIT = "motcua.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "motcua.accounts.lockout.cool_off"
# One key per account: a citizen's phone in any spelling, e-mail or username is the same account.
AXES_USERNAME_CALLABLE = "motcua.accounts.lockout.login_key"
# REMOTE_ADDR only: X-Forwarded-For is the client's to forge unless a trusted proxy sets it.
AXES_CLIENT_IP_CALLABLE = "motcua.accounts.lockout.client_address"
# The login page itself, in Vietnamese, with 429 — never axes' English default.
AXES_LOCKOUT_CALLABLE = "motcua.accounts.lockout.lockout_response"
# Attempts during a lock are not counted, so the lock ends LOGIN_THROTTLE_SECONDS after the last
# counted failure, as the message says, however often the right password is tried meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success forgets that account's failures only (accounts/apps.py), never the address's.
AXES_RESET_ON_SUCCESS = False
# Only failures are stored, and only until their cool-off ends: no log of every login's address.
AXES_DISABLE_ACCESS_LOG = True
# The attempts admin is accounts' own, in Vietnamese (accounts/admin.py).
AXES_ENABLE_ADMIN = False
# Masked in axes' logs and in the stored form data (the citizen's identifier is a phone/e-mail).
# No startup banner on stderr (it would be the only line `check --deploy` prints).
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "identifier", "csrfmiddlewaretoken"]
# --- end of login protection ------------------------------------------------------------------------
CITIZEN_PAPERS_MAX = env_int("CITIZEN_PAPERS_MAX", 200)
# Modules of further identity providers (a province's own), imported so they register.
OIDC_PROVIDER_MODULES = env_list("OIDC_PROVIDER_MODULES", "")
# OpenID Connect login (VNeID-ready plugin, accounts/oidc/). Off unless configured.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_PROVIDER = os.environ.get("OIDC_PROVIDER", "vneid")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")  # if set, empty endpoints come from discovery
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_ID_NUMBER_CLAIMS = env_list(
    "OIDC_ID_NUMBER_CLAIMS", "personal_identification_number,identification_number,pin,citizen_id"
)
CITIZEN_LOGIN_URL = os.environ.get("CITIZEN_LOGIN_URL", "/tai-khoan/dang-nhap/")
# Public lookup rate limits (code + phone or ID number; docs/architecture.md §13).
LOOKUP_RATE_IP_ATTEMPTS = env_int("LOOKUP_RATE_IP_ATTEMPTS", 10)  # every lookup counts, per address
LOOKUP_RATE_CODE_ATTEMPTS = env_int("LOOKUP_RATE_CODE_ATTEMPTS", 5)  # failures per code, from any address
LOOKUP_RATE_WINDOW_SECONDS = env_int("LOOKUP_RATE_WINDOW_SECONDS", 600)
LOOKUP_RATE_CACHE = os.environ.get("LOOKUP_RATE_CACHE", "default")
PORTAL_MAX_OPEN_DRAFTS = env_int("PORTAL_MAX_OPEN_DRAFTS", 20)

# --- Personal-data access log (privacy/, docs/architecture.md §13) ---
# Days an access record is kept before `purge_access_log` (run daily by run_scheduler) deletes it.
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 1825)
# --- end of the access log block ---
LOGIN_URL = "desk:login"

# --- Staff second factor (security issue #16; accounts/two_factor.py) ----------------------------
# Membership role codes that must pass a second factor (authenticator app or recovery code) on
# every staff page and the admin; empty = off for everybody. While it is not empty, superusers
# and is_staff (admin) users must always pass it, whatever their roles.
STAFF_2FA_ROLES = env_list("STAFF_2FA_ROLES", "receiver,specialist,leader,manager,admin,dpo")
# The name the authenticator app shows next to the account.
OTP_TOTP_ISSUER = os.environ.get("STAFF_2FA_ISSUER", "MộtCửa")
# django-otp's throttling after a wrong code: 1, 2, 4, 8… seconds (factor 1; 0 would switch it off).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
LOGIN_REDIRECT_URL = "desk:home"

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
# The second holds Vietnamese for third-party apps without one (the admin's background tasks);
# makemessages writes only to the first.
LOCALE_PATHS = [BASE_DIR / "src" / "motcua" / "locale", BASE_DIR / "src" / "motcua" / "vendor_locale"]
USE_I18N = True
# Fixed, not configurable: every deadline in Vietnam is counted on Vietnamese local time.
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
# Uploaded papers are private: they are served only through views that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# --- Background work ------------------------------------------------------------------------
# Database backend: a task enqueued inside the transaction commits or rolls back with it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Domain settings ------------------------------------------------------------------------
# GSO code of the installation's province (vietnam-provinces code); default 40 = Nghệ An (the demo).
PROVINCE_GSO_CODE = env_int("PROVINCE_GSO_CODE", 40)
# Dossier code template (docs/architecture.md §11). Fields: unit (agency identifier), date, seq.
# Default: the legacy national shape of TT 01/2018/TT-VPCP, e.g. 000.00.00.H61-251116-0037.
DOSSIER_CODE_TEMPLATE = os.environ.get("DOSSIER_CODE_TEMPLATE", "{unit}-{date:%y%m%d}-{seq:04d}")
# Working hours left at which an open dossier counts as "due soon" (docs/architecture.md §10).
DUE_SOON_HOURS = env_int("DUE_SOON_HOURS", 8)
# Memory PostgreSQL may use per sort/hash in a statistics query (SET LOCAL, that transaction
# only): month-by-month groupings are estimated badly and spill to disk at the 4 MB default.
REPORTS_WORK_MEM_MB = env_int("REPORTS_WORK_MEM_MB", 64)
# Working hours within which an online dossier must be accepted or refused.
RECEPTION_GUARD_HOURS = env_int("RECEPTION_GUARD_HOURS", 8)
# A supplement should be asked within this many working days of reception (NĐ 61/2018 art. 19.4).
SUPPLEMENT_REQUEST_DAYS = env_int("SUPPLEMENT_REQUEST_DAYS", 3)
# Largest uploaded paper, in megabytes.
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 20)

# E-mail to citizens. Without EMAIL_HOST, mail is printed on the console (demo).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "MộtCửa <khong-tra-loi@motcua.local>")

# Signing of results (PAdES, pyHanko). Without a configured key signing refuses; only the demo
# app generates a throwaway pair under MOTCUA_VAR_DIR/signing.
SIGNING_KEY_FILE = os.environ.get("SIGNING_KEY_FILE", "")
SIGNING_CERT_FILE = os.environ.get("SIGNING_CERT_FILE", "")
SIGNING_KEY_PASSPHRASE = os.environ.get("SIGNING_KEY_PASSPHRASE", "")
# Public base URL printed in QR codes on issued papers (verification link).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# --- Payments, citizen notices, ratings (docs/architecture.md §12, §14) ---
# Empty outside the demo: no online payment (fees at the counter) until a gateway is configured.
PAYMENT_GATEWAY = os.environ.get("PAYMENT_GATEWAY", demo_published.SIMULATOR_GATEWAY if MOTCUA_DEMO else "")
PAYMENT_SIMULATOR_URL = os.environ.get("PAYMENT_SIMULATOR_URL", "http://127.0.0.1:8790")
# The demo's published secret in the demo, so the simulator works with no configuration.
PAYMENT_SIMULATOR_SECRET = os.environ.get(
    "PAYMENT_SIMULATOR_SECRET", demo_published.PAYMENT_SIMULATOR_SECRET if MOTCUA_DEMO else ""
)
# --- Outbox (docs/architecture.md §14): everything that leaves, delivered by lease -------------
# Seconds a relay holds a message it is delivering; a relay that died is replaced after this.
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 60)
# First retry delay; doubles each failed attempt (with jitter) up to OUTBOX_RETRY_MAX_SECONDS.
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 10)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 600)
# Failed attempts after which a message shows as "needs attention" (it is still retried).
OUTBOX_ATTENTION_AFTER = env_int("OUTBOX_ATTENTION_AFTER", 8)
# --- Interoperability (docs/architecture.md §14): connectors to the national portal and others --
# Connector codes whose outbound sync is on (empty: none). The demo turns on "dvcqg" against the
# simulator it starts on loopback.
INTEROP_CONNECTORS = env_list("INTEROP_CONNECTORS", "dvcqg" if MOTCUA_DEMO else "")
DVCQG_URL = os.environ.get("DVCQG_URL", "http://127.0.0.1:8791" if MOTCUA_DEMO else "")
DVCQG_USERNAME = os.environ.get("DVCQG_USERNAME", "motcua-demo" if MOTCUA_DEMO else "")
DVCQG_PASSWORD = os.environ.get("DVCQG_PASSWORD", "demo" if MOTCUA_DEMO else "")
# The province's unit code on the national portal (MaDonVi of the sending system).
DVCQG_UNIT_CODE = os.environ.get("DVCQG_UNIT_CODE", "000.00.00.H40" if MOTCUA_DEMO else "")
DVCQG_TIMEOUT_SECONDS = env_int("DVCQG_TIMEOUT_SECONDS", 20)
# Path of the portal's feed of dossiers filed there, under DVCQG_URL (manage.py pull_inbound).
DVCQG_FEED_PATH = os.environ.get("DVCQG_FEED_PATH", "/feed")
# The province's protocol profile (service names, envelope, answer codes, field names, constant
# extras): a JSON file; empty = the one shipped in interop/contrib/dvcqg/profile.json.
DVCQG_PROFILE = os.environ.get("DVCQG_PROFILE", "")
# Sender plugin codes. The demo adds its SMS stand-in ("zalo_demo" also available there).
NOTIFY_SENDERS = env_list("NOTIFY_SENDERS", "email,sms_demo" if MOTCUA_DEMO else "email")
# Two concatenated GSM-7 segments (2 × 153 characters): longer texts cost more and some
# operators cut them.
NOTIFY_SMS_MAX_CHARS = env_int("NOTIFY_SMS_MAX_CHARS", 306)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# A tablet takes at most this many ratings in the window: a queue of citizens rates well below
# it, a child drumming on the buttons does not skew the counter's figures.
RATING_KIOSK_LIMIT = env_int("RATING_KIOSK_LIMIT", 6)
RATING_KIOSK_WINDOW_SECONDS = env_int("RATING_KIOSK_WINDOW_SECONDS", 60)
# Ratings are confidential (NĐ 224/2026/NĐ-CP): an aggregate of fewer ratings than this is not shown
# ("1 lượt, 100 % hài lòng" tells an officer how the one citizen he served rated him).
RATING_MIN_COUNT = env_int("RATING_MIN_COUNT", 5)

# --- REST API /api/v1/ (motcua/api, docs/architecture.md §17) ---
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # API clients' tokens first (never CSRF-checked: no browser sends them on its own), then
    # officers with their session (CSRF as on the pages).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "motcua.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # API_CLIENT_RATE per client (api/auth.py), counted in the default cache.
    "DEFAULT_THROTTLE_CLASSES": ["motcua.api.auth.ApiClientThrottle"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "motcua.api.permissions.OperationScope",
        # A session must have passed the staff second factor where it is required (as the pages).
        "motcua.api.permissions.SecondFactor",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        # DRF's, with deeply nested JSON answered 400 instead of a RecursionError (api/parsers.py).
        "motcua.api.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "EXCEPTION_HANDLER": "motcua.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# --- API clients, their tokens and the schema (api/clients.py, api/auth.py) ---
# Requests per client and period (s, min, hour, day). Counted in the default cache: per process
# with the local-memory cache, shared by every web process once CACHES points at Redis.
API_CLIENT_RATE = os.environ.get("API_CLIENT_RATE", "1200/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "MộtCửa API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Giao diện lập trình của hệ thống MộtCửa cho Cổng Dịch vụ công quốc gia, nền tảng tích hợp "
        "của tỉnh và các hệ thống chuyên ngành. Xác thực bằng mã truy cập (Authorization: Bearer "
        "<mã>) do quản trị viên cấp; mỗi mã chỉ được gọi các thao tác được cấp và chỉ thấy hồ sơ "
        "của các cơ quan mà tài khoản máy được phân công. Mọi lỗi là tài liệu problem+json "
        "(RFC 9457) với lý do bằng tiếng Việt."
    ),
    "COMPONENT_SPLIT_REQUEST": True,
    # The dossier's channels, and the channels a desk may receive through (counter, post, mobile).
    "ENUM_NAME_OVERRIDES": {
        "DossierChannelEnum": "motcua.dossiers.models.Channel",
        "ReceptionChannelEnum": ["counter", "post", "mobile"],
    },
    # Swagger UI and Redoc from our own static files (the CSP allows 'self' only).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# --- end of API clients ---

# --- REST API writes: idempotent requests (api/idempotency.py) ---
# How long an Idempotency-Key and its first answer are kept (a retry after that is a new request).
API_IDEMPOTENCY_DAYS = env_int("API_IDEMPOTENCY_DAYS", 7)
# --- end of the API writes block ---

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # fontTools logs every table it prunes when the signing stamp's font is subset.
    "loggers": {"fontTools": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# SQLite cannot enforce "nulls not distinct" unique constraints; PostgreSQL (production) does.
# security.W021 (SECURE_HSTS_PRELOAD off): preloading commits the whole registrable domain, the
# domain owner's decision, not a fault of the installation; `check --deploy` stays silent.
SILENCED_SYSTEM_CHECKS = ["models.W047", "security.W021"]
