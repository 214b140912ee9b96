"""Sync tokens: where a client's incremental sync resumes (docs/sync.md).

A token is signed with CURSOR_SECRET (src/core/pagination.py) and holds the user it was
issued to, when, the database's sync timeline (src/models/sync.py, SyncEpoch), and a
position:
- incremental: `seq`, the user's change sequence up to which the client has every change;
- full (a sync without a token, page after page): `seq`, the change sequence when the full
  sync began, and `after_id`, the last task id sent. Its last page hands out an incremental
  token at that `seq`, so what changed during the full sync follows in the next calls.
"""

import time
import uuid
from dataclasses import dataclass

from src.core.errors import InvalidRequestError
from src.core.pagination import CursorCodec

_MALFORMED = "the sync token is malformed or was altered"


@dataclass(frozen=True)
class SyncPosition:
    seq: int
    after_id: int | None = None  # set: a full sync, past this task id
    epoch: str = ""  # the database's sync timeline (sync_epoch) the numbers belong to
    issued_at: float = 0.0  # seconds since the epoch

    @property
    def full(self) -> bool:
        return self.after_id is not None


def encode_token(codec: CursorCodec, user_id: uuid.UUID, position: SyncPosition) -> str:
    payload: dict[str, object] = {
        "sync": 1,
        "u": str(user_id),
        "e": position.epoch,
        "q": position.seq,
    }
    if position.after_id is not None:
        payload["a"] = position.after_id
    payload["t"] = int(time.time())
    return codec.seal(payload)


def decode_token(codec: CursorCodec, token: str, user_id: uuid.UUID) -> SyncPosition:
    """The position a token holds. 400 for a token that is malformed, altered, not a sync
    token, or issued to another user (as for a list's cursor)."""
    data = codec.unseal(token)
    if data is None or data.get("sync") != 1:
        raise InvalidRequestError(_MALFORMED)
    if data.get("u") != str(user_id):
        raise InvalidRequestError("the sync token was issued to another user")
    seq, after_id, issued_at, epoch = data.get("q"), data.get("a"), data.get("t"), data.get("e")
    if not isinstance(seq, int) or not isinstance(issued_at, int) or not isinstance(epoch, str):
        raise InvalidRequestError(_MALFORMED)
    if after_id is not None and not isinstance(after_id, int):
        raise InvalidRequestError(_MALFORMED)
    return SyncPosition(seq, after_id, epoch, float(issued_at))
