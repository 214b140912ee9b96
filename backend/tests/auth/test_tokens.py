"""TokenVerifier's rules: pinned algorithms per key source, required and optional claims."""

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from src.auth import Claims, InvalidTokenError, TokenVerifier, user_id_for
from tests.support.jwt_issuer import (
    LocalIssuer,
    auth_settings,
    claims,
    hs256_token,
    unsigned_token,
)

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
OTHER_SECRET = "another-secret-that-is-long-enough-for-hs256"


@pytest.fixture
def issuer() -> Iterator[LocalIssuer]:
    with LocalIssuer() as issuer:
        yield issuer


def hs256_verifier(**overrides: Any) -> TokenVerifier:
    return TokenVerifier(auth_settings(jwt_secret=SECRET, **overrides))


def refused(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(InvalidTokenError) as caught:
        verifier.verify(token)
    return caught.value.reason


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hmac_token(key: bytes, token_claims: dict[str, Any], header: dict[str, Any]) -> str:
    """HS256 by hand: PyJWT refuses to use a PEM public key as an HMAC secret."""
    signing_input = (
        f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(token_claims).encode())}"
    )
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


# --- user ids ------------------------------------------------------------------------------


def test_uuid_subject_is_the_user_id_in_canonical_form() -> None:
    user_id = uuid.uuid4()
    assert user_id_for(str(user_id).upper(), "https://idp.example") == user_id
    assert user_id_for(str(user_id), None) == user_id


def test_other_subjects_map_to_uuid5_of_issuer_and_subject() -> None:
    expected = uuid.uuid5(uuid.NAMESPACE_URL, "https://idp.example#Xy7pQ2")
    assert user_id_for("Xy7pQ2", "https://idp.example") == expected
    assert user_id_for("Xy7pQ2", "https://idp.example") == expected  # deterministic
    assert user_id_for("Xy7pQ2", "https://other.example") != expected  # issuer-scoped
    assert user_id_for("Xy7pQ2", None) == uuid.uuid5(uuid.NAMESPACE_URL, "#Xy7pQ2")


# --- HS256 ---------------------------------------------------------------------------------


def test_hs256_token_gives_claims() -> None:
    user_id = uuid.uuid4()
    token = hs256_token(SECRET, **claims(str(user_id), email="ada@example.com"))
    assert hs256_verifier().verify(token) == Claims(
        subject=str(user_id), user_id=user_id, email="ada@example.com", issuer=None
    )


def test_non_uuid_subject_is_mapped_with_the_token_issuer() -> None:
    token = hs256_token(SECRET, **claims("Xy7pQ2", iss="https://idp.example"))
    result = hs256_verifier().verify(token)
    assert result.subject == "Xy7pQ2"
    assert result.issuer == "https://idp.example"
    assert result.user_id == user_id_for("Xy7pQ2", "https://idp.example")
    assert result.email is None


def test_without_any_configuration_the_development_placeholder_secret_is_used() -> None:
    verifier = TokenVerifier(auth_settings())
    placeholder = auth_settings().hs256_secret
    assert placeholder is not None
    assert verifier.verify(hs256_token(placeholder, **claims())).subject == "user-1"


def test_wrong_secret_is_refused() -> None:
    assert refused(hs256_verifier(), hs256_token(OTHER_SECRET, **claims())) == "signature invalid"


def test_expired_token_is_refused() -> None:
    token = hs256_token(SECRET, **claims(lifetime_seconds=-60))
    assert refused(hs256_verifier(jwt_leeway_seconds=30), token) == "token expired"


def test_token_expired_within_leeway_is_accepted() -> None:
    token = hs256_token(SECRET, **claims(lifetime_seconds=-10))
    assert hs256_verifier(jwt_leeway_seconds=30).verify(token).subject == "user-1"


@pytest.mark.parametrize("claim", ["nbf", "iat"])
def test_token_from_the_future_is_refused_beyond_leeway(claim: str) -> None:
    token = hs256_token(SECRET, **(claims() | {claim: int(time.time()) + 120}))
    assert refused(hs256_verifier(jwt_leeway_seconds=30), token) == "token not yet valid"


