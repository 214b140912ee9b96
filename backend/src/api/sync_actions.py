"""One page of an incremental sync: the token checked, the changes read, the next token.

Kept apart from the route so that the rules (when a token is refused, which token comes
next) read in one place; docs/sync.md explains them to client developers.
"""

import time
import uuid

from src.core.errors import GoneError
from src.core.pagination import CursorCodec
from src.core.sync_tokens import SyncPosition, decode_token, encode_token
from src.models import SyncPageRow, SyncQuery
from src.repositories.sync import Changes, SyncRepository

_EXPIRED = (
    "the sync token is older than the deletions this service keeps ({days} days): "
    "sync in full (call without a token) and replace the local copy"
)
_OTHER_TIMELINE = (
    "the sync token belongs to another state of the service's data (it was restored from a "
    "backup): sync in full (call without a token) and replace the local copy"
)


async def sync_page(
    repository: SyncRepository,
    codec: CursorCodec,
    user_id: uuid.UUID,
    query: SyncQuery,
    tombstone_days: int,
) -> SyncPageRow:
    if query.token is None:
        position = SyncPosition(seq=0, after_id=0)
    else:
        position = decode_token(codec, query.token, user_id)
        if time.time() - position.issued_at > tombstone_days * 86_400:
            raise GoneError(_EXPIRED.format(days=tombstone_days))
    first = query.token is None
    if position.after_id is not None:
        changes = await repository.full_page(user_id, position.after_id, query.limit)
        # The first page's snapshot is where the full sync began.
        began = changes.counter if first else position.seq
        _refuse_lost(began, position.epoch, changes, tombstone_days, first)
        if changes.more:
            next_position = SyncPosition(began, changes.last_id, changes.epoch)
        else:  # the changes made during the full sync come next
            next_position = SyncPosition(began, epoch=changes.epoch)
    else:
        changes = await repository.changes_after(user_id, position.seq, query.limit)
        _refuse_lost(position.seq, position.epoch, changes, tombstone_days, first)
        seq = changes.last_seq if changes.more else changes.counter
        next_position = SyncPosition(seq if seq is not None else position.seq, epoch=changes.epoch)
    return {
        "tasks": changes.tasks,
        "deleted": changes.deleted,  # type: ignore[typeddict-item]
        "next_token": encode_token(codec, user_id, next_position),
        "has_more": changes.more,
        "full": position.full,
    }


def _refuse_lost(seq: int, epoch: str, changes: Changes, tombstone_days: int, first: bool) -> None:
    """410 for a position from which a change can no longer be told: a deletion after it was
    pruned, or it belongs to another timeline of the database (restored from a backup, or
    migrated down and up: the numbers started again)."""
    if first:
        return
    if epoch != changes.epoch or seq > changes.counter:
        raise GoneError(_OTHER_TIMELINE)
    if seq < changes.pruned:
        raise GoneError(_EXPIRED.format(days=tombstone_days))
