"""The write limit: each user may write `rate` times a second on average, `burst` times at once.

A token bucket per user, kept in the database (`db.limits`) so that every server process spends from
the same allowance; a write beyond it is refused with 429 and the seconds to wait (`Retry-After`)
before it runs, so a flood from one login costs neither law checks nor storage. The clock's own writes
are not limited.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..db import limits, tx
from .errors import ExerciseError

WRITE_RATE = 10.0
WRITE_BURST = 100.0


@dataclass(frozen=True, slots=True)
class WriteLimit:
    rate: float = WRITE_RATE
    burst: float = WRITE_BURST

    def take(self, session: Session, user_id: int, now: float | None = None) -> None:
        """Spend one write of the user's allowance in this transaction, or raise 429."""
        moment = time.time() if now is None else now
        state = tx.state(session)
        state.write_limit = (self.rate, self.burst)
        if user_id not in state.allowance:
            group = {f.user.id for f in state.logins.values() if f is not None} | {user_id}
            stored = limits.allowances(session, group - state.allowance.keys())
            for uid in group - state.allowance.keys():
                tokens, at = stored.get(uid, (self.burst, moment))
                state.allowance[uid] = min(self.burst, tokens + max(0.0, moment - at) * self.rate)
        left = state.allowance[user_id] - state.spent.get(user_id, 0)
        if left < 1:
            wait = (1 - left) / self.rate
            raise ExerciseError(429, f"too many writes from this account (at most {self.rate:g} a second, "
                                     f"{self.burst:g} at once); try again in {math.ceil(wait)} s", retry_after=wait)
        state.spent[user_id] = state.spent.get(user_id, 0) + 1