@pytest.mark.parametrize("claim", ["nbf", "iat"])
def test_token_from_the_future_is_accepted_within_leeway(claim: str) -> None:
    token = hs256_token(SECRET, **(claims() | {claim: int(time.time()) + 10}))
    assert hs256_verifier(jwt_leeway_seconds=30).verify(token).subject == "user-1"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"exp": None}, "exp claim missing"),
        ({"subject": None}, "sub claim missing"),
        ({"subject": ""}, "sub claim missing"),
        ({"subject": 42}, "sub claim invalid"),
        ({"exp": "soon"}, "malformed token"),
        ({"iat": "today"}, "iat claim invalid"),
    ],
)
def test_required_and_typed_claims(overrides: dict[str, Any], reason: str) -> None:
    token = hs256_token(SECRET, **claims(**overrides))
    assert refused(hs256_verifier(), token) == reason


def test_non_string_issuer_is_refused() -> None:
    # PyJWT will not encode a non-string iss, so sign it by hand.
    token = hmac_token(SECRET.encode(), claims(iss=7), {"alg": "HS256", "typ": "JWT"})
    assert refused(hs256_verifier(), token) == "iss claim invalid"


@pytest.mark.parametrize("email", ["ada@example.com", None])
def test_email_is_optional(email: str | None) -> None:
    token = hs256_token(SECRET, **claims(email=email))
    assert hs256_verifier().verify(token).email == email


@pytest.mark.parametrize(
    "email", ["", "ada.example.com", 42, ["ada@example.com"], "a@" + "b" * 254]
)
def test_invalid_email_is_refused(email: object) -> None:
    token = hs256_token(SECRET, **claims(email=email))
    assert refused(hs256_verifier(), token) == "email claim invalid"


# --- algorithms ----------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "HS256"])
def test_unsigned_tokens_are_refused(alg: str) -> None:
    token = unsigned_token(claims(), alg=alg)
    reason = refused(hs256_verifier(), token)
    assert reason in {"algorithm not allowed", "signature invalid"}


def test_hs384_is_refused_even_with_the_right_secret() -> None:
    token = hmac_token(SECRET.encode(), claims(), {"alg": "HS384", "typ": "JWT"})
    assert refused(hs256_verifier(), token) == "algorithm not allowed"


def test_asymmetric_token_is_refused_without_a_jwks(issuer: LocalIssuer) -> None:
    assert refused(hs256_verifier(), issuer.mint(claims())) == "algorithm not allowed"


@pytest.mark.parametrize("alg", ["EdDSA", "ES256", "RS256"])
def test_jwks_tokens_verify(issuer: LocalIssuer, alg: str) -> None:
    verifier = TokenVerifier(auth_settings(jwt_jwks_url=issuer.jwks_url))
    token = issuer.mint(claims("Xy7pQ2", iss=issuer.url, aud=issuer.url), alg=alg)
    result = verifier.verify(token)
    assert result.user_id == user_id_for("Xy7pQ2", issuer.url)


def public_key_encodings(issuer: LocalIssuer, kid: str) -> list[bytes]:
    public_key = issuer.key(kid).public_key
    pem = public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    return [pem, json.dumps(issuer.key(kid).public_jwk()).encode()]


@pytest.mark.parametrize("alg", ["EdDSA", "RS256"])
def test_hs256_signed_with_the_public_key_is_refused_when_only_jwks(
    issuer: LocalIssuer, alg: str
) -> None:
    verifier = TokenVerifier(auth_settings(jwt_jwks_url=issuer.jwks_url))
    kid = issuer.current_kid(alg)
    for key in public_key_encodings(issuer, kid):
        token = hmac_token(key, claims(), {"alg": "HS256", "typ": "JWT", "kid": kid})
        assert refused(verifier, token) == "algorithm not allowed"
    assert refused(verifier, hs256_token(SECRET, **claims())) == "algorithm not allowed"


