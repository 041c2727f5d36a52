"""Risk estimation (ISO 14971:2019 5.5) and risk evaluation (6) under a policy.

A risk is a hazardous situation-harm pair. The analyst chooses the severity of the harm, P1 (the
probability that the hazardous situation occurs) and P2 (the probability that it leads to the
harm); P and acceptability follow from the policy's combination table and matrix and are never
typed in. The same function estimates the residual risk after control (7.3).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from .policy import RiskPolicy


@dataclass(frozen=True, kw_only=True)
class RiskEstimate:
    severity: int
    p1: int
    p2: int
    p: int
    acceptable: bool
    cell: tuple[int, int]  # (severity, p): the matrix cell


def _check_rank(policy: RiskPolicy, field: str, value: object) -> int:
    scale = policy.severity if field == "severity_rank" else policy.probability
    if not scale.has(value):
        ranks = ", ".join(str(rank) for rank in scale.ranks)
        what = "severity" if field == "severity_rank" else "probability"
        raise ValueError(f"{field}: {value!r} is not a level of the {what} scale ({ranks})")
    return value  # type: ignore[return-value]


def estimate(policy: RiskPolicy, severity_rank: int, p1_rank: int, p2_rank: int) -> RiskEstimate:
    """The estimate for the chosen severity, P1 and P2.

    ValueError names the field ("severity_rank", "p1_rank", "p2_rank") when a rank is not on the
    policy's scale, or the policy entry that is missing.
    """
    s = _check_rank(policy, "severity_rank", severity_rank)
    p1 = _check_rank(policy, "p1_rank", p1_rank)
    p2 = _check_rank(policy, "p2_rank", p2_rank)
    p = policy.combination.get((p1, p2))
    if p is None or not policy.probability.has(p):
        raise ValueError(f"policy: combination table has no valid entry for (P1={p1}, P2={p2})")
    acceptable = policy.matrix.get((s, p))
    if not isinstance(acceptable, bool):
        raise ValueError(f"policy: matrix cell (S={s}, P={p}) is missing")
    return RiskEstimate(severity=s, p1=p1, p2=p2, p=p, acceptable=acceptable, cell=(s, p))


@dataclass(frozen=True, kw_only=True)
class Change:
    """How one risk fares when the policy changes. `new` is None when its severity, P1 or P2 is
    no longer a level of the new policy's scales; the risk must then be estimated again."""

    key: Hashable
    old: RiskEstimate
    new: RiskEstimate | None
    reason: str = ""  # why `new` is None

    @property
    def p_changed(self) -> bool:
        return self.new is None or self.new.p != self.old.p

    @property
    def acceptability_changed(self) -> bool:
        return self.new is None or self.new.acceptable != self.old.acceptable

    @property
    def became_unacceptable(self) -> bool:
        return self.new is not None and self.old.acceptable and not self.new.acceptable

    @property
    def became_acceptable(self) -> bool:
        return self.new is not None and not self.old.acceptable and self.new.acceptable


def _keyed(
    estimates: Mapping[Hashable, RiskEstimate] | Iterable[RiskEstimate],
) -> Iterable[tuple[Hashable, RiskEstimate]]:
    if isinstance(estimates, Mapping):
        return estimates.items()
    return enumerate(estimates)


def reevaluate(
    old_policy: RiskPolicy,
    new_policy: RiskPolicy,
    estimates: Mapping[Hashable, RiskEstimate] | Iterable[RiskEstimate],
) -> list[Change]:
    """The risks whose P or acceptability differ under the new policy, in input order.

    `estimates` is a mapping from a risk's key (its id) to its estimate, or a sequence (keys are
    then the positions). Both sides are computed from the estimate's severity, P1 and P2, so a
    stored P or acceptability that went stale does not hide a change. An estimate whose ranks are
    not on the old policy's scales raises ValueError naming its key.
    """
    changes = []
    for key, given in _keyed(estimates):
        try:
            old = estimate(old_policy, given.severity, given.p1, given.p2)
        except ValueError as error:
            raise ValueError(f"estimate {key!r} under the old policy: {error}") from None
        try:
            new = estimate(new_policy, given.severity, given.p1, given.p2)
        except ValueError as error:
            changes.append(Change(key=key, old=old, new=None, reason=str(error)))
            continue
        if new.p != old.p or new.acceptable != old.acceptable:
            changes.append(Change(key=key, old=old, new=new))
    return changes


def cell_counts(
    policy: RiskPolicy, estimates: Iterable[RiskEstimate]
) -> dict[tuple[int, int], int]:
    """How many estimates fall in each matrix cell (every cell present, zero when empty): the
    numbers of a risk matrix heatmap."""
    counts = {(s, p): 0 for s in policy.severity.ranks for p in policy.probability.ranks}
    for item in estimates:
        counts[item.cell] = counts.get(item.cell, 0) + 1
    return counts
