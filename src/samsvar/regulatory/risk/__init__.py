"""ISO 14971:2019 risk management as pure functions and dataclasses (no Django, no apps).

- `policy`: the acceptability policy of the risk management plan (4.4): scales, the P1 x P2
  combination table, the acceptability matrix; `validate_policy`, `default_policy`,
  `combine_by_product`.
- `evaluation`: risk estimation (5.5) and evaluation (6): `estimate`, `reevaluate`.
- `control`: control options in priority order (7.1) and the rationale rule.
- `completeness`: the "as far as possible" rule (EN ISO 14971:2019+A11:2021 Annex Z) and the live
  gap list of a risk management file.

The package attribute `completeness` is the function; the gap code constants are imported from the
module (`from samsvar.regulatory.risk.completeness import HAZARD_WITHOUT_SITUATION`). Clause
numbers and titles only; no text of the standard.
"""

from .completeness import (
    GAP_CODES,
    BenefitRiskFacts,
    ControlFacts,
    HazardFacts,
    OverallFacts,
    RiskFacts,
    RiskFileFacts,
    SituationFacts,
    afap_problems,
    completeness,
)
from .control import PRIORITY_ORDER, ControlKind, lower_priority_needs_rationale
from .evaluation import Change, RiskEstimate, cell_counts, estimate, reevaluate
from .gap import Gap, Ref
from .policy import (
    PROBLEM_CODES,
    PolicyProblem,
    ProbabilityLevel,
    ProbabilityScale,
    RiskPolicy,
    SeverityLevel,
    SeverityScale,
    combine_by_product,
    default_policy,
    policy_from_dict,
    policy_to_dict,
    validate_policy,
)

__all__ = [
    "GAP_CODES",
    "PRIORITY_ORDER",
    "PROBLEM_CODES",
    "BenefitRiskFacts",
    "Change",
    "ControlFacts",
    "ControlKind",
    "Gap",
    "HazardFacts",
    "OverallFacts",
    "PolicyProblem",
    "ProbabilityLevel",
    "ProbabilityScale",
    "Ref",
    "RiskEstimate",
    "RiskFacts",
    "RiskFileFacts",
    "RiskPolicy",
    "SeverityLevel",
    "SeverityScale",
    "SituationFacts",
    "afap_problems",
    "cell_counts",
    "combine_by_product",
    "completeness",
    "default_policy",
    "estimate",
    "lower_priority_needs_rationale",
    "policy_from_dict",
    "policy_to_dict",
    "reevaluate",
    "validate_policy",
]