def test_with_both_sources_hs256_verifies_with_the_secret_only(issuer: LocalIssuer) -> None:
    verifier = hs256_verifier(jwt_jwks_url=issuer.jwks_url)
    assert verifier.verify(hs256_token(SECRET, **claims())).subject == "user-1"
    assert verifier.verify(issuer.mint(claims("user-2"))).subject == "user-2"
    kid = issuer.current_kid()
    for key in public_key_encodings(issuer, kid):
        token = hmac_token(key, claims(), {"alg": "HS256", "typ": "JWT", "kid": kid})
        assert refused(verifier, token) == "signature invalid"


def test_header_alg_must_match_the_keys_algorithm(issuer: LocalIssuer) -> None:
    verifier = TokenVerifier(auth_settings(jwt_jwks_url=issuer.jwks_url))
    token = issuer.mint(claims(), kid=issuer.current_kid("EdDSA"), alg="ES256")
    assert refused(verifier, token) == "algorithm does not match the signing key"


def test_signature_by_another_key_of_the_same_algorithm_is_refused(issuer: LocalIssuer) -> None:
    verifier = TokenVerifier(auth_settings(jwt_jwks_url=issuer.jwks_url))
    old = issuer.current_kid()
    issuer.rotate()
    # Signed with the new key, but names the old one.
    token = issuer.mint(claims(), alg="EdDSA", headers={"kid": old})
    assert refused(verifier, token) == "signature invalid"


def test_token_without_kid_is_refused(issuer: LocalIssuer) -> None:
    verifier = TokenVerifier(auth_settings(jwt_jwks_url=issuer.jwks_url))
    token = issuer.mint(claims(), headers={"kid": None})
    assert refused(verifier, token) == "key id (kid) missing"


# --- issuer and audience -------------------------------------------------------------------


def test_issuer_and_audience_are_enforced_when_configured() -> None:
    verifier = hs256_verifier(jwt_issuer="https://idp.example", jwt_audience="task-api")
    good = claims(iss="https://idp.example", aud="task-api")
    assert verifier.verify(hs256_token(SECRET, **good)).issuer == "https://idp.example"
    listed = {**good, "aud": ["other", "task-api"]}
    assert verifier.verify(hs256_token(SECRET, **listed)).subject == "user-1"
    cases = [
        ({**good, "iss": "https://evil.example"}, "issuer not accepted"),
        ({**good, "iss": None}, "iss claim missing"),
        ({**good, "aud": "other"}, "audience not accepted"),
        ({**good, "aud": None}, "aud claim missing"),
    ]
    for token_claims, reason in cases:
        present = {name: value for name, value in token_claims.items() if value is not None}
        assert refused(verifier, hs256_token(SECRET, **present)) == reason


def test_issuer_and_audience_are_not_checked_when_unset() -> None:
    token = hs256_token(SECRET, **claims(iss="https://any.example", aud="anything"))
    assert hs256_verifier().verify(token).issuer == "https://any.example"


# --- malformed input -----------------------------------------------------------------------


def test_garbage_is_refused_without_echoing_it() -> None:
    valid = hs256_token(SECRET, **claims())
    header, payload, signature = valid.split(".")
    candidates = [
        "",
        "garbage",
        "a.b.c",
        "a.b",
        valid[: len(valid) // 2],
        f"{header}.{payload}",
        f"{header}.{payload}.{signature[:-4]}",
        f"{header}.{payload[:-3]}.{signature}",
        f"{b64url(b'[1]')}.{payload}.{signature}",
        f"{b64url(b'{not json')}.{payload}.{signature}",
        f"{b64url(b'[' * 5000)}.{payload}.{signature}",
        f"{header}.{b64url(b'[' * 5000)}.{signature}",
        f"{header}.{payload}.{signature}!",
        "é.é.é",
        valid + "." + valid,
        "x" * 10_000,
    ]
    verifier = hs256_verifier()
    for token in candidates:
        reason = refused(verifier, token)
        assert reason
        assert token not in reason or not token
