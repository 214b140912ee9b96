"""Idempotency-Key on the write routes, through the app on the test's connection. The
concurrent and crash cases run on real servers: tests/api/test_idempotency_live.py."""

import uuid
from typing import Any

import http_sf
import pytest
from fastapi.testclient import TestClient

from src.api.idempotency import parse_key
from src.core.errors import InvalidFieldError
from tests.support.api_users import ApiUser, create_task
from tests.support.db import TestDb


def keyed(user: ApiUser, key: str | None = None) -> dict[str, str]:
    return {**user.headers, "Idempotency-Key": f'"{key or uuid.uuid4()}"'}


def count_tasks(db: TestDb, user: ApiUser) -> int:
    return int(db.scalar("SELECT count(*) FROM tasks WHERE user_id = %(u)s", {"u": user.user_id}))


def same_response(first: Any, again: Any) -> None:
    assert again.status_code == first.status_code
    assert again.content == first.content
    for header in ("location", "etag", "content-type"):
        assert again.headers.get(header) == first.headers.get(header), header


def test_a_retried_create_replays_the_first_response_and_creates_one_task(
    client: TestClient, alice: ApiUser, db: TestDb
) -> None:
    headers = keyed(alice)
    first = client.post(alice.tasks_url, json={"title": "once"}, headers=headers)
    assert first.status_code == 201
    assert "idempotency-replayed" not in first.headers
    again = client.post(alice.tasks_url, json={"title": "once"}, headers=headers)
    same_response(first, again)
    assert again.headers["idempotency-replayed"] == "true"
    assert count_tasks(db, alice) == 1


def test_without_the_header_every_post_creates(
    client: TestClient, alice: ApiUser, db: TestDb
) -> None:
    for _ in range(2):
        assert (
            client.post(alice.tasks_url, json={"title": "x"}, headers=alice.headers).status_code
            == 201
        )
    assert count_tasks(db, alice) == 2


def test_the_same_key_with_another_request_is_refused(
    client: TestClient, alice: ApiUser, db: TestDb
) -> None:
    headers = keyed(alice)
    created = client.post(alice.tasks_url, json={"title": "one"}, headers=headers)
    task_id = created.json()["id"]
    for method, url, body in (
        ("POST", alice.tasks_url, {"title": "two"}),  # another body
        ("PATCH", alice.task_url(task_id), {"title": "one"}),  # another method and path
    ):
        response = client.request(method, url, json=body, headers=headers)
        assert response.status_code == 422, response.text
        error = response.json()["errors"][0]
        assert error["field"] == "header.Idempotency-Key"
        assert "another request" in error["message"]
    assert count_tasks(db, alice) == 1
    assert client.get(alice.task_url(task_id), headers=alice.headers).json()["title"] == "one"


def test_keys_are_the_callers_own(
    client: TestClient, alice: ApiUser, bob: ApiUser, db: TestDb
) -> None:
    key = str(uuid.uuid4())
    mine = client.post(alice.tasks_url, json={"title": "a"}, headers=keyed(alice, key))
    theirs = client.post(bob.tasks_url, json={"title": "a"}, headers=keyed(bob, key))
    assert mine.status_code == theirs.status_code == 201
    assert "idempotency-replayed" not in theirs.headers
    assert theirs.json()["user_id"] == str(bob.user_id)
    assert count_tasks(db, alice) == count_tasks(db, bob) == 1


