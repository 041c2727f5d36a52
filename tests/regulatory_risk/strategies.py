"""Builders and hypothesis strategies for the risk tests (no database)."""

import itertools
from dataclasses import replace

from hypothesis import assume
from hypothesis import strategies as st

from samsvar.regulatory.risk import (
    BenefitRiskFacts,
    ControlFacts,
    ControlKind,
    HazardFacts,
    OverallFacts,
    ProbabilityLevel,
    ProbabilityScale,
    RiskFacts,
    RiskFileFacts,
    RiskPolicy,
    SeverityLevel,
    SeverityScale,
    SituationFacts,
    combine_by_product,
    default_policy,
    estimate,
)
from samsvar.regulatory.risk.control import skipped_kinds


def severity_scale(n):
    return SeverityScale(
        levels=tuple(
            SeverityLevel(
                rank=rank,
                name_en=f"S{rank}",
                name_nb=f"A{rank}",
                definition_en=f"severity {rank}",
                definition_nb=f"alvorlighet {rank}",
            )
            for rank in range(1, n + 1)
        )
    )


def probability_scale(edges):
    """A scale from its edges: [0, e1), [e1, e2), ..., [e_n-1, 1.0]."""
    return ProbabilityScale(
        levels=tuple(
            ProbabilityLevel(
                rank=rank,
                name_en=f"P{rank}",
                name_nb=f"S{rank}",
                definition_en=f"probability {rank}",
                definition_nb=f"sannsynlighet {rank}",
                low=edges[rank - 1],
                high=edges[rank],
            )
            for rank in range(1, len(edges))
        ),
        basis="per_use",
        basis_en="per use",
        basis_nb="per bruk",
    )


def diagonal_matrix(n_s, n_p, limit=None):
    """Acceptable exactly when S + P <= limit (default: the anti-diagonal of a square)."""
    limit = limit if limit is not None else max(n_s, n_p) + 1
    return {(s, p): s + p <= limit for s in range(1, n_s + 1) for p in range(1, n_p + 1)}


def make_policy(n_s=5, n_p=5, *, edges=None, matrix=None, combination=None):
    edges = edges or [0.0, *(10.0 ** (k - n_p) for k in range(1, n_p)), 1.0]
    scale = probability_scale(edges)
    return RiskPolicy(
        severity=severity_scale(n_s),
        probability=scale,
        combination=combination if combination is not None else combine_by_product(scale),
        matrix=matrix if matrix is not None else diagonal_matrix(n_s, n_p),
        overall_method_en="All residual risks together, against the clinical benefit.",
        overall_method_nb="Alle restrisikoer samlet, mot den kliniske nytten.",
    )


def replace_level(policy, subject, which, **changes):
    """The policy with one level of the severity or probability scale changed."""
    scale = getattr(policy, subject)
    levels = tuple(replace(lv, **changes) if lv.rank == which else lv for lv in scale.levels)
    return replace(policy, **{subject: replace(scale, levels=levels)})


# --- policies ----------------------------------------------------------------------------------


@st.composite
def edges(draw, n):
    """n + 1 strictly increasing range edges from 0 to 1."""
    if draw(st.booleans()):
        inner = draw(st.lists(st.integers(-12, -1), min_size=n - 1, max_size=n - 1, unique=True))
        points = sorted(10.0**k for k in inner)
    else:
        inner = draw(
            st.lists(
                st.floats(1e-9, 0.999, allow_nan=False), min_size=n - 1, max_size=n - 1, unique=True
            )
        )
        points = sorted(inner)
    result = [0.0, *points, 1.0]
    # Real scales have ranges wider than floating-point noise: keep neighbouring edges 1 % apart.
    assume(all(b > a * 1.01 for a, b in itertools.pairwise(result[1:])))
    return result


@st.composite
def probability_scales(draw, n=None):
    n = n or draw(st.integers(3, 7))
    scale = probability_scale(draw(edges(n)))
    # The order of the levels in the tuple does not matter.
    return replace(scale, levels=tuple(draw(st.permutations(scale.levels))))


@st.composite
def monotone_tables(draw, n):
    """P non-decreasing in P1 and in P2 and never above min(P1, P2)."""
    table = {}
    for p1 in range(1, n + 1):
        for p2 in range(1, n + 1):
            lower = max(table.get((p1 - 1, p2), 1), table.get((p1, p2 - 1), 1))
            table[(p1, p2)] = draw(st.integers(lower, min(p1, p2)))
    return table


