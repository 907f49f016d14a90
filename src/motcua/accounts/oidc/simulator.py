"""A small OpenID provider on loopback, speaking the protocol our VNeID plugin speaks (every
integration has a local simulator, docs/architecture.md §14). Used by the tests; never mounted
in the site.

Serves discovery, /authorize (approves at once and redirects back with a code), /token (an RS256
ID token signed with a key generated at start, carrying the nonce of the authorize request; PKCE
S256 checked), /jwks and /userinfo. `tamper` makes it misbehave the way an attacker or a broken
provider would: "signature" (signed with another key under the same kid), "nonce", "audience",
"issuer", "expired", "userinfo_subject".

    op = OidcSimulator(client_id="motcua", client_secret="s3cret").start()
    op.user = {"sub": "0001", "name": "Nguyễn Văn An", ...}
    settings.OIDC_OP_TOKEN_ENDPOINT = op.url("/token")  # or op.django_settings()
    op.stop()
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OidcSimulator:
    def __init__(self, *, client_id: str = "motcua", client_secret: str = "simulator-secret",
                 host: str = "127.0.0.1"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.host = host
        self.key = _key()
        self.kid = secrets.token_hex(4)
        self.user: dict = {"sub": "simulated-0001", "name": "Nguyễn Văn Mô Phỏng"}
        self.tamper: str | None = None
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.requests: list[tuple[str, str]] = []
        self.last_authorize: dict = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> "OidcSimulator":
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                simulator._handle(self, "GET")

            def do_POST(self):
                simulator._handle(self, "POST")

        self._server = ThreadingHTTPServer((self.host, 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def issuer(self) -> str:
        return f"http://{self.host}:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.issuer + path

    def django_settings(self, *, discovery: bool = False) -> dict:
        """The settings that point our VNeID plugin at this simulator."""
        values = {
            "OIDC_ENABLED": True,
            "OIDC_PROVIDER": "vneid",
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_RP_SIGN_ALGO": "RS256",
        }
        if not discovery:
            values.update({
                "OIDC_OP_AUTHORIZATION_ENDPOINT": self.url("/authorize"),
                "OIDC_OP_TOKEN_ENDPOINT": self.url("/token"),
                "OIDC_OP_USER_ENDPOINT": self.url("/userinfo"),
                "OIDC_OP_JWKS_ENDPOINT": self.url("/jwks"),
            })
        return values

    # --- protocol -------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        self.requests.append((method, parts.path))
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if method == "POST":
            length = int(handler.headers.get("Content-Length") or 0)
            params.update({k: v[0] for k, v in parse_qs(handler.rfile.read(length).decode()).items()})
        route = {
            ("GET", "/.well-known/openid-configuration"): self._discovery,
            ("GET", "/authorize"): self._authorize,
            ("POST", "/token"): self._token,
            ("GET", "/jwks"): self._jwks,
            ("GET", "/userinfo"): self._userinfo,
        }.get((method, parts.path))
        if route is None:
            return self._send(handler, 404, {"error": "not_found"})
        route(handler, params)

    def _send(self, handler, status: int, body: dict | None = None, headers: dict | None = None) -> None:
        data = json.dumps(body or {}).encode()
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _discovery(self, handler, params) -> None:
        self._send(handler, 200, {
            "issuer": self.issuer,
            "authorization_endpoint": self.url("/authorize"),
            "token_endpoint": self.url("/token"),
            "userinfo_endpoint": self.url("/userinfo"),
            "jwks_uri": self.url("/jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        })

    def _authorize(self, handler, params) -> None:
        self.last_authorize = dict(params)
        if params.get("client_id") != self.client_id or params.get("response_type") != "code":
            return self._send(handler, 400, {"error": "invalid_request"})
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": params.get("redirect_uri", ""), "nonce": params.get("nonce"),
            "challenge": params.get("code_challenge"), "user": dict(self.user),
        }
        query = urlencode({"code": code, "state": params.get("state", "")})
        self._send(handler, 302, headers={"Location": f"{params.get('redirect_uri')}?{query}"})

    def _token(self, handler, params) -> None:
        grant = self.codes.pop(params.get("code", ""), None)  # a code is good once
        if (
            grant is None or params.get("grant_type") != "authorization_code"
            or params.get("client_id") != self.client_id or params.get("client_secret") != self.client_secret
            or params.get("redirect_uri") != grant["redirect_uri"]
        ):
            return self._send(handler, 400, {"error": "invalid_grant"})
        if grant["challenge"]:
            verifier = params.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if digest != grant["challenge"]:
                return self._send(handler, 400, {"error": "invalid_grant", "error_description": "PKCE"})
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = grant["user"]
        self._send(handler, 200, {
            "access_token": access_token, "token_type": "Bearer", "expires_in": 300,
            "id_token": self._id_token(grant),
        })

    def _id_token(self, grant: dict) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer, "sub": grant["user"]["sub"], "aud": self.client_id,
            "iat": now, "exp": now + 300, "nonce": grant["nonce"],
            **{k: v for k, v in grant["user"].items() if k != "sub"},
        }
        key = self.key
        if self.tamper == "signature":
            key = _key()  # same kid, another key: what a forger without our provider's key can do
        elif self.tamper == "nonce":
            claims["nonce"] = secrets.token_urlsafe(16)
        elif self.tamper == "audience":
            claims["aud"] = "another-client"
        elif self.tamper == "issuer":
            claims["iss"] = "https://elsewhere.example"
        elif self.tamper == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

    def _jwks(self, handler, params) -> None:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        self._send(handler, 200, {"keys": [jwk]})

    def _userinfo(self, handler, params) -> None:
        token = (handler.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        user = self.tokens.get(token)
        if user is None:
            return self._send(handler, 401, {"error": "invalid_token"})
        user = dict(user)
        if self.tamper == "userinfo_subject":
            user["sub"] = "someone-else"
        self._send(handler, 200, user)