@pytest.mark.parametrize(
    "value",
    [
        '""',  # empty
        "plain-token",  # a token, not a string
        '"' + "k" * 256 + '"',  # too long
        '"a";v=1',  # parameters
        '"unterminated',
        '"tab\tinside"',
        "",
    ],
)
def test_a_malformed_key_is_refused_and_nothing_is_written(
    client: TestClient, alice: ApiUser, db: TestDb, value: str
) -> None:
    headers = {**alice.headers, "Idempotency-Key": value}
    response = client.post(alice.tasks_url, json={"title": "x"}, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "header.Idempotency-Key"
    assert count_tasks(db, alice) == 0


@pytest.mark.parametrize(
    "value",
    [
        '"8e03978e-40d5"',
        '" !#[]~ "',  # the edges of the characters a plain sf-string holds
        '"' + "".join(map(chr, range(0x20, 0x7F))).replace('"', "").replace("\\", "") + '"',
        '"' + "k" * 255 + '"',
        '"a\\"b"',  # escapes: the full parser's way
        '"back\\\\slash"',
        '"' + "k" * 256 + '"',
        '"a";v=1',
        '"caf\u00e9"',
        '""',
    ],
)
def test_a_key_is_read_as_the_structured_field_parser_reads_it(value: str) -> None:
    """The fast path for plain keys agrees with http_sf: a string item of 1-255 characters
    without parameters is its value; anything else is refused."""
    expected: object = None
    try:
        parsed = http_sf.parse(value.encode("latin-1"), tltype="item")
        if isinstance(parsed, tuple) and isinstance(parsed[0], str) and not parsed[1]:
            expected = parsed[0] if 1 <= len(parsed[0]) <= 255 else None
    except (http_sf.StructuredFieldError, UnicodeEncodeError, ValueError):
        pass
    if expected is None:
        with pytest.raises(InvalidFieldError):
            parse_key(value)
    else:
        assert parse_key(value) == expected


def test_a_key_of_255_characters_is_accepted(client: TestClient, alice: ApiUser) -> None:
    headers = keyed(alice, "k" * 255)
    assert client.post(alice.tasks_url, json={"title": "x"}, headers=headers).status_code == 201


def test_a_failed_request_is_not_stored_and_leaves_the_key_free(
    client: TestClient, alice: ApiUser, db: TestDb
) -> None:
    headers = keyed(alice)
    refused = client.post(alice.tasks_url, json={"title": ""}, headers=headers)
    assert refused.status_code == 422
    assert db.scalar("SELECT count(*) FROM idempotency_keys") == 0
    # The same key then carries a request that succeeds.
    assert client.post(alice.tasks_url, json={"title": "ok"}, headers=headers).status_code == 201


def test_every_write_route_replays(client: TestClient, alice: ApiUser, db: TestDb) -> None:
    task = create_task(client, alice, title="t")
    url = alice.task_url(task["id"])
    toggle = keyed(alice)
    first = client.patch(f"{url}/complete", headers=toggle)
    again = client.patch(f"{url}/complete", headers=toggle)
    same_response(first, again)
    assert client.get(url, headers=alice.headers).json()["is_completed"] is True  # toggled once
    for method, body in (("PUT", {"title": "put"}), ("PATCH", {"title": "patch"})):
        headers = keyed(alice)
        first = client.request(method, url, json=body, headers=headers)
        same_response(first, client.request(method, url, json=body, headers=headers))
    headers = keyed(alice)
    gone = client.delete(url, headers=headers)
    assert gone.status_code == 204
    replayed = client.delete(url, headers=headers)  # not 404: the first's answer
    assert replayed.status_code == 204
    assert replayed.headers["idempotency-replayed"] == "true"


def test_an_expired_key_is_used_again(client: TestClient, alice: ApiUser, db: TestDb) -> None:
    headers = keyed(alice)
    client.post(alice.tasks_url, json={"title": "first"}, headers=headers)
    db.execute("UPDATE idempotency_keys SET created_at = created_at - interval '25 hours'")
    fresh = client.post(alice.tasks_url, json={"title": "second"}, headers=headers)
    assert fresh.status_code == 201
    assert "idempotency-replayed" not in fresh.headers
    assert count_tasks(db, alice) == 2


def test_a_retried_delete_of_the_user_replays(
    client: TestClient, alice: ApiUser, db: TestDb
) -> None:
    create_task(client, alice)
    gone = create_task(client, alice)["id"]
    client.delete(alice.task_url(gone), headers=alice.headers)
    tombstones = "SELECT count(*) FROM task_tombstones WHERE user_id = %(u)s"
    assert db.scalar(tombstones, {"u": alice.user_id}) == 1
    headers = keyed(alice)
    assert client.delete("/api/users/me", headers=headers).status_code == 204
    again = client.delete("/api/users/me", headers=headers)
    assert again.status_code == 204
    assert again.headers["idempotency-replayed"] == "true"
    # The replay did not provision the user again; their tombstones and other keys went
    # with them.
    assert db.scalar("SELECT count(*) FROM users WHERE id = %(u)s", {"u": alice.user_id}) == 0
    assert db.scalar(tombstones, {"u": alice.user_id}) == 0
    assert db.scalar("SELECT count(*) FROM idempotency_keys") == 1


def test_reads_ignore_the_header(client: TestClient, alice: ApiUser, db: TestDb) -> None:
    create_task(client, alice)
    response = client.get(alice.tasks_url, headers=keyed(alice, "read"))
    assert response.status_code == 200
    assert db.scalar("SELECT count(*) FROM idempotency_keys") == 0


def recorded(db: TestDb) -> list[tuple[Any, ...]]:
    """(status, has a row) of every key recorded, oldest first."""
    rows = db.fetch_all(
        "SELECT status, snapshot IS NOT NULL AS row FROM idempotency_keys ORDER BY created_at"
    )
    return [(row["status"], row["row"]) for row in rows]


def test_a_task_write_records_its_key_with_its_row_and_a_transaction_with_its_response(
    client: TestClient, alice: ApiUser, db: TestDb
) -> None:
    """Create, PUT, PATCH, completing a task that does not recur and DELETE each record the
    key in their own statement (the row they wrote, no stored response). Completing a
    recurring task (a transaction: it schedules the next occurrence) stores its response."""
    task = client.post(alice.tasks_url, json={"title": "t"}, headers=keyed(alice)).json()
    url = alice.task_url(task["id"])
    client.put(url, json={"title": "u"}, headers=keyed(alice))
    client.patch(url, json={"title": "v"}, headers=keyed(alice))
    client.patch(f"{url}/complete", headers=keyed(alice))
    client.delete(url, headers=keyed(alice))
    assert recorded(db) == [(None, True)] * 5
    weekly = create_task(
        client, alice, title="w", due_date="2026-12-07T09:00:00Z", recurring_rule="weekly"
    )
    completion = keyed(alice)
    first = client.patch(f"{alice.task_url(weekly['id'])}/complete", headers=completion)
    assert first.json()["next_occurrence_id"] is not None
    assert recorded(db)[-1] == (200, False)
    again = client.patch(f"{alice.task_url(weekly['id'])}/complete", headers=completion)
    same_response(first, again)
    assert again.headers["idempotency-replayed"] == "true"
    assert count_tasks(db, alice) == 2  # the weekly task and one next occurrence


def test_a_replay_is_the_first_response_even_after_the_task_changed(
    client: TestClient, alice: ApiUser
) -> None:
    task = create_task(client, alice, title="before")
    url = alice.task_url(task["id"])
    headers = keyed(alice)
    first = client.put(url, json={"title": "mine"}, headers=headers)
    client.patch(url, json={"title": "someone else's"}, headers=alice.headers)
    again = client.put(url, json={"title": "mine"}, headers=headers)
    same_response(first, again)
    assert again.json()["title"] == "mine"
    assert again.headers["idempotency-replayed"] == "true"
    assert client.get(url, headers=alice.headers).json()["title"] == "someone else's"


def test_a_retry_whose_if_match_went_stale_by_its_own_first_attempt_replays(
    client: TestClient, alice: ApiUser
) -> None:
    """The first PUT changed the ETag its If-Match names; the retry matches no row (412
    without a key), finds the key's record and replays the 200."""
    task = client.post(alice.tasks_url, json={"title": "t"}, headers=alice.headers)
    url = alice.task_url(task.json()["id"])
    headers = {**keyed(alice), "If-Match": task.headers["etag"]}
    first = client.put(url, json={"title": "once"}, headers=headers)
    assert first.status_code == 200
    again = client.put(url, json={"title": "once"}, headers=headers)
    same_response(first, again)
    assert again.headers["idempotency-replayed"] == "true"
    plain = client.put(
        url, json={"title": "once"}, headers={**alice.headers, **{"If-Match": task.headers["etag"]}}
    )
    assert plain.status_code == 412


def test_a_write_that_found_no_task_leaves_the_key_free(
    client: TestClient, alice: ApiUser, db: TestDb
) -> None:
    headers = keyed(alice)
    missing = client.delete(alice.task_url(999_999), headers=headers)
    assert missing.status_code == 404
    assert recorded(db) == []
    # Another request with the same key: the key was never recorded, so it is free.
    task = create_task(client, alice)
    assert client.delete(alice.task_url(task["id"]), headers=headers).status_code == 204
    assert recorded(db) == [(None, True)]
