"""The JWKS cache: caching, key rotation, refetch limits, stampedes and issuer outages."""

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from src.auth import InvalidTokenError, SigningKeysUnavailableError, TokenVerifier
from src.auth.jwks import JwksCache, JwksUnavailableError
from tests.support.jwt_issuer import LocalIssuer, auth_settings, claims

T = TypeVar("T")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def issuer() -> Iterator[LocalIssuer]:
    with LocalIssuer() as issuer:
        yield issuer


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def cache_for(issuer: LocalIssuer, clock: FakeClock, **policy: float) -> JwksCache:
    policy = {"cache_seconds": 300, "min_refresh_seconds": 5, **policy}
    return JwksCache(issuer.jwks_url, clock=clock, **policy)


def verifier_for(issuer: LocalIssuer, **overrides: Any) -> TokenVerifier:
    return TokenVerifier(auth_settings(jwt_jwks_url=issuer.jwks_url, **overrides))


def in_threads(count: int, work: Callable[[], T]) -> list[T | BaseException]:
    """Run `work` in `count` threads released at the same moment; results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[T | BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            result: T | BaseException = work()
        except BaseException as error:
            result = error
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


# --- JwksCache, on a fake clock ------------------------------------------------------------


def test_keys_are_cached_for_cache_seconds(issuer: LocalIssuer, clock: FakeClock) -> None:
    cache = cache_for(issuer, clock, cache_seconds=300)
    kid = issuer.current_kid()
    assert cache.get(kid) is not None
    clock.now += 299
    assert cache.get(kid) is not None
    assert issuer.fetch_count == 1
    clock.now += 1
    assert cache.get(kid) is not None
    assert issuer.fetch_count == 2


def test_unknown_kid_refetches_at_most_once_per_min_refresh(
    issuer: LocalIssuer, clock: FakeClock
) -> None:
    cache = cache_for(issuer, clock, min_refresh_seconds=5)
    assert cache.get(issuer.current_kid()) is not None
    new_kid = issuer.rotate()
    clock.now += 4
    assert cache.get(new_kid) is None  # too soon after the last fetch
    assert issuer.fetch_count == 1
    clock.now += 1
    assert cache.get(new_kid) is not None
    assert issuer.fetch_count == 2


def test_a_removed_key_disappears_when_the_cache_expires(
    issuer: LocalIssuer, clock: FakeClock
) -> None:
    cache = cache_for(issuer, clock, cache_seconds=60)
    old = issuer.current_kid()
    assert cache.get(old) is not None
    issuer.rotate(remove_old=True)
    assert cache.get(old) is not None
    clock.now += 60
    assert cache.get(old) is None


def test_keys_without_kid_or_not_for_signatures_are_ignored(
    issuer: LocalIssuer, clock: FakeClock
) -> None:
    jwk = issuer.key(issuer.current_kid()).public_jwk()
    unusable = [{**jwk, "kid": None}, {**jwk, "kid": "enc", "use": "enc"}, {"kty": "nope"}]
    keys = [*unusable, {**jwk, "kid": "good"}]
    issuer.response_override = (200, json.dumps({"keys": keys}).encode())
    cache = cache_for(issuer, clock, min_refresh_seconds=0)
    assert cache.get("good") is not None
    assert cache.get("enc") is None


@pytest.mark.parametrize(
    "response",
    [(500, b"{}"), (200, b"not json"), (200, b"[]"), (200, b'{"keys": []}'), (404, b"")],
)
def test_a_failed_fetch_is_unavailable_then_recovers(
    issuer: LocalIssuer, clock: FakeClock, response: tuple[int, bytes]
) -> None:
    cache = cache_for(issuer, clock, min_refresh_seconds=5)
    kid = issuer.current_kid()
    issuer.response_override = response
    with pytest.raises(JwksUnavailableError):
        cache.get(kid)
    issuer.response_override = None
    with pytest.raises(JwksUnavailableError):
        cache.get(kid)  # failures are rate-limited too: the issuer may be struggling
    assert issuer.fetch_count == 1
    clock.now += 5
    assert cache.get(kid) is not None


def test_a_failed_refresh_keeps_the_known_keys(issuer: LocalIssuer, clock: FakeClock) -> None:
    cache = cache_for(issuer, clock, cache_seconds=60, min_refresh_seconds=5)
    kid = issuer.current_kid()
    assert cache.get(kid) is not None
    clock.now += 60
    with issuer.down():
        assert cache.get(kid) is not None  # stale, but better than logging everyone out
        with pytest.raises(JwksUnavailableError):
            cache.get("made-up")
    clock.now += 5
    new_kid = issuer.rotate()
    assert cache.get(new_kid) is not None


def test_non_http_url_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="JWT_JWKS_URL"):
        JwksCache("file:///etc/passwd", cache_seconds=300, min_refresh_seconds=5)


# --- through TokenVerifier, on the real clock ----------------------------------------------


def test_rotation_unknown_kid_triggers_one_refetch_then_succeeds(issuer: LocalIssuer) -> None:
    verifier = verifier_for(issuer)
    assert verifier.verify(issuer.mint(claims("before"))).subject == "before"
    assert issuer.fetch_count == 1
    issuer.rotate()
    assert verifier.verify(issuer.mint(claims("after"))).subject == "after"
    assert verifier.verify(issuer.mint(claims("again"))).subject == "again"
    assert issuer.fetch_count == 2


def test_concurrent_requests_with_a_new_kid_cause_one_fetch(issuer: LocalIssuer) -> None:
    # min_refresh 0: only the lock and the re-check keep these 20 threads from 20 fetches.
    verifier = verifier_for(issuer, jwt_jwks_min_refresh_seconds=0)
    verifier.verify(issuer.mint(claims()))
    issuer.rotate()
    token = issuer.mint(claims("rotated"))
    issuer.response_delay = 0.2
    results = in_threads(20, lambda: verifier.verify(token).subject)
    assert results == ["rotated"] * 20
    assert issuer.fetch_count == 2


def test_a_flood_of_made_up_kids_costs_at_most_one_fetch(issuer: LocalIssuer) -> None:
    verifier = verifier_for(issuer, jwt_jwks_min_refresh_seconds=60)
    verifier.verify(issuer.mint(claims()))
    before = issuer.fetch_count
    tokens = [issuer.mint(claims(), kid=f"made-up-{n}") for n in range(50)]
    for token in tokens:
        with pytest.raises(InvalidTokenError, match="unknown signing key"):
            verifier.verify(token)
    results = in_threads(20, lambda: verifier.verify(tokens[0]))
    assert all(isinstance(result, InvalidTokenError) for result in results)
    assert issuer.fetch_count - before <= 1


def test_jwks_down_is_unavailable_and_recovers(issuer: LocalIssuer) -> None:
    verifier = verifier_for(issuer, jwt_jwks_min_refresh_seconds=0)
    token = issuer.mint(claims())
    with issuer.down(), pytest.raises(SigningKeysUnavailableError) as caught:
        verifier.verify(token)
    assert caught.value.reason == "signing keys unavailable"
    assert isinstance(caught.value, InvalidTokenError)
    assert verifier.verify(token).subject == "user-1"
