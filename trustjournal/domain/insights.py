"""Looking at yourself (practice 11): which breaks keep happening, across every person.

If the same cause or the same kind of promise keeps failing, the common factor is you, which
is the good news: that is the part you can change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from trustjournal.domain.ledger import Ledger
from trustjournal.domain.record import credit
from trustjournal.domain.repair import Cause, Repair

_FILLER = {"the", "a", "an", "to", "my", "our", "for", "on", "up", "out", "with", "about"}


def kind_of(text: str) -> str:
    """The kind of a promise is its verb: 'send the Q3 numbers' is a 'send'."""
    for word in text.lower().split():
        word = word.strip(".,;:!?'\"()")
        if word and word not in _FILLER:
            return word
    return "(no words)"


@dataclass(frozen=True, slots=True)
class KindRecord:
    kind: str
    closed: int
    failed: int
    """Broken, or kept more than a day late."""


@dataclass(frozen=True, slots=True)
class Insights:
    causes: tuple[tuple[Cause, int], ...]
    failing_kinds: tuple[KindRecord, ...]
    late_renegotiations: tuple[tuple[int, int], ...]
    """(person id, how many renegotiations came after the due time), worst first."""


def insights(ledger: Ledger, repairs: Iterable[Repair]) -> Insights:
    causes = Counter(r.cause for r in repairs if r.cause is not None)
    closed: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    late: Counter[int] = Counter()
    for p in ledger.promises.values():
        late[p.person_id] += sum(1 for r in p.renegotiations if not r.early)
        earned = credit(p)
        if earned is None:
            continue
        kind = kind_of(p.text)
        closed[kind] += 1
        if earned <= 0.5:
            failed[kind] += 1
    kinds = sorted(
        (KindRecord(k, closed[k], failed[k]) for k in failed),
        key=lambda r: (-r.failed, -r.failed / r.closed, r.kind),
    )
    return Insights(
        causes=tuple(causes.most_common()),
        failing_kinds=tuple(kinds[:5]),
        late_renegotiations=tuple((pid, n) for pid, n in late.most_common() if n),
    )