@st.composite
def monotone_matrices(draw, n_s, n_p):
    """Acceptable cells form a down-set: per severity, P ranks up to a threshold that does not
    grow with severity."""
    thresholds = sorted(
        draw(st.lists(st.integers(0, n_p), min_size=n_s, max_size=n_s)), reverse=True
    )
    return {(s, p): p <= thresholds[s - 1] for s in range(1, n_s + 1) for p in range(1, n_p + 1)}


@st.composite
def valid_policies(draw):
    n_s = draw(st.integers(3, 7))
    scale = draw(probability_scales())
    n_p = scale.size
    product = draw(st.booleans())
    combination = combine_by_product(scale) if product else draw(monotone_tables(n_p))
    return RiskPolicy(
        severity=severity_scale(n_s),
        probability=scale,
        combination=combination,
        matrix=draw(monotone_matrices(n_s, n_p)),
        overall_method_en="method",
        overall_method_nb="metode",
        combination_method="product" if product else "table",
    )


# --- risk files --------------------------------------------------------------------------------

TEXT = st.text(alphabet="abc xyz", min_size=1, max_size=8).filter(str.strip)
RANKS = st.integers(1, 5)


def estimates(policy=None):
    policy = policy or default_policy()
    return st.builds(lambda s, p1, p2: estimate(policy, s, p1, p2), RANKS, RANKS, RANKS)


def good_control(id, kind):
    return ControlFacts(
        id=id,
        kind=kind,
        name=f"control {id}",
        implementation_verified=True,
        effectiveness_verified=True,
        safety_information="IFU section 4: do not ..." if kind is ControlKind.INFORMATION else "",
        new_risks_reviewed=True,
    )


GOOD_ANALYSIS = BenefitRiskFacts(
    conclusion="Benefits outweigh.", benefits_outweigh=True, approved=True
)


@st.composite
def complete_risk(draw, id, situation_id, controls):
    before = draw(estimates())
    chosen = (
        draw(st.lists(st.sampled_from(controls), unique_by=lambda c: c.id, max_size=3))
        if (controls)
        else []
    )
    residual = draw(estimates()) if chosen else None
    kinds = {c.kind for c in chosen}
    rationale = draw(TEXT) if skipped_kinds(kinds) else draw(st.one_of(st.just(""), TEXT))
    justification = draw(TEXT) if not chosen else draw(st.one_of(st.just(""), TEXT))
    final = residual if chosen else before
    if not final.acceptable:
        analysis = GOOD_ANALYSIS
    else:  # an analysis of an acceptable risk is never required, whatever it says
        analysis = draw(
            st.one_of(
                st.none(),
                st.builds(BenefitRiskFacts, conclusion=st.text(max_size=3), approved=st.booleans()),
            )
        )
    significant = draw(st.booleans())
    return RiskFacts(
        id=id,
        situation_id=situation_id,
        name=f"risk {id}",
        estimate=before,
        control_ids=tuple(c.id for c in chosen),
        control_rationale=rationale,
        residual=residual,
        afap_justification=justification,
        benefit_risk=analysis,
        significant=significant,
        disclosed=True if significant else draw(st.booleans()),
    )


@st.composite
def complete_files(draw):
    kinds = draw(st.lists(st.sampled_from(list(ControlKind)), max_size=5))
    controls = [good_control(f"C{i}", kind) for i, kind in enumerate(kinds, start=1)]
    hazards, situations, risks = [], [], []
    for h in range(1, draw(st.integers(1, 3)) + 1):
        hazards.append(HazardFacts(id=f"H{h}", name=f"hazard {h}"))
        for s in range(1, draw(st.integers(1, 3)) + 1):
            sid = f"H{h}S{s}"
            situations.append(SituationFacts(id=sid, hazard_id=f"H{h}"))
            for r in range(1, draw(st.integers(1, 2)) + 1):
                risks.append(draw(complete_risk(f"{sid}R{r}", sid, controls)))
    return RiskFileFacts(
        plan_approved=True,
        hazards=tuple(hazards),
        situations=tuple(situations),
        risks=tuple(risks),
        controls=tuple(controls),
        overall=OverallFacts(conclusion="Acceptable.", acceptable=True),
    )
