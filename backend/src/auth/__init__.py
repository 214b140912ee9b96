"""Who is calling: bearer-token (JWT) verification against a JWKS and/or an HS256 secret."""

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
    "SigningKeysUnavailableError",
    "TokenVerifier",
    "user_id_for",
]
