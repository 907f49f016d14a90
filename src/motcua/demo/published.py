"""Values the demo publishes: written in this repository, hence known to anyone.

The demo uses them so that `./dev demo` runs with no configuration. Settings, the stand-alone
payment simulator and `motcua.web.checks` read them whether or not the demo app is installed:
the checks refuse to run with DEBUG off while any of them is in use, because a secret everybody
can read protects nothing (a forged payment callback, a forged session, a forged signature).
"""

# Django's SECRET_KEY when none is set and DEBUG or the demo is on.
DEV_SECRET_KEY = "insecure-motcua-dev-key-change-me"

# The HMAC secret shared by our simulator gateway and the simulator server.
PAYMENT_SIMULATOR_SECRET = "motcua-simulator-demo-secret"
SIMULATOR_GATEWAY = "simulator"

# Senders that keep messages in the database instead of reaching the citizen.
DEMO_SENDERS = ("sms_demo", "zalo_demo")

# Throwaway signing keys, generated under MOTCUA_VAR_DIR/<SIGNING_DIRNAME> and named so that
# nobody mistakes a paper signed with them for a real one.
SIGNING_DIRNAME = "signing"
SIGNING_ORGANIZATION = "MộtCửa (dữ liệu minh họa)"
SIGNING_ROOT_CN = "MộtCửa DEMO Root CA — không dùng thật"
SIGNING_SIGNER_CN = "MộtCửa DEMO — không dùng thật"
