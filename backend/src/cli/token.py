"""Print a bearer token for local use, signed with the HS256 secret the API verifies with.

    python -m src.cli.token --email ada@example.com [--sub SUB] [--minutes 60]

Prints only the token, so that `TOKEN=$(make token EMAIL=...)` works. Without --sub the
subject is uuid5(NAMESPACE_URL, "mailto:" + email): the same email always gets the same
user, so a developer keeps their tasks from one token to the next.
"""

import argparse
import sys
import uuid
from datetime import UTC, datetime, timedelta

import jwt

from src.auth.tokens import MAX_EMAIL_CHARS
from src.core.settings import Settings


def subject_for_email(email: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"mailto:{email}"))


def mint(settings: Settings, email: str, sub: str | None, minutes: int) -> str:
    secret = settings.hs256_secret
    if secret is None:
        raise ValueError(
            "no HS256 secret: set JWT_SECRET (or BETTER_AUTH_SECRET); with only JWT_JWKS_URL "
            "configured, tokens come from your identity provider"
        )
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": sub or subject_for_email(email),
        "email": email,
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
    }
    if settings.jwt_issuer is not None:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience is not None:
        claims["aud"] = settings.jwt_audience
    return jwt.encode(claims, secret, algorithm="HS256")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m src.cli.token", description=__doc__)
    parser.add_argument("--email", default="", help="the user's email (required)")
    parser.add_argument("--sub", help="the subject; default: a UUID derived from the email")
    parser.add_argument("--minutes", type=int, default=60, help="lifetime (default: 60)")
    args = parser.parse_args(argv)
    email: str = args.email.strip()
    if "@" not in email or len(email) > MAX_EMAIL_CHARS:
        parser.error("--email is required, e.g. make token EMAIL=ada@example.com")
    if args.minutes < 1:
        parser.error("--minutes must be at least 1")
    try:
        token = mint(Settings(), email, args.sub, args.minutes)
    except ValueError as error:  # includes pydantic's ValidationError from Settings()
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
