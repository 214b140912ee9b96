"""GET and DELETE /api/users/me"""

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from src.models import Task, User
from tests.support.api_users import ApiUser, create_task


def test_me_is_the_caller_provisioned_on_first_request(
    client: TestClient, session: Session, alice: ApiUser
) -> None:
    assert session.get(User, alice.user_id) is None

    response = client.get("/api/users/me", headers=alice.headers)

    assert response.status_code == 200
    me = response.json()
    assert me["id"] == str(alice.user_id)
    assert me["email"] == alice.email
    assert me["created_at"].endswith("Z")
    assert session.get(User, alice.user_id) is not None


def test_delete_me_removes_the_user_and_all_their_tasks_only(
    client: TestClient, session: Session, alice: ApiUser, bob: ApiUser
) -> None:
    for _ in range(3):
        create_task(client, alice)
    bobs = create_task(client, bob)

    response = client.delete("/api/users/me", headers=alice.headers)

    assert response.status_code == 204
    session.expire_all()
    assert session.get(User, alice.user_id) is None
    remaining = session.scalar(
        select(func.count()).select_from(Task).where(Task.user_id == alice.user_id)  # type: ignore[arg-type]
    )
    assert remaining == 0
    assert client.get(bob.task_url(bobs["id"]), headers=bob.headers).status_code == 200


def test_me_requires_a_token(client: TestClient) -> None:
    for method in ("GET", "DELETE"):
        response = client.request(method, "/api/users/me")
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == 'Bearer realm="task-api"'
