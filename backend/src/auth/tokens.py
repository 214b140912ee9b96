"""Bearer-token verification: who is calling, according to a JWT we can check.

Two key sources, each with its algorithms pinned, so a token can never pick how it is checked:

- JWT_JWKS_URL: EdDSA, ES256 and RS256 tokens, verified with the published key whose `kid`
  matches and whose own algorithm equals the token's (Better Auth's JWT plugin: EdDSA).
- an HS256 secret (`Settings.hs256_secret`): HS256 tokens only.

Anything else is refused, in particular `alg: none` and HS256 when only a JWKS is configured
(an HS256 token "signed" with the public key must not find a key to be checked with).
"""

import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from jwt.exceptions import InvalidSubjectError

from src.auth.jwks import JwksCache, JwksUnavailableError
from src.core.settings import Settings
from src.models._common import check_text

ASYMMETRIC_ALGORITHMS = frozenset({"EdDSA", "ES256", "RS256"})
# Verified tokens are remembered for at most this long (and never past their `exp`): a
# frontend sends the same token on every request for its 15 minutes, and checking its
# signature and claims again each time was 6% of a request (docs/performance.md).
VERIFIED_CACHE_SECONDS = 60.0
VERIFIED_CACHE_SIZE = 4096
MAX_TOKEN_CHARS = 8192
MAX_EMAIL_CHARS = 255


class InvalidTokenError(Exception):
    """The token is not acceptable. `reason` is short and safe to show to the client."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SigningKeysUnavailableError(InvalidTokenError):
    """The issuer's keys could not be fetched: the token may be fine, we cannot tell."""

    def __init__(self) -> None:
        super().__init__("signing keys unavailable")


@dataclass(frozen=True)
class Claims:
    subject: str
    user_id: uuid.UUID
    email: str | None
    issuer: str | None


def user_id_for(subject: str, issuer: str | None) -> uuid.UUID:
    """The user id for a token's `sub` and `iss` claims. This mapping is a public contract.

    - A `sub` that parses as a UUID is the user id itself (in canonical form).
    - Any other `sub` (Better Auth's ids are not UUIDs) maps to
      `uuid.uuid5(uuid.NAMESPACE_URL, f"{issuer or ''}#{subject}")`: stable, so a user keeps
      their tasks across logins, and scoped by issuer, so equal ids from two identity
      providers are two different users.
    """
    try:
        return uuid.UUID(subject)
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"{issuer or ''}#{subject}")


