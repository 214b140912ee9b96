"""Small factories for API tests: callers with tokens, and tasks created through the API."""

import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import httpx2
import jwt
from fastapi.testclient import TestClient

# TestClient speaks httpx2 once it is installed (the MCP SDK brings it); live-server tests
# use httpx. Helpers that read either kind of response take this.
Response = httpx.Response | httpx2.Response

TEST_SECRET = "test-secret-for-the-suite-only-0123456789"


def hs256_token(secret: str = TEST_SECRET, ttl: int = 900, **claims: Any) -> str:
    now = int(time.time())
    payload = {"iat": now, "exp": now + ttl, **claims}
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, secret, "HS256")


@dataclass
class ApiUser:
    """A caller: its token's `sub`, email, and the id the service stores for it."""

    sub: str
    email: str
    user_id: uuid.UUID
    token: str = field(repr=False)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def tasks_url(self) -> str:
        return f"/api/{self.sub}/tasks"

    def task_url(self, task_id: int) -> str:
        return f"{self.tasks_url}/{task_id}"


def make_user(email: str | None = None, sub: str | None = None) -> ApiUser:
    sub = sub or str(uuid.uuid4())
    email = email or f"{uuid.uuid4().hex[:10]}@example.com"
    try:
        user_id = uuid.UUID(sub)
    except ValueError:
        user_id = uuid.uuid5(uuid.NAMESPACE_URL, f"#{sub}")
    return ApiUser(sub=sub, email=email, user_id=user_id, token=hs256_token(sub=sub, email=email))


def create_task(client: TestClient, user: ApiUser, **fields: Any) -> dict[str, Any]:
    body = {"title": "Buy milk", **fields}
    response = client.post(user.tasks_url, json=body, headers=user.headers)
    assert response.status_code == 201, response.text
    task: dict[str, Any] = response.json()
    return task


_UTC_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z")


def parse_utc(text: str) -> datetime:
    """A timestamp as the API writes it: ISO 8601 in UTC with `Z`, the fraction omitted when
    it is zero and 6 digits otherwise. Compare these parsed, never as strings
    (`...T10:00:00Z` sorts after `...T10:00:00.000001Z`)."""
    assert _UTC_TIMESTAMP.fullmatch(text), text
    moment = datetime.fromisoformat(text)
    assert moment.utcoffset() == timedelta(0), text  # None when naive
    return moment
