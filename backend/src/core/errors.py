"""Domain exceptions: raised by repositories and dependencies, mapped once to problem+json
(src/api/problems.py). Routes never build error bodies themselves."""

from typing import ClassVar


class DomainError(Exception):
    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad Request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidRequestError(DomainError):
    status, slug, title = 400, "invalid-request", "Invalid request"


class InvalidFieldError(DomainError):
    """A field whose value the schema accepts but the service refuses (a cursor of other
    filters): 422, named like a validation error."""

    status, slug, title = 422, "validation", "Validation failed"
    summary: ClassVar[str] = "the request has invalid fields"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(self.summary)
        self.field, self.message = field, message


class FieldConflictError(InvalidFieldError):
    """A field whose value conflicts with the stored task (setting a recurrence on a task
    without a due date, clearing a recurring task's due date): 409, naming the field."""

    status, slug, title = 409, "conflict", "Conflict"
    summary = "the request conflicts with the stored task"


class UnauthorizedError(DomainError):
    status, slug, title = 401, "unauthorized", "Unauthorized"

    def __init__(self, detail: str, *, credentials_sent: bool = True) -> None:
        super().__init__(detail)
        # RFC 6750: a request without credentials gets a bare challenge, no error code.
        self.credentials_sent = credentials_sent


class ForbiddenError(DomainError):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFoundError(DomainError):
    status, slug, title = 404, "not-found", "Not Found"


class ConflictError(DomainError):
    status, slug, title = 409, "conflict", "Conflict"


class KeyInUseError(ConflictError):
    """A request with the same Idempotency-Key is still running: retry after a moment."""

    def __init__(self, detail: str, retry_after_seconds: int = 1) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds


class GoneError(DomainError):
    """A sync token older than the tombstones kept: the client syncs in full again."""

    status, slug, title = 410, "sync-token-expired", "Gone"


class PreconditionFailedError(DomainError):
    status, slug, title = 412, "precondition-failed", "Precondition Failed"


class UnsupportedMediaTypeError(DomainError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported Media Type"


class TooManyRequestsError(DomainError):
    status, slug, title = 429, "rate-limited", "Too Many Requests"

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds


class ServiceUnavailableError(DomainError):
    """A dependency (the database, the identity provider's keys) is unreachable, or the
    schema is not the one this code needs; retry later."""

    status, slug, title = 503, "unavailable", "Service Unavailable"

    def __init__(self, detail: str, retry_after_seconds: int = 5) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds
