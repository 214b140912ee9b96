"""A real, local token issuer for tests: a JWKS over HTTP and the private keys behind it.

    with LocalIssuer() as issuer:
        verifier = TokenVerifier(auth_settings(jwt_jwks_url=issuer.jwks_url))
        token = issuer.mint(claims("user-1", iss=issuer.url, aud=issuer.url))
        verifier.verify(token)
        new_kid = issuer.rotate()          # publish a new Ed25519 key, sign with it from now on
        issuer.fetch_count                 # how many times the JWKS was fetched

It behaves like Better Auth's JWT plugin: Ed25519 (EdDSA) keys at `<url>/api/auth/jwks`.
It also publishes one ES256 and one RS256 key. The server runs on 127.0.0.1 (port 0) in a
background thread; `stop()`/`start()` (or `with issuer.down():`) take it down and bring it
back on the same port. `hs256_token()` and `unsigned_token()` make tokens without it.
"""

import base64
import functools
import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from src.core.settings import Settings
from tests.support.services import StartStop

JWKS_PATH = "/api/auth/jwks"
PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey


def auth_settings(**overrides: Any) -> Settings:
    """Settings with every auth field explicit, so neither `.env` nor the environment leaks in.

    Defaults: no JWKS, no secret (so the development placeholder is the HS256 secret), no
    issuer or audience, no leeway, JWKS cache 300 s, unknown-kid refetch at most every 0 s.
    """
    fields: dict[str, Any] = {
        "app_env": "test",
        "jwt_jwks_url": None,
        "jwt_secret": None,
        "jwt_issuer": None,
        "jwt_audience": None,
        "jwt_leeway_seconds": 0,
        "jwt_jwks_cache_seconds": 300,
        "jwt_jwks_min_refresh_seconds": 0,
        **overrides,
    }
    return Settings(_env_file=None, **fields)


def claims(
    subject: object = "user-1", *, lifetime_seconds: int = 900, **extra: Any
) -> dict[str, Any]:
    """sub, iat and exp (now + lifetime) plus `extra`; an `extra` of None drops that claim."""
    now = int(time.time())
    merged: dict[str, Any] = {"sub": subject, "iat": now, "exp": now + lifetime_seconds, **extra}
    return {name: value for name, value in merged.items() if value is not None}


def hs256_token(secret: str | bytes, **token_claims: Any) -> str:
    """An HS256 token with exactly these claims (combine with `claims()` for the usual ones)."""
    return jwt.encode(token_claims, secret, algorithm="HS256")


