"""/metrics for Prometheus: served when METRICS_ENABLED, behind METRICS_BEARER_TOKEN if set."""

import hmac
from typing import Annotated

from fastapi import APIRouter, Header, Response

from src.api.deps import SettingsDep
from src.core.errors import NotFoundError, UnauthorizedError
from src.core.metrics import exposition

router = APIRouter(include_in_schema=False)


@router.get("/metrics")
def metrics(
    settings: SettingsDep, authorization: Annotated[str | None, Header()] = None
) -> Response:
    if not settings.metrics_enabled:
        raise NotFoundError("metrics are disabled")
    token = settings.metrics_bearer_token
    if token is not None:
        expected = f"Bearer {token.get_secret_value()}"
        if authorization is None or not hmac.compare_digest(authorization, expected):
            raise UnauthorizedError("metrics need the METRICS_BEARER_TOKEN bearer token")
    body, content_type = exposition()
    return Response(body, media_type=content_type)
