"""Who is calling: bearer tokens, JWTs verified against a JWKS and/or an HS256 secret, or
Better Auth session tokens resolved through Better Auth."""

from src.auth.better_auth import SessionResolver, SessionsUnavailableError, looks_like_jwt
from src.auth.tokens import (
    Claims,
    InvalidTokenError,
    SigningKeysUnavailableError,
    TokenVerifier,
    user_id_for,
)

__all__ = [
    "Claims",
    "InvalidTokenError",
    "SessionResolver",
    "SessionsUnavailableError",
    "SigningKeysUnavailableError",
    "TokenVerifier",
    "looks_like_jwt",
    "user_id_for",
]