def unsigned_token(token_claims: Mapping[str, Any], alg: str = "none") -> str:
    """A token with an empty signature and any `alg` (e.g. "none"), crafted byte by byte."""

    def part(value: Mapping[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': alg, 'typ': 'JWT'})}.{part(token_claims)}."


@functools.cache
def _rsa_private_key() -> rsa.RSAPrivateKey:
    # Generating a 2048-bit key is slow; one per test run is enough.
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _new_private_key(alg: str) -> PrivateKey:
    if alg == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    if alg == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    if alg == "RS256":
        return _rsa_private_key()
    raise ValueError(f"LocalIssuer has no keys for {alg}")


def _public_jwk(public_key: PublicKey) -> dict[str, Any]:
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return OKPAlgorithm.to_jwk(public_key, as_dict=True)
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return ECAlgorithm.to_jwk(public_key, as_dict=True)
    return RSAAlgorithm.to_jwk(public_key, as_dict=True)


@dataclass(frozen=True)
class SigningKey:
    kid: str
    alg: str
    private_key: PrivateKey

    @property
    def public_key(self) -> PublicKey:
        return self.private_key.public_key()

    def public_jwk(self) -> dict[str, Any]:
        return {**_public_jwk(self.public_key), "kid": self.kid, "alg": self.alg, "use": "sig"}


class LocalIssuer(StartStop):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, SigningKey] = {}  # every key made, published or not
        self._published: list[str] = []  # kids in the JWKS
        self._current: dict[str, str] = {}  # alg -> kid that `mint` signs with
        self._serial = 0
        self._fetch_count = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        # When set, the JWKS endpoint answers with this (status, body) instead.
        self.response_override: tuple[int, bytes] | None = None
        # Seconds the JWKS endpoint waits before answering: widens race windows in tests.
        self.response_delay = 0.0
        for alg in ("EdDSA", "ES256", "RS256"):
            self.add_key(alg)

    # --- the HTTP server -------------------------------------------------------------------

    def start(self) -> None:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = issuer._respond(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        # A short poll interval makes stop(), and so each test's teardown, quick.
        serve = functools.partial(self._server.serve_forever, poll_interval=0.05)
        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Close the listening socket: fetches get "connection refused" until `start()`."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @contextmanager
    def down(self) -> Iterator[None]:
        """The server is unreachable inside the block and back (same URL) after it."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    def _respond(self, path: str) -> tuple[int, bytes]:
        if path != JWKS_PATH:
            return 404, b"{}"
        time.sleep(self.response_delay)
        with self._lock:
            self._fetch_count += 1
            if self.response_override is not None:
                return self.response_override
            keys = [self._keys[kid].public_jwk() for kid in self._published]
        return 200, json.dumps({"keys": keys}).encode()

    @property
    def url(self) -> str:
        """The issuer's base URL: what Better Auth puts in `iss` and `aud`."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def jwks_url(self) -> str:
        return self.url + JWKS_PATH

    @property
    def fetch_count(self) -> int:
        with self._lock:
            return self._fetch_count

    # --- keys and tokens -------------------------------------------------------------------

    def add_key(self, alg: str = "EdDSA") -> str:
        """Publish a new key for `alg`, make it the one `mint` signs with, return its kid."""
        with self._lock:
            self._serial += 1
            kid = f"{alg.lower()}-{self._serial}"
            self._keys[kid] = SigningKey(kid, alg, _new_private_key(alg))
            self._published.append(kid)
            self._current[alg] = kid
        return kid

    def remove_key(self, kid: str) -> None:
        """Stop publishing a key; `mint(kid=...)` can still sign with it."""
        with self._lock:
            self._published.remove(kid)

    def rotate(self, *, remove_old: bool = False) -> str:
        """Like an IdP rotating its Ed25519 key: publish and sign with a new one."""
        old = self.current_kid("EdDSA")
        new = self.add_key("EdDSA")
        if remove_old:
            self.remove_key(old)
        return new

    def current_kid(self, alg: str = "EdDSA") -> str:
        with self._lock:
            return self._current[alg]

    def key(self, kid: str) -> SigningKey:
        with self._lock:
            return self._keys[kid]

    @property
    def kids(self) -> list[str]:
        """The kids currently published."""
        with self._lock:
            return list(self._published)

    def mint(
        self,
        token_claims: Mapping[str, Any],
        *,
        kid: str | None = None,
        alg: str = "EdDSA",
        headers: Mapping[str, Any] | None = None,
    ) -> str:
        """A token with exactly `token_claims`, with `kid` (default: the current key) in its header.

        `headers` adds to or overrides the header; a value of None drops that parameter.

        It is signed with the key `kid` names when that is one of ours for `alg`, else with
        the current key for `alg`; so a made-up `kid`, or the kid of a key of another
        algorithm, yields a validly signed token that the verifier cannot match.
        """
        with self._lock:
            named = self._keys.get(kid) if kid is not None else None
            signer = named if named is not None and named.alg == alg else None
            signer = signer or self._keys[self._current[alg]]
        header = {"kid": kid if kid is not None else signer.kid, **(headers or {})}
        header = {name: value for name, value in header.items() if value is not None}
        return jwt.encode(dict(token_claims), signer.private_key, algorithm=alg, headers=header)