# PyJWT's exceptions, most specific first (InvalidSignatureError is a DecodeError).
_REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "token expired"),
    (jwt.ImmatureSignatureError, "token not yet valid"),
    (jwt.InvalidSignatureError, "signature invalid"),
    (jwt.InvalidAlgorithmError, "algorithm not allowed"),
    (jwt.InvalidIssuerError, "issuer not accepted"),
    (jwt.InvalidAudienceError, "audience not accepted"),
    (jwt.InvalidIssuedAtError, "iat claim invalid"),
    (InvalidSubjectError, "sub claim invalid"),
    (jwt.DecodeError, "malformed token"),
)


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self._secret = settings.hs256_secret
        self._jwks = (
            JwksCache(
                settings.jwt_jwks_url,
                cache_seconds=settings.jwt_jwks_cache_seconds,
                min_refresh_seconds=settings.jwt_jwks_min_refresh_seconds,
            )
            if settings.jwt_jwks_url
            else None
        )
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._leeway = settings.jwt_leeway_seconds
        # token -> (claims, monotonic deadline). Per process and only ever a shortcut: a
        # token missing here is verified in full.
        self._verified: dict[str, tuple[Claims, float]] = {}

    @property
    def may_fetch_keys(self) -> bool:
        """True when verify() can block on the network (a JWKS is configured)."""
        return self._jwks is not None

    def remembered(self, token: str) -> Claims | None:
        """The claims of a token verified a moment ago and still valid; None otherwise."""
        entry = self._verified.get(token)
        if entry is None:
            return None
        if time.monotonic() < entry[1]:
            return entry[0]
        self._verified.pop(token, None)
        return None

    def verify(self, token: str) -> Claims:
        """The token's claims, once its signature and claims check out; else InvalidTokenError."""
        remembered = self.remembered(token)
        if remembered is not None:
            return remembered
        now = time.monotonic()
        claims, expires_at = self._verify(token)
        # Until exp (with the same leeway the check allows), converted to the monotonic clock.
        seconds_left = expires_at + self._leeway - time.time()
        if seconds_left > 0:
            if len(self._verified) >= VERIFIED_CACHE_SIZE:
                self._verified.clear()  # simpler than LRU; refilled by the next requests
            self._verified[token] = (claims, now + min(seconds_left, VERIFIED_CACHE_SECONDS))
        return claims

    def _verify(self, token: str) -> tuple[Claims, float]:
        if len(token) > MAX_TOKEN_CHARS:
            raise InvalidTokenError("token too large")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidTokenError("malformed token") from None
        key, algorithms = self._key_for(header)
        payload = self._decode(token, key, algorithms)
        return _claims_from(payload), float(payload["exp"])

    def _key_for(self, header: dict[str, Any]) -> tuple[jwt.PyJWK | str, list[str]]:
        alg = header.get("alg")
        if alg == "HS256" and self._secret is not None:
            return self._secret, ["HS256"]
        if alg in ASYMMETRIC_ALGORITHMS and self._jwks is not None:
            kid = header.get("kid")
            if not isinstance(kid, str) or not kid:
                raise InvalidTokenError("key id (kid) missing")
            try:
                key = self._jwks.get(kid)
            except JwksUnavailableError:
                raise SigningKeysUnavailableError from None
            if key is None:
                raise InvalidTokenError("unknown signing key")
            # PyJWT also checks this for a PyJWK; checked here for a clearer reason.
            if key.algorithm_name != alg:
                raise InvalidTokenError("algorithm does not match the signing key")
            return key, [key.algorithm_name]  # pinned by the key, not by the token
        raise InvalidTokenError("algorithm not allowed")

    def _decode(self, token: str, key: jwt.PyJWK | str, algorithms: list[str]) -> dict[str, Any]:
        required = ["exp", "sub"]
        required += ["iss"] if self._issuer is not None else []
        required += ["aud"] if self._audience is not None else []
        try:
            return jwt.decode(
                token,
                key,
                algorithms=algorithms,
                issuer=self._issuer,
                audience=self._audience,
                leeway=self._leeway,
                # Without a configured audience PyJWT would refuse any token carrying `aud`
                # (Better Auth always sets it); the claim is then simply not ours to check.
                options={"require": required, "verify_aud": self._audience is not None},
            )
        except jwt.MissingRequiredClaimError as error:
            raise InvalidTokenError(f"{error.claim} claim missing") from None
        except jwt.PyJWTError as error:
            reason = next((r for t, r in _REASONS if isinstance(error, t)), "invalid token")
            raise InvalidTokenError(reason) from None


def _claims_from(payload: dict[str, Any]) -> Claims:
    issuer = payload.get("iss")
    if issuer is not None and not isinstance(issuer, str):
        raise InvalidTokenError("iss claim invalid")
    return claims_for(payload["sub"], payload.get("email"), issuer)  # sub: required, a str


def claims_for(subject: str, email: object, issuer: str | None) -> Claims:
    """Claims for a subject and email, whatever kind of token named them (a JWT's `sub` and
    `email`; a Better Auth session's user `id` and `email`), with the user id `user_id_for`."""
    if not subject:
        raise InvalidTokenError("sub claim missing")
    if email is not None and not (
        isinstance(email, str)
        and "@" in email
        and len(email) <= MAX_EMAIL_CHARS
        and _storable(email)
    ):
        raise InvalidTokenError("email claim invalid")
    return Claims(subject=subject, user_id=user_id_for(subject, issuer), email=email, issuer=issuer)


def _storable(text: str) -> bool:
    """PostgreSQL text holds no NUL and no lone surrogate; such an email is refused up front."""
    try:
        check_text(text)
    except ValueError:
        return False
    return True
