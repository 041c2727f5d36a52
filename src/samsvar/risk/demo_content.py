"""The content of Fjordmed's two demo risk management files (ISO 14971:2019), as plain data.

`PUMP_FILE` is the complete, approved file of the Fjordmed InsuPump 3 (ambulatory insulin
infusion pump, MDR class IIb under Rule 12, with a tubed infusion set, a bolus calculator in its
firmware and an optional Bluetooth link to the InsuLog app, used at home by lay people with
diabetes). `METER_FILE` is the Fjordmed GlucoSure blood-glucose meter for self-testing (IVDR
class C): an approved plan and an analysis that has only begun, so the completeness check has
real gaps to show. The records are data, so their texts are English; the interface around them is
bilingual.

Structure. A `RiskFile` holds, in the order a loader creates them:

1. `plan` (4.4) and `analysis` (5.2: intended use and reasonably foreseeable misuse);
2. `hazards` (5.4), each in a category of `samsvar.regulatory.risk.catalogue`;
3. `harms` with their severity rank and `situations`, each of one hazard with its sequence of
   events;
4. `risks` (5.5): one hazardous situation-harm pair each, with P1 and P2, and after control the
   residual P1, P2 and (only where a control lowers it) the residual severity; the "as far as
   possible" justification, the rationale for the control options and the disclosure;
5. `controls` (7.1-7.5), each naming the risks it controls, with the verification of its
   implementation and of its effectiveness. They are listed in priority order of their kind
   (inherent safety, protective measures, information for safety), so a loader that creates them
   one by one never meets a risk that holds only a lower-priority kind in passing;
6. hazards and situations with `introduced_by` name the control that brought them in (7.5): a
   loader creates them, with their risks, after that control;
7. `safety` answers (5.3) for the topics of the catalogue, naming the hazards each raised;
8. `benefit_risk` analyses (7.4), `overall` (8), `production_info` (10), `fmea` worksheets and
   `review_conclusions` (9).

Records refer to each other by stable local keys ("H-drive-fault", "HS-decimal-bolus",
"R-decimal-fatal", "RC-bolus-limits"), never by number: the numbers (H-001, ...) are given
by the services when the records are created. Field names are those of `samsvar.risk.models`, and
`values()` on a record gives the fields a service takes, without its key and its references
(listed in `LINKS`).

Ranks follow the ready 5 x 5 policy (`samsvar.regulatory.risk.default_policy`): severity 1
negligible, 2 minor, 3 serious, 4 critical, 5 catastrophic; probability 1 improbable (< 1e-6), 2
remote (1e-6 to 1e-4), 3 occasional (1e-4 to 1e-3), 4 probable (1e-3 to 1e-2), 5 frequent
(>= 1e-2) per use. For the pump one use is one pump-day (a day of therapy on one pump), for the
meter one blood-glucose test. A verification's `verified_by` is the user name of one of the
demo people (`samsvar.accounts.demo`); the people named in the plans are the same staff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, ClassVar

PUMP_DEVICE = "Fjordmed InsuPump 3"
METER_DEVICE = "Fjordmed GlucoSure"

# Control kinds (samsvar.regulatory.risk.ControlKind values).
INHERENT = "inherent_safety"
PROTECTIVE = "protective"
INFORMATION = "information"

# Answers to a safety question (samsvar.risk.models.Answer values).
YES = "yes"
NO = "no"
NOT_APPLICABLE = "not_applicable"


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Record:
    LINKS: ClassVar[tuple[str, ...]] = ()

    def values(self) -> dict[str, Any]:
        """The record's own fields under the model's names, without its key and references."""
        skip = {"key", *self.LINKS}
        return {
            field.name: getattr(self, field.name)
            for field in dataclasses.fields(self)
            if field.name not in skip
        }


@dataclasses.dataclass(frozen=True, kw_only=True)
class Plan(_Record):
    """The risk management plan (4.4); the policy is the ready 5 x 5 one. `approved`: the plan
    carries an e-signature with the meaning "approved"."""

    LINKS = ("approved",)

    scope: str
    lifecycle_phases: str
    responsibilities: str
    review_requirements: str
    verification_activities: str
    production_information: str
    overall_method: str
    overall_criteria: str
    approved: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class Analysis(_Record):
    """Intended use and reasonably foreseeable misuse (5.2)."""

    intended_use: str
    foreseeable_misuse: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class SafetyAnswer(_Record):
    """The answer to one question on characteristics related to safety (5.3); `topic_key` is a
    key of `catalogue.all_safety_topics()`, `hazards` the keys of the hazards it raised."""

    LINKS = ("hazards",)

    topic_key: str
    answer: str
    notes: str
    hazards: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, kw_only=True)
class Hazard(_Record):
    """A potential source of harm (5.4) in a catalogue category."""

    LINKS = ("introduced_by",)

    key: str
    category_key: str
    title: str
    description: str
    origin: str = "catalogue"
    introduced_by: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Harm(_Record):
    """An injury or damage with its severity rank (None: not yet rated)."""

    key: str
    name: str
    description: str
    severity: int | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Situation(_Record):
    """A hazardous situation (5.4): `hazard` is a hazard key."""

    LINKS = ("hazard", "introduced_by")

    key: str
    hazard: str
    description: str
    sequence_of_events: str
    introduced_by: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Risk(_Record):
    """A hazardous situation-harm pair (5.5, 6, 7.3). P1 and P2 None: not yet estimated."""

    LINKS = ("situation", "harm")

    key: str
    situation: str
    harm: str
    p1: int | None
    p2: int | None
    residual_p1: int | None = None
    residual_p2: int | None = None
    residual_severity: int | None = None
    afap_justification: str = ""
    control_option_rationale: str = ""
    disclose: bool = False
    disclosure_text: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Verification(_Record):
    """The verification of a control's implementation or effectiveness (7.2): the arguments of
    `samsvar.risk.services.control_verify` besides the control and the aspect."""

    evidence: str
    result: str
    date: dt.date
    verified_by: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class Control(_Record):
    """A risk control measure (7.1-7.5) and the risks it controls."""

    LINKS = ("risks", "implementation_verification", "effectiveness_verification")

    key: str
    kind: str
    description: str
    implementation: str
    risks: tuple[str, ...]
    safety_information_text: str = ""
    implementation_verification: Verification | None = None
    effectiveness_verification: Verification | None = None
    new_risks_reviewed: bool = False
    new_risks_notes: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class BenefitRisk(_Record):
    """A benefit-risk analysis (7.4) of residual risks that are not acceptable; `approved`: it
    carries an e-signature with the meaning "approved"."""

    LINKS = ("risks", "approved")

    key: str
    title: str
    risks: tuple[str, ...]
    benefits: str
    analysis: str
    conclusion: str
    approved: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class Overall(_Record):
    """The evaluation of the overall residual risk (8)."""

    method: str
    analysis: str
    conclusion: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProductionInfo(_Record):
    """An item of production or post-production information (10). `occurrences` of the
    hazardous situation `situation` were observed in `exposure` uses (pump-days)."""

    LINKS = ("hazards", "risks", "situation")

    key: str
    source: str
    date: dt.date
    reference: str
    description: str
    hazards: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    situation: str = ""
    occurrences: int | None = None
    exposure: int | None = None
    finding: str = "none"


@dataclasses.dataclass(frozen=True, kw_only=True)
class FmeaRow(_Record):
    """A failure mode with S, O and D from 1 to 10; `hazard` is the hazard key it feeds."""

    LINKS = ("hazard",)

    item_function: str
    failure_mode: str
    effect: str
    cause: str
    severity: int
    occurrence: int
    detection: int
    actions: str = ""
    hazard: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class FmeaWorksheet(_Record):
    """A design, process or use FMEA worksheet and its rows in order."""

    LINKS = ("rows",)

    key: str
    kind: str
    title: str
    rows: tuple[FmeaRow, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class RiskFile:
    """The risk management file of one device (see the module docstring for the order)."""

    device: str
    plan: Plan
    analysis: Analysis
    safety: tuple[SafetyAnswer, ...]
    hazards: tuple[Hazard, ...]
    harms: tuple[Harm, ...]
    situations: tuple[Situation, ...]
    risks: tuple[Risk, ...]
    controls: tuple[Control, ...] = ()
    benefit_risk: tuple[BenefitRisk, ...] = ()
    overall: Overall | None = None
    production_info: tuple[ProductionInfo, ...] = ()
    fmea: tuple[FmeaWorksheet, ...] = ()
    review_conclusions: str = ""


def _verified(evidence: str, date: str, verified_by: str) -> Verification:
    """A passed verification on an ISO date."""
    return Verification(
        evidence=evidence, result="pass", date=dt.date.fromisoformat(date), verified_by=verified_by
    )


# =============================================================================================
# Fjordmed InsuPump 3
# =============================================================================================

PUMP_PLAN = Plan(
    scope=(
        "This plan covers the Fjordmed InsuPump 3 (IP3-100 and the Bluetooth variant IP3-100-BT): "
        "the pump with its firmware (software safety class C), bolus calculator, alarm system, "
        "internal AAA battery, belt clip and the interface to the listed reservoirs and tubed "
        "infusion sets, and the Bluetooth interface to the InsuLog app as far as the pump's side "
        "of it is concerned. The reservoirs, infusion sets and the InsuLog app are separate CE-"
        "marked devices with their own risk files; hazards that arise where they meet the pump "
        "are analysed here. Document RMP-IP3-001 rev C; the file is RMF-IP3."
    ),
    lifecycle_phases=(
        "All life-cycle phases: design and development (from design input DI-IP3 to design "
        "transfer), production at Fjordmed's assembly line in Oslo and at the contract "
        "manufacturer of the housing, storage and transport, installation and training by "
        "diabetes nurses, home use over the 4-year service life, service and return, and "
        "disposal (WEEE, batteries). Probabilities are estimated per pump-day: one day of "
        "therapy on one pump is one use of the device in the sense of the policy."
    ),
    responsibilities=(
        "Managing director (Ingrid Solberg): provides resources, approves the plan, the "
        "benefit-risk analyses and the risk management report. Quality manager and PRRC (Kari "
        "Nordmann): owns the risk management process (SOP-014), chairs the risk reviews and "
        "verifies effectiveness of risk controls. Systems engineer (Jonas Lie): leads the "
        "analysis for the IP3, keeps the FMEAs and implements and verifies controls. "
        "Regulatory affairs manager (Sigrid Bakke): links the file to the GSPR, the IFU and "
        "labelling and to vigilance. An external consultant diabetologist (contract "
        "CON-2025-07) gives the clinical input to severities and to the benefit-risk analyses. "
        "Competence is recorded in the training records (ISO 14971:2019 4.3)."
    ),
    review_requirements=(
        "The risk management team reviews the file at each design review (DR-1 to DR-5), "
        "before design transfer and before release, and at least once a year after release or "
        "sooner when production or post-production information raises a flag. The review "
        "before release confirms that the plan has been carried out, that the overall residual "
        "risk is acceptable and that methods are in place to collect production and "
        "post-production information; it is recorded in samsvar and signed by the managing "
        "director and the quality manager."
    ),
    verification_activities=(
        "Implementation of each control is verified against its design output by test, "
        "inspection or analysis (VER-IP3 reports, software verification SVR-IP3-030). "
        "Effectiveness is verified by test of the protective function under fault conditions, "
        "by the summative usability evaluation UES-IP3-002 for user-dependent controls and "
        "information for safety, and by the clinical evaluation CER-IP3-001. Evidence is "
        "named by document number and revision; a control counts as verified when both "
        "verifications have passed."
    ),
    production_information=(
        "Collected under the PMS plan PMS-IP3-001: complaints and service returns (SOP-021), "
        "trend reports, vigilance reports and field safety notices of similar pumps (BfArM, "
        "DMP, FDA MAUDE searched quarterly), literature searches twice a year, user surveys, "
        "production records and non-conformities of the IP3 line, and the field history of the "
        "predecessor InsuPump 2, which shares the drive, the occlusion detection and the "
        "battery compartment. Each item is entered in samsvar, linked to the hazards and "
        "situations it concerns and reviewed within 30 days; an item pointing to a new hazard, "
        "a higher probability or a worse severity flags the risks for re-review."
    ),
    overall_method=(
        "After all controls are implemented and verified, the risk management team and the "
        "external diabetologist review all residual risks together: their spread in the "
        "matrix, residual risks that lead to the same harm (hypoglycaemia, DKA) or arise in the "
        "same use scenario, the load of warnings on the user, and the comparison with multiple "
        "daily injections by pen and with tubed pumps on the market."
    ),
    overall_criteria=(
        "The overall residual risk is acceptable when every residual risk is either in an "
        "acceptable cell or justified by an approved, favourable benefit-risk analysis, the "
        "summed residual risk of severe hypoglycaemia and of DKA is no higher than with "
        "multiple daily injections as reported in the clinical evaluation, and the benefits of "
        "continuous subcutaneous insulin infusion shown in CER-IP3-001 outweigh it."
    ),
    approved=True,
)

PUMP_ANALYSIS = Analysis(
    intended_use=(
        "Continuous subcutaneous infusion of rapid-acting U-100 insulin at programmed basal "
        "rates and on-demand boluses, for the management of diabetes mellitus in people who "
        "need insulin, adults and children from 2 years, at home and on the move. The pump is "
        "started and set up (basal rates, bolus calculator settings, limits) by a healthcare "
        "professional after training by a diabetes nurse; day-to-day it is used by the person "
        "with diabetes or a caregiver, who are lay users. It is worn for 24 hours a day on a "
        "belt or in a pocket, with a tubed infusion set changed every 2 to 3 days. The IP3-100-"
        "BT variant sends delivery history, insulin on board and alarms to the InsuLog app on "
        "the user's phone; all dosing is set on the pump itself."
    ),
    foreseeable_misuse=(
        "Filling the reservoir with insulin of another concentration (U-200) or with insulin "
        "that has expired or been overheated; wearing an infusion set longer than 3 days; "
        "reusing reservoirs; using reservoirs or infusion sets not listed as compatible; "
        "swimming or bathing with the pump connected; ignoring or silencing alarms repeatedly; "
        "giving a second bolus when unsure whether the first was given; dosing on insulin on "
        "board read from an app screen that is out of date; leaving the pump suspended; wearing "
        "the pump in an MRI scanner; letting a small child play with the tubing; and trying to "
        "control the pump from unofficial apps."
    ),
)

PUMP_HARMS = (
    Harm(
        key="HM-hypo-mild",
        name="Mild hypoglycaemia",
        description=(
            "Low blood glucose with shakiness, sweating or hunger that the person treats with "
            "fast-acting carbohydrate, without help from others."
        ),
        severity=2,
    ),
    Harm(
        key="HM-hypo-severe",
        name="Severe hypoglycaemia",
        description=(
            "Low blood glucose with confusion, seizure or loss of consciousness, needing help "
            "from another person, glucagon or emergency care; can be life-threatening."
        ),
        severity=4,
    ),
    Harm(
        key="HM-hypo-fatal",
        name="Death from hypoglycaemia",
        description="Fatal hypoglycaemia, for example during sleep or while driving.",
        severity=5,
    ),
    Harm(
        key="HM-hyper",
        name="Hyperglycaemia",
        description=(
            "High blood glucose for some hours, noticed and corrected by the person with a "
            "correction bolus or pen injection, without ketoacidosis."
        ),
        severity=2,
    ),
    Harm(
        key="HM-dka",
        name="Diabetic ketoacidosis",
        description=(
            "Ketoacidosis after hours without insulin, needing treatment in hospital; "
            "life-threatening if not treated."
        ),
        severity=4,
    ),
    Harm(
        key="HM-site-infection",
        name="Infusion-site infection",
        description=(
            "Local infection or abscess at the cannula site needing antibiotics or drainage."
        ),
        severity=3,
    ),
    Harm(
        key="HM-dermatitis",
        name="Allergic contact dermatitis",
        description="Allergic skin reaction to the adhesive needing treatment by a physician.",
        severity=3,
    ),
    Harm(
        key="HM-skin-irritation",
        name="Skin irritation",
        description="Redness or itching at the contact site that heals by itself within days.",
        severity=2,
    ),
    Harm(
        key="HM-burn",
        name="Skin burn",
        description="Burn of the skin under the pump needing medical treatment.",
        severity=3,
    ),
    Harm(
        key="HM-tinnitus",
        name="Passing ringing in the ears",
        description="Short-lived ringing in the ears after a loud sound close to the ear.",
        severity=1,
    ),
    Harm(
        key="HM-strangulation",
        name="Strangulation by the tubing",
        description=(
            "Death or brain injury of a small child after the tubing wraps around the neck."
        ),
        severity=5,
    ),
)

PUMP_HAZARDS = (
    # Energy
    Hazard(
        key="H-battery-heat",
        category_key="energy.thermal",
        title="Heat from a shorted or damaged battery",
        description=(
            "The AAA cell in the battery compartment can heat up when it is short-circuited, "
            "inserted the wrong way round or crushed."
        ),
    ),
    Hazard(
        key="H-magnetic-field",
        category_key="energy.electromagnetic",
        title="Strong magnetic field acting on the drive motor",
        description=(
            "The static and gradient fields of an MRI scanner, and strong permanent magnets, "
            "can turn the motor or disturb the electronics."
        ),
    ),
    Hazard(
        key="H-stored-pressure",
        category_key="energy.pressure",
        title="Pressure stored in the fluid path behind an occlusion",
        description=(
            "While the infusion set is blocked the drive keeps pushing; the pressure stored in "
            "the reservoir and tubing is released as a bolus when the blockage clears."
        ),
    ),
    Hazard(
        key="H-tubing-force",
        category_key="energy.mechanical",
        title="Pulling force on the tubing",
        description=(
            "The tubing of the infusion set can catch on door handles or furniture, or be "
            "pulled by a child, pulling the cannula out or tightening around a body part."
        ),
    ),
    Hazard(
        key="H-alarm-sound",
        category_key="energy.acoustic",
        title="Loud alarm sound close to the ear",
        description="The high-priority alarm at maximum volume when the pump lies by the ear.",
    ),
    # Biological and chemical
    Hazard(
        key="H-site-microbes",
        category_key="biological_chemical.biological_agents",
        title="Micro-organisms at the infusion site",
        description="Skin bacteria carried into the tissue along the cannula.",
    ),
    Hazard(
        key="H-adhesive",
        category_key="biological_chemical.allergenic",
        title="Adhesive of the infusion-set patch",
        description="Acrylate adhesive in skin contact for up to 3 days per set, for years.",
    ),
    Hazard(
        key="H-cleaning-residue",
        category_key="biological_chemical.residues",
        title="Residues of cleaning agents on the housing",
        description="Residues of the agents used to clean the pump, in contact with the skin.",
    ),
    Hazard(
        key="H-unfit-insulin",
        category_key="biological_chemical.delivered_substance",
        title="Insulin that is not fit to be delivered",
        description=(
            "Insulin of the wrong concentration, or insulin that has lost potency through heat, "
            "in the reservoir."
        ),
    ),
    # Operational
    Hazard(
        key="H-drive-fault",
        category_key="operational.incorrect_output",
        title="Drive delivers more or less insulin than commanded",
        description=(
            "A fault of the motor driver, the motor or the delivery timing makes the drive "
            "deliver more or less than the programmed basal and bolus amounts."
        ),
    ),
    Hazard(
        key="H-bolus-calculator",
        category_key="operational.incorrect_output",
        title="Bolus calculator suggests a wrong dose",
        description=(
            "The suggested bolus is wrong because insulin on board or the calculator settings "
            "(carbohydrate ratio, insulin sensitivity, target) are wrong."
        ),
    ),
    Hazard(
        key="H-flow-interrupted",
        category_key="operational.loss_of_function",
        title="Interrupted insulin flow",
        description=(
            "Insulin does not reach the tissue because the cannula or tubing is blocked, there "
            "is air in the tubing or the connection leaks, while the pump keeps running."
        ),
    ),
    Hazard(
        key="H-delivery-stop",
        category_key="operational.loss_of_function",
        title="Delivery stops",
        description="The pump stops delivering because the battery is empty or the firmware halts.",
    ),
    Hazard(
        key="H-app-data",
        category_key="operational.data_transfer",
        title="Out-of-date data in the InsuLog app",
        description=(
            "History and insulin on board shown in the app are old because the Bluetooth "
            "link dropped, while the screen looks current."
        ),
    ),
    Hazard(
        key="H-entry-error",
        category_key="operational.use_error",
        title="Wrong entry or handling by the user",
        description=(
            "Slips, lapses and mistakes when entering a bolus, suspending delivery or checking "
            "whether a bolus was given."
        ),
    ),
    Hazard(
        key="H-set-wear",
        category_key="operational.maintenance",
        title="Infusion set worn beyond its wear time",
        description="Infusion sets worn for longer than the 3 days they are made for.",
    ),
    # Information
    Hazard(
        key="H-sick-day-instructions",
        category_key="information.instructions",
        title="Unclear instructions for unexplained high glucose",
        description=(
            "Without clear instructions the user does not know that unexplained high glucose "
            "on a pump can mean no insulin is reaching the body."
        ),
    ),
    Hazard(
        key="H-water-warning",
        category_key="information.warnings",
        title="Missing or unnoticed warning about water",
        description=(
            "The pump is splash-proof (IP22) but not waterproof; a user who does not know this "
            "bathes or swims with it."
        ),
    ),
    Hazard(
        key="H-service-life-label",
        category_key="information.labelling",
        title="End of the service life not visible",
        description=(
            "The user cannot see from the pump when its 4-year service life ends and keeps "
            "using a worn drive."
        ),
    ),
    Hazard(
        key="H-bluetooth-access",
        category_key="information.security",
        title="Unauthorised access over Bluetooth",
        description=(
            "Someone in radio range pairs with the pump or replays its messages to read data "
            "or send commands."
        ),
    ),
)

# Brought in by the auto-off control (RC-auto-off, ISO 14971:2019 7.5); created after it.
PUMP_INTRODUCED_HAZARDS = (
    Hazard(
        key="H-auto-off",
        category_key="operational.loss_of_function",
        title="Delivery suspended by the auto-off function",
        description=(
            "Auto-off suspends delivery when no button has been pressed for the set period, "
            "also in a user who is well but has not touched the pump."
        ),
        introduced_by="RC-auto-off",
    ),
)

PUMP_SITUATIONS = (
    Situation(
        key="HS-battery-short",
        hazard="H-battery-heat",
        description="A hot battery cell in the pump worn against the skin under clothing.",
        sequence_of_events=(
            "A damaged or wrong cell is inserted, or the cell is short-circuited by a crack in "
            "the compartment; current flows unchecked and the cell heats up while the pump is "
            "worn under clothing, in contact with the skin."
        ),
    ),
    Situation(
        key="HS-mri",
        hazard="H-magnetic-field",
        description="The person wears the pump in an MRI scanner room.",
        sequence_of_events=(
            "The person goes for an MRI examination and does not take the pump off; the "
            "magnetic field turns the motor and insulin is delivered that was not commanded."
        ),
    ),
    Situation(
        key="HS-bolus-on-release",
        hazard="H-stored-pressure",
        description="Stored pressure is released as an unplanned bolus when a kink clears.",
        sequence_of_events=(
            "The tubing is kinked under a belt; pressure builds up in the reservoir and tubing; "
            "the user straightens the tubing and the stored volume is delivered at once."
        ),
    ),
    Situation(
        key="HS-cannula-pulled-out",
        hazard="H-tubing-force",
        description="The cannula is pulled out and insulin runs onto the skin unnoticed.",
        sequence_of_events=(
            "The tubing catches on a door handle; the cannula is pulled out of the skin; the "
            "pump keeps delivering onto the skin and no alarm sounds because the flow is free."
        ),
    ),
    Situation(
        key="HS-tubing-child",
        hazard="H-tubing-force",
        description="A small child gets the tubing around the neck.",
        sequence_of_events=(
            "A small child wearing a pump, or playing near a parent's pump, loops the long "
            "tubing around the neck while unsupervised, for example in bed."
        ),
    ),
    Situation(
        key="HS-alarm-at-ear",
        hazard="H-alarm-sound",
        description="A high-priority alarm sounds with the pump next to the ear.",
        sequence_of_events=(
            "The pump lies under the pillow at night; an occlusion alarm sounds at full volume "
            "a few centimetres from the ear."
        ),
    ),
    Situation(
        key="HS-insertion-contamination",
        hazard="H-site-microbes",
        description="Bacteria are carried into the tissue when a set is inserted.",
        sequence_of_events=(
            "The user inserts a new infusion set without washing hands or cleaning the skin; "
            "skin bacteria follow the cannula into the subcutaneous tissue."
        ),
    ),
    Situation(
        key="HS-adhesive-contact",
        hazard="H-adhesive",
        description="Adhesive of the patch on the same skin areas for years.",
        sequence_of_events=(
            "Sets are changed every 2 to 3 days on a few favourite sites; the adhesive stays "
            "on the same skin areas again and again over years of use."
        ),
    ),
    Situation(
        key="HS-cleaning-agent",
        hazard="H-cleaning-residue",
        description="Cleaning-agent residue on the pump touches the skin.",
        sequence_of_events=(
            "The user cleans the pump with a household disinfectant that is not listed and "
            "does not wipe it dry; the residue touches the skin at the belt or in a pocket."
        ),
    ),
    Situation(
        key="HS-overheated-insulin",
        hazard="H-unfit-insulin",
        description="Insulin that has lost potency through heat is delivered.",
        sequence_of_events=(
            "The pump is left in the sun, in a hot car or worn in a sauna; the insulin in the "
            "reservoir is heated above 37 °C and loses potency; basal and boluses no longer "
            "lower glucose as they should."
        ),
    ),
    Situation(
        key="HS-u200",
        hazard="H-unfit-insulin",
        description="The reservoir is filled with U-200 insulin and doses are doubled.",
        sequence_of_events=(
            "A user who also uses U-200 pens fills the reservoir from a U-200 cartridge; the "
            "pump counts in U-100 units, so every basal rate and bolus gives twice the insulin."
        ),
    ),
    Situation(
        key="HS-motor-runaway",
        hazard="H-drive-fault",
        description="The motor runs without a command and delivers insulin continuously.",
        sequence_of_events=(
            "A switching transistor of the motor driver fails short; the motor runs whenever "
            "power is on; insulin is delivered until the reservoir is empty."
        ),
    ),
    Situation(
        key="HS-basal-under-delivery",
        hazard="H-drive-fault",
        description="Basal insulin is delivered at a lower rate than programmed.",
        sequence_of_events=(
            "A timing fault in the firmware skips basal steps over several hours; less basal "
            "insulin is delivered than programmed, without any sign to the user."
        ),
    ),
    Situation(
        key="HS-iob-after-time-change",
        hazard="H-bolus-calculator",
        description="A bolus is suggested on too low an insulin on board after a time change.",
        sequence_of_events=(
            "The user changes the time zone after a flight; insulin on board counted on the "
            "clock drops to zero; the calculator suggests a full correction bolus on top of "
            "insulin still acting."
        ),
    ),
    Situation(
        key="HS-wrong-calculator-settings",
        hazard="H-bolus-calculator",
        description="Boluses are suggested from wrongly entered calculator settings.",
        sequence_of_events=(
            "At the start of pump therapy the carbohydrate ratio is entered as 1 g/U instead of "
            "10 g/U; every meal bolus suggested afterwards is ten times too large."
        ),
    ),
    Situation(
        key="HS-slow-occlusion",
        hazard="H-flow-interrupted",
        description="The cannula is blocked for hours at a low basal rate before anyone notices.",
        sequence_of_events=(
            "The cannula kinks under the skin at night; at a basal rate of 0.3 U/h the pressure "
            "rises slowly; no insulin reaches the tissue for several hours."
        ),
    ),
    Situation(
        key="HS-air-in-tubing",
        hazard="H-flow-interrupted",
        description="Air in the tubing is delivered instead of insulin.",
        sequence_of_events=(
            "The reservoir is filled with insulin straight from the fridge and bubbles form; "
            "the air moves into the tubing and is pushed into the tissue instead of insulin."
        ),
    ),
    Situation(
        key="HS-connector-leak",
        hazard="H-flow-interrupted",
        description="Insulin leaks at the reservoir connector inside the compartment.",
        sequence_of_events=(
            "The reservoir adapter is not fully seated after a change; insulin leaks into the "
            "compartment instead of flowing to the tubing."
        ),
    ),
    Situation(
        key="HS-battery-depleted",
        hazard="H-delivery-stop",
        description="Delivery stops on an empty battery while the user is asleep or away.",
        sequence_of_events=(
            "The user silences the low-battery alarm and forgets to change the battery; the "
            "cell is exhausted at night and delivery stops."
        ),
    ),
    Situation(
        key="HS-firmware-halt",
        hazard="H-delivery-stop",
        description="The firmware stops and delivery with it, without the user noticing.",
        sequence_of_events=(
            "A software fault makes the main processor hang; basal delivery stops; the display "
            "freezes on its last screen."
        ),
    ),
    Situation(
        key="HS-stale-app-data",
        hazard="H-app-data",
        description="A bolus is decided on insulin on board read from out-of-date app data.",
        sequence_of_events=(
            "The Bluetooth link drops in the afternoon; the app still shows the insulin on "
            "board from hours earlier; the user reads it as current and gives a bolus by pen "
            "or on the pump without checking the pump."
        ),
    ),
    Situation(
        key="HS-decimal-bolus",
        hazard="H-entry-error",
        description="A bolus ten times too large is entered and confirmed.",
        sequence_of_events=(
            "In a hurry before a meal the user means 1.5 U and enters 15 U, or means 0.8 U and "
            "enters 8 U; the confirmation is given without reading it and the bolus is delivered."
        ),
    ),
    Situation(
        key="HS-suspend-not-resumed",
        hazard="H-entry-error",
        description="Delivery is suspended and not resumed.",
        sequence_of_events=(
            "The user suspends delivery for a shower, reconnects afterwards and forgets to "
            "resume; no basal insulin is delivered for hours."
        ),
    ),
    Situation(
        key="HS-double-bolus",
        hazard="H-entry-error",
        description="A second bolus is given because the user is unsure about the first.",
        sequence_of_events=(
            "The user is interrupted during a meal bolus and cannot remember whether it was "
            "given; a second full bolus is given on top of the first."
        ),
    ),
    Situation(
        key="HS-set-worn-too-long",
        hazard="H-set-wear",
        description="An infusion set stays in place for 5 days or more.",
        sequence_of_events=(
            "To save sets the user keeps the same set for 5 to 7 days; the site becomes "
            "inflamed and insulin absorption falls."
        ),
    ),
    Situation(
        key="HS-auto-off-in-sleep",
        hazard="H-auto-off",
        description="Auto-off suspends delivery in a user who is well but sleeps long.",
        sequence_of_events=(
            "Auto-off is set to 12 hours; after a late night the user sleeps through the "
            "pre-alarm; delivery is suspended until the user wakes to the auto-off alarm."
        ),
        introduced_by="RC-auto-off",
    ),
    Situation(
        key="HS-high-glucose-not-acted-on",
        hazard="H-sick-day-instructions",
        description="Unexplained high glucose is treated with more pump boluses only.",
        sequence_of_events=(
            "Glucose stays high for hours; the user gives repeated correction boluses through "
            "a set that no longer delivers, and does not check ketones or change the set."
        ),
    ),
    Situation(
        key="HS-swimming",
        hazard="H-water-warning",
        description="The pump is taken into water and water gets inside.",
        sequence_of_events=(
            "The user swims or takes a bath with the pump connected; water enters through the "
            "battery cap; the electronics fail and delivery stops with an error."
        ),
    ),
    Situation(
        key="HS-beyond-service-life",
        hazard="H-service-life-label",
        description="The pump is used years past its service life with a worn drive.",
        sequence_of_events=(
            "The pump is kept in use for 6 years; the lead-screw nut wears and the drive "
            "slips, so less insulin is delivered than counted."
        ),
    ),
    Situation(
        key="HS-bluetooth-command",
        hazard="H-bluetooth-access",
        description="An attacker in radio range sends a bolus command to the pump.",
        sequence_of_events=(
            "An attacker pairs a phone with the pump or replays recorded messages and sends "
            "a command to deliver a large bolus."
        ),
    ),
)

# Why higher-priority control options are not practicable (ISO 14971:2019 7.1), shared by the
# risks of one hazardous situation.
_WHY_MRI = (
    "A drive that is not affected by MRI fields would need a non-magnetic motor, which is not "
    "available in the size and power of an ambulatory pump; MR Conditional pumps on the market "
    "also rely on the patient removing them. The delivery monitor stops uncommanded motion and "
    "the warning keeps the pump out of the scanner room."
)
_WHY_RELEASE = (
    "The pressure is stored in the compliance of the reservoir and tubing, which are separate "
    "devices; a stiffer path would raise the occlusion pressure and delay the alarm. Releasing "
    "the pressure after the alarm is the practicable measure."
)
_WHY_TUBING = (
    "The tubing is what connects a body-worn tubed pump to the infusion site; a patch pump is a "
    "different device, and a breakaway connector belongs to the separately CE-marked infusion "
    "sets, whose manufacturers offer it. No sensor in the pump can tell that insulin reaches "
    "the skin instead of the tissue, because the flow is free. The IFU and training on handling "
    "the tubing, and the sick-day rules, are the practicable measures."
)
_WHY_SITE = (
    "The cannula and its adhesive belong to the separately CE-marked sterile infusion sets; the "
    "pump cannot change their design or sense the state of the skin. Site preparation, site "
    "rotation and the timely change of the set are in the user's hands, so information and "
    "training are the practicable measures."
)
_WHY_HEAT = (
    "Insulin loses potency above 37 °C whatever holds it; cooling the reservoir would need a "
    "power source and size far beyond an ambulatory pump. Telling users how to protect the "
    "insulin and what to do when it may be spoiled is the practicable measure."
)
_WHY_U200 = (
    "The listed reservoirs are filled by the user from vials or cartridges that carry no code "
    "the pump could read, so the pump cannot know the insulin's concentration; a U-100-only "
    "filling adapter is not practicable because the same cartridges are used for U-100 and "
    "U-200. The dose limits cap the doubled dose, and the label and IFU say U-100 only."
)
_WHY_TIMING = (
    "Timing faults cannot be excluded by design in firmware of this size; it is developed to "
    "EN 62304 class C, and the delivery monitor checks the delivered against the commanded "
    "volume every minute."
)
_WHY_SETTINGS = (
    "The calculator settings are personal and set by the healthcare professional; no design "
    "can know the right values. Plausibility ranges, the HCP PIN, the confirmation screen and "
    "the dose limits are the practicable measures."
)
_WHY_OCCLUSION = (
    "An infusion path that cannot occlude is not possible: kinks and blocked cannulas arise in "
    "the separately CE-marked infusion sets. The force-sensor alarm detects occlusions at all "
    "basal rates; the sick-day rules cover the hours before the alarm."
)
_WHY_AIR = (
    "Bubbles form when cold insulin warms up, whatever the reservoir design, and an air sensor "
    "on the tubing would sit on the separate infusion set. The IFU's filling steps and the "
    "sick-day rules are the practicable measures."
)
_WHY_LEAK = (
    "No sensor detects a leak at the connector: the pressure does not rise, so the occlusion "
    "alarm cannot fire. The keyed connector makes the leak unlikely; the sick-day rules cover "
    "the rest."
)
_WHY_BATTERY = (
    "A battery cannot be made that never runs out, and a larger cell would make the pump too "
    "big to wear; the pump runs on a standard AAA cell that users can buy everywhere. Early "
    "alarms are the practicable measure."
)
_WHY_HALT = (
    "A firmware halt cannot be excluded by design; the firmware is developed to EN 62304 class "
    "C, and an independent supervisor detects the halt and alarms through its own circuit."
)
_WHY_SUSPEND = (
    "Suspending delivery is needed for showering and some sports and cannot be designed out; "
    "ending it automatically would restart delivery to a pump that may be disconnected. The "
    "reminder and the training are the practicable measures."
)
_WHY_WEAR = (
    "The wear time belongs to the separately CE-marked infusion set, and the pump cannot sense "
    "the state of the site; the change reminder and the site-care instructions are the "
    "practicable measures."
)
_WHY_SICK_DAY = (
    "This situation arises after a delivery failure the pump could not detect (a pulled-out "
    "cannula, a leak or spoiled insulin); it depends on what the user does next, so information "
    "and training are the only practicable measures."
)
_WHY_WATER = (
    "A waterproof (IPX8) pump needs a sealed battery, which would rule out a standard AAA cell; "
    "no sensor can tell that the user is about to go into water. The IP22 housing protects "
    "against splashes; the IFU tells users to disconnect."
)
_WHY_SERVICE_LIFE = (
    "Drive wear cannot be designed out of a lead-screw drive; the pump counts its operating "
    "time and reminds the user from 3 years and 9 months."
)

PUMP_RISKS = (
    Risk(
        key="R-battery-burn",
        situation="HS-battery-short",
        harm="HM-burn",
        p1=2,
        p2=3,
        residual_p1=1,
        residual_p2=3,
        residual_severity=2,
    ),
    Risk(
        key="R-mri-severe",
        situation="HS-mri",
        harm="HM-hypo-severe",
        p1=3,
        p2=4,
        residual_p1=2,
        residual_p2=3,
        control_option_rationale=_WHY_MRI,
    ),
    Risk(
        key="R-mri-fatal",
        situation="HS-mri",
        harm="HM-hypo-fatal",
        p1=3,
        p2=3,
        residual_p1=2,
        residual_p2=2,
        control_option_rationale=_WHY_MRI,
        disclose=True,
        disclosure_text=(
            "MR Unsafe. Take the pump off and leave it outside the scanner room before an MRI "
            "examination. Magnetic fields can make the pump deliver insulin it was not told "
            "to deliver, which can cause severe or fatal hypoglycaemia."
        ),
    ),
    Risk(
        key="R-release-bolus",
        situation="HS-bolus-on-release",
        harm="HM-hypo-mild",
        p1=4,
        p2=4,
        residual_p1=4,
        residual_p2=2,
        control_option_rationale=_WHY_RELEASE,
    ),
    Risk(
        key="R-pulled-out-hyper",
        situation="HS-cannula-pulled-out",
        harm="HM-hyper",
        p1=4,
        p2=5,
        residual_p1=3,
        residual_p2=5,
        control_option_rationale=_WHY_TUBING,
    ),
    Risk(
        key="R-pulled-out-dka",
        situation="HS-cannula-pulled-out",
        harm="HM-dka",
        p1=4,
        p2=3,
        residual_p1=3,
        residual_p2=3,
        control_option_rationale=_WHY_TUBING,
    ),
    Risk(
        key="R-tubing-strangulation",
        situation="HS-tubing-child",
        harm="HM-strangulation",
        p1=1,
        p2=3,
        residual_p1=1,
        residual_p2=2,
        control_option_rationale=_WHY_TUBING,
        disclose=True,
        disclosure_text=(
            "The tubing can wrap around the neck of a small child. Keep the tubing out of "
            "reach of small children, choose the shortest tubing that fits, and run it under "
            "clothing at night."
        ),
    ),
    Risk(
        key="R-alarm-tinnitus",
        situation="HS-alarm-at-ear",
        harm="HM-tinnitus",
        p1=3,
        p2=2,
        afap_justification=(
            "The high-priority alarm is set to the lowest level that wakes a sleeping user "
            "through bedding in the summative usability test (UES-IP3-002) and meets EN "
            "60601-1-8; it cannot be quieter without missed night-time alarms, which would "
            "raise the risk of severe hypoglycaemia and DKA. The harm is passing and negligible."
        ),
    ),
    Risk(
        key="R-insertion-infection",
        situation="HS-insertion-contamination",
        harm="HM-site-infection",
        p1=4,
        p2=3,
        residual_p1=3,
        residual_p2=3,
        control_option_rationale=_WHY_SITE,
    ),
    Risk(
        key="R-adhesive-dermatitis",
        situation="HS-adhesive-contact",
        harm="HM-dermatitis",
        p1=4,
        p2=3,
        residual_p1=4,
        residual_p2=2,
        control_option_rationale=_WHY_SITE,
    ),
    Risk(
        key="R-adhesive-irritation",
        situation="HS-adhesive-contact",
        harm="HM-skin-irritation",
        p1=4,
        p2=5,
        afap_justification=(
            "Mild irritation under an adhesive worn for 3 days is known for every infusion "
            "set; the listed sets use the adhesives with the lowest reported irritation, and "
            "the site rotation in the IFU (RC-site-care) also spreads the load. A weaker "
            "adhesive would let sets come off and interrupt insulin, a worse harm."
        ),
    ),
    Risk(
        key="R-cleaning-irritation",
        situation="HS-cleaning-agent",
        harm="HM-skin-irritation",
        p1=3,
        p2=3,
        afap_justification=(
            "The housing is made to withstand the listed agents (VER-IP3-045) and the IFU "
            "names them; residues of a household agent cause at most passing redness. Allowing "
            "no disinfection at all would raise the risk of infection at the site."
        ),
    ),
    Risk(
        key="R-overheated-hyper",
        situation="HS-overheated-insulin",
        harm="HM-hyper",
        p1=4,
        p2=4,
        residual_p1=3,
        residual_p2=3,
        control_option_rationale=_WHY_HEAT,
    ),
    Risk(
        key="R-overheated-dka",
        situation="HS-overheated-insulin",
        harm="HM-dka",
        p1=4,
        p2=3,
        residual_p1=3,
        residual_p2=3,
        control_option_rationale=_WHY_HEAT,
    ),
    Risk(
        key="R-u200-severe",
        situation="HS-u200",
        harm="HM-hypo-severe",
        p1=3,
        p2=5,
        residual_p1=2,
        residual_p2=4,
        control_option_rationale=_WHY_U200,
    ),
    Risk(
        key="R-u200-fatal",
        situation="HS-u200",
        harm="HM-hypo-fatal",
        p1=3,
        p2=4,
        residual_p1=2,
        residual_p2=3,
        control_option_rationale=_WHY_U200,
        disclose=True,
        disclosure_text=(
            "Use only rapid-acting U-100 insulin. Insulin of any other concentration gives the "
            "wrong dose: U-200 insulin doubles every dose and can cause severe or fatal "
            "hypoglycaemia."
        ),
    ),
    Risk(
        key="R-runaway-severe",
        situation="HS-motor-runaway",
        harm="HM-hypo-severe",
        p1=3,
        p2=5,
        residual_p1=1,
        residual_p2=5,
    ),
    Risk(
        key="R-runaway-fatal",
        situation="HS-motor-runaway",
        harm="HM-hypo-fatal",
        p1=3,
        p2=4,
        residual_p1=1,
        residual_p2=4,
    ),
    Risk(
        key="R-basal-under-hyper",
        situation="HS-basal-under-delivery",
        harm="HM-hyper",
        p1=3,
        p2=5,
        residual_p1=2,
        residual_p2=5,
        control_option_rationale=_WHY_TIMING,
    ),
    Risk(
        key="R-iob-severe",
        situation="HS-iob-after-time-change",
        harm="HM-hypo-severe",
        p1=4,
        p2=4,
        residual_p1=1,
        residual_p2=4,
    ),
    Risk(
        key="R-settings-severe",
        situation="HS-wrong-calculator-settings",
        harm="HM-hypo-severe",
        p1=3,
        p2=4,
        residual_p1=2,
        residual_p2=4,
        control_option_rationale=_WHY_SETTINGS,
    ),
    Risk(
        key="R-slow-occlusion-dka",
        situation="HS-slow-occlusion",
        harm="HM-dka",
        p1=5,
        p2=4,
        residual_p1=2,
        residual_p2=4,
        control_option_rationale=_WHY_OCCLUSION,
        disclose=True,
        disclosure_text=(
            "The pump cannot detect every interruption of insulin flow at once: a blocked "
            "cannula at a low basal rate can take several hours to raise the occlusion alarm, "
            "and a pulled-out cannula or a leak raises none. Check your glucose at least four "
            "times a day; if it stays above 14 mmol/L without a reason, follow the sick-day "
            "rules: check ketones, inject insulin with a pen and change the whole infusion set."
        ),
    ),
    Risk(
        key="R-slow-occlusion-hyper",
        situation="HS-slow-occlusion",
        harm="HM-hyper",
        p1=5,
        p2=5,
        residual_p1=2,
        residual_p2=5,
        control_option_rationale=_WHY_OCCLUSION,
    ),
    Risk(
        key="R-air-hyper",
        situation="HS-air-in-tubing",
        harm="HM-hyper",
        p1=4,
        p2=4,
        residual_p1=3,
        residual_p2=4,
        control_option_rationale=_WHY_AIR,
    ),
    Risk(
        key="R-leak-hyper",
        situation="HS-connector-leak",
        harm="HM-hyper",
        p1=3,
        p2=5,
        residual_p1=2,
        residual_p2=5,
    ),
    Risk(
        key="R-leak-dka",
        situation="HS-connector-leak",
        harm="HM-dka",
        p1=3,
        p2=3,
        residual_p1=2,
        residual_p2=3,
        control_option_rationale=_WHY_LEAK,
    ),
    Risk(
        key="R-battery-dka",
        situation="HS-battery-depleted",
        harm="HM-dka",
        p1=4,
        p2=4,
        residual_p1=2,
        residual_p2=4,
        control_option_rationale=_WHY_BATTERY,
    ),
    Risk(
        key="R-halt-dka",
        situation="HS-firmware-halt",
        harm="HM-dka",
        p1=3,
        p2=4,
        residual_p1=1,
        residual_p2=4,
        control_option_rationale=_WHY_HALT,
    ),
    Risk(
        key="R-stale-data-severe",
        situation="HS-stale-app-data",
        harm="HM-hypo-severe",
        p1=4,
        p2=3,
        residual_p1=2,
        residual_p2=3,
    ),
    Risk(
        key="R-decimal-severe",
        situation="HS-decimal-bolus",
        harm="HM-hypo-severe",
        p1=4,
        p2=5,
        residual_p1=3,
        residual_p2=5,
    ),
    Risk(
        key="R-decimal-fatal",
        situation="HS-decimal-bolus",
        harm="HM-hypo-fatal",
        p1=4,
        p2=4,
        residual_p1=3,
        residual_p2=4,
        disclose=True,
        disclosure_text=(
            "Always read the bolus amount on the confirmation screen before you confirm. A "
            "bolus entered ten times too large, for example 15 U instead of 1.5 U, can cause "
            "severe or fatal hypoglycaemia; the maximum bolus set by your diabetes team limits "
            "but does not prevent this. If you have given too much insulin, eat fast-acting "
            "carbohydrate, check your glucose often and call for help."
        ),
    ),
    Risk(
        key="R-not-resumed-dka",
        situation="HS-suspend-not-resumed",
        harm="HM-dka",
        p1=4,
        p2=4,
        residual_p1=2,
        residual_p2=4,
        control_option_rationale=_WHY_SUSPEND,
    ),
    Risk(
        key="R-double-bolus-severe",
        situation="HS-double-bolus",
        harm="HM-hypo-severe",
        p1=4,
        p2=4,
        residual_p1=2,
        residual_p2=4,
    ),
    Risk(
        key="R-worn-infection",
        situation="HS-set-worn-too-long",
        harm="HM-site-infection",
        p1=4,
        p2=3,
        residual_p1=3,
        residual_p2=3,
        control_option_rationale=_WHY_WEAR,
    ),
    Risk(
        key="R-worn-hyper",
        situation="HS-set-worn-too-long",
        harm="HM-hyper",
        p1=4,
        p2=4,
        residual_p1=3,
        residual_p2=3,
        control_option_rationale=_WHY_WEAR,
    ),
    Risk(
        key="R-auto-off-hyper",
        situation="HS-auto-off-in-sleep",
        harm="HM-hyper",
        p1=3,
        p2=4,
        afap_justification=(
            "Auto-off is off by default; the healthcare professional turns it on only for "
            "users at risk of unnoticed hypoglycaemia, with a period of at least 12 hours and "
            "a pre-alarm 30 minutes before it acts. A longer minimum period would weaken the "
            "protection it gives against continued delivery during a severe hypoglycaemia."
        ),
    ),
    Risk(
        key="R-auto-off-dka",
        situation="HS-auto-off-in-sleep",
        harm="HM-dka",
        p1=3,
        p2=2,
        afap_justification=(
            "The suspension lasts only until the user wakes to the high-priority auto-off "
            "alarm, which repeats until acknowledged; ketoacidosis needs many hours without "
            "insulin. Further reduction would mean removing auto-off, which protects users at "
            "risk of severe hypoglycaemia."
        ),
    ),
    Risk(
        key="R-sick-day-dka",
        situation="HS-high-glucose-not-acted-on",
        harm="HM-dka",
        p1=4,
        p2=4,
        residual_p1=3,
        residual_p2=4,
        control_option_rationale=_WHY_SICK_DAY,
        disclose=True,
        disclosure_text=(
            "If your glucose stays high without a reason, your pump may not be delivering "
            "insulin. Do not only give more boluses with the pump: check ketones, inject "
            "insulin with a pen and change the whole infusion set. Without insulin, diabetic "
            "ketoacidosis can develop within a few hours."
        ),
    ),
    Risk(
        key="R-swimming-hyper",
        situation="HS-swimming",
        harm="HM-hyper",
        p1=3,
        p2=4,
        residual_p1=2,
        residual_p2=4,
        control_option_rationale=_WHY_WATER,
    ),
    Risk(
        key="R-service-life-hyper",
        situation="HS-beyond-service-life",
        harm="HM-hyper",
        p1=3,
        p2=4,
        residual_p1=2,
        residual_p2=4,
        control_option_rationale=_WHY_SERVICE_LIFE,
    ),
    Risk(
        key="R-bluetooth-fatal",
        situation="HS-bluetooth-command",
        harm="HM-hypo-fatal",
        p1=3,
        p2=4,
        residual_p1=1,
        residual_p2=4,
    ),
)

PUMP_DESIGN_CONTROLS = (
    Control(
        key="RC-battery-protection",
        kind=INHERENT,
        description=(
            "Battery compartment that keeps a faulty cell from burning the skin: "
            "reverse-polarity protection, a resettable fuse in series with the cell and a "
            "thermally insulated compartment wall."
        ),
        implementation=(
            "Schematic SCH-IP3-002 rev E (polarity protection, PTC fuse F2) and compartment "
            "drawing DWG-IP3-031 rev C (2 mm insulating wall, air gap to the back cover)."
        ),
        risks=("R-battery-burn",),
        implementation_verification=_verified(
            "VER-IP3-012 rev C electrical safety test report, inspection of F2 and wall",
            "2026-01-20",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "VER-IP3-012 rev C single-fault test: shorted and reversed cell, outer surface at "
            "most 41.2 °C",
            "2026-01-27",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="The fuse adds no hazard: a tripped fuse stops the pump with an alarm.",
    ),
    Control(
        key="RC-dual-channel-drive",
        kind=INHERENT,
        description=(
            "Two-channel motor drive: the motor runs only when the main processor enables the "
            "high-side switch and the independent supervisor enables the low-side switch, for "
            "the step count of a delivery the supervisor has confirmed."
        ),
        implementation=(
            "Schematic SCH-IP3-002 rev E (Q4 high side, Q5 low side), supervisor firmware "
            "module SUP-DRV in design specification DS-IP3-010 rev F."
        ),
        risks=("R-runaway-severe", "R-runaway-fatal"),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D software verification, test cases SUP-DRV-01 to SUP-DRV-14",
            "2026-02-10",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "VER-IP3-020 rev B fault injection: single short of Q4 or Q5, no insulin delivered "
            "beyond the command in 200 trials",
            "2026-02-24",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes=(
            "A supervisor fault that blocks the low-side switch stops delivery; that is "
            "covered by the watchdog alarm (RC-watchdog)."
        ),
    ),
    Control(
        key="RC-iob-monotonic",
        kind=INHERENT,
        description=(
            "Insulin on board is computed from the pump's own delivery log with elapsed time "
            "from a monotonic counter; a change of clock or time zone changes only the time "
            "shown."
        ),
        implementation="Firmware requirement SRS-IP3-112 rev C, module BOLCALC, design DS-IP3-010.",
        risks=("R-iob-severe",),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D, test cases BOLCALC-21 to BOLCALC-29 (clock and time-zone changes)",
            "2026-02-10",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "SVR-IP3-030 rev D, scenario test of 24 time-zone changes and battery changes: "
            "insulin on board unchanged in every case",
            "2026-02-17",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None: the basal profile still follows the clock shown to the user.",
    ),
    Control(
        key="RC-step-entry",
        kind=INHERENT,
        description=(
            "Bolus amounts are entered by up and down steps of 0.1 U starting from zero, with "
            "no numeric keypad and no pre-filled last amount; the confirmation screen shows the "
            "amount in large digits with the unit U, the last bolus with its time and the "
            "insulin on board."
        ),
        implementation=(
            "User interface specification UIS-IP3-004 rev D, screens B1 to B4; firmware "
            "module UI-BOLUS."
        ),
        risks=("R-decimal-severe", "R-decimal-fatal", "R-double-bolus-severe"),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D, test cases UI-BOLUS-01 to UI-BOLUS-18",
            "2026-02-12",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B summative usability evaluation, tasks 3 and 4 (15 adults, "
            "15 caregivers): no tenfold bolus confirmed",
            "2026-03-26",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes=(
            "Stepping makes large boluses slower to enter; the step accelerates after 2 s, and "
            "the summative test found no delay that mattered."
        ),
    ),
    Control(
        key="RC-keyed-connector",
        kind=INHERENT,
        description=(
            "Keyed luer-lock reservoir adapter that seats only in the listed reservoirs and "
            "clicks when fully seated; the compartment holds it against rotation."
        ),
        implementation="Drawing DWG-IP3-024 rev D, interface specification DS-IP3-012 rev C.",
        risks=("R-leak-hyper", "R-leak-dka"),
        implementation_verification=_verified(
            "VER-IP3-022 rev B compatibility test with the listed reservoirs and infusion sets",
            "2026-01-29",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "VER-IP3-022 rev B leak test at 2 bar after 300 connections: no leak",
            "2026-02-05",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None found in the design review DR-4.",
    ),
    Control(
        key="RC-read-only-link",
        kind=INHERENT,
        description=(
            "Read-only Bluetooth link: the pump firmware has no command to deliver, suspend or "
            "change settings over Bluetooth, and all dosing is decided on the pump with its live "
            "insulin on board; pairing needs a 6-digit code shown on the pump and uses LE "
            "Secure Connections."
        ),
        implementation=(
            "Interface control document ICD-IP3-005 rev C (GATT services read and notify only), "
            "cybersecurity risk assessment CYB-IP3-001 rev C."
        ),
        risks=("R-bluetooth-fatal", "R-stale-data-severe"),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D, test cases BLE-01 to BLE-22: every write to the pump refused",
            "2026-02-19",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "CYB-IP3-001 rev C, fuzzing and replay tests by an external laboratory: no command "
            "accepted",
            "2026-04-14",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes=(
            "The read-only link means users cannot bolus from the phone; that is a convenience "
            "loss, not a hazard."
        ),
    ),
    Control(
        key="RC-sealed-housing",
        kind=INHERENT,
        description=(
            "Housing sealed to IP22 with an O-ring battery cap and made of materials that "
            "withstand the cleaning agents listed in the IFU."
        ),
        implementation="Drawings DWG-IP3-010 rev F and DWG-IP3-031 rev C; material MS-IP3-002.",
        risks=("R-swimming-hyper",),
        implementation_verification=_verified(
            "VER-IP3-015 rev B home healthcare environment test report (IP22)",
            "2026-01-15",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "VER-IP3-045 rev A cleaning and disinfection validation, 1,500 wipe cycles, IP22 kept",
            "2026-02-03",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
)

PUMP_PROTECTIVE_CONTROLS = (
    Control(
        key="RC-delivery-monitor",
        kind=PROTECTIVE,
        description=(
            "Delivery monitor: an encoder counts every motor step; the main processor and the "
            "supervisor compare delivered with commanded volume every minute. A deviation above "
            "5 %, or motion without a command, stops the motor and raises a high-priority alarm."
        ),
        implementation=(
            "Encoder E1 on the motor shaft (SCH-IP3-002 rev E); firmware modules DRV-MON and "
            "SUP-MON (SRS-IP3-120 to SRS-IP3-126)."
        ),
        risks=(
            "R-mri-severe",
            "R-mri-fatal",
            "R-runaway-severe",
            "R-runaway-fatal",
            "R-basal-under-hyper",
        ),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D, test cases DRV-MON-01 to DRV-MON-16",
            "2026-02-12",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "VER-IP3-020 rev B: forced motor rotation and skipped steps detected within 60 s in "
            "all 120 trials; VER-IP3-013 rev B 3 T static field test: motor stopped with alarm",
            "2026-03-03",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes=(
            "False delivery-monitor alarms would interrupt therapy; the 5 % threshold over one "
            "minute gave no false alarm in 4,000 pump-hours of reliability testing "
            "(VER-IP3-030)."
        ),
    ),
    Control(
        key="RC-occlusion-detection",
        kind=PROTECTIVE,
        description=(
            "Occlusion detection by a force sensor under the plunger, alarming at a force "
            "equivalent to 2 U of missed insulin at any basal rate; after the alarm the drive "
            "backs off to release the stored pressure."
        ),
        implementation=(
            "Force sensor FS1 (SCH-IP3-002 rev E), firmware module OCCL (SRS-IP3-130 to "
            "SRS-IP3-136), calibrated in final test FT-IP3-003."
        ),
        risks=("R-release-bolus", "R-slow-occlusion-dka", "R-slow-occlusion-hyper"),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D, test cases OCCL-01 to OCCL-12",
            "2026-02-12",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "VER-IP3-021 rev C occlusion, free-flow and bolus-on-release test: alarm within "
            "5.5 h at 0.1 U/h and 25 min at 1 U/h, bolus on release at most 0.3 U",
            "2026-03-05",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="Backing off the drive cannot deliver insulin; no new hazard.",
    ),
    Control(
        key="RC-bolus-limits",
        kind=PROTECTIVE,
        description=(
            "Dose limits set by the healthcare professional: maximum bolus (default 10 U, "
            "0.5 to 25 U), maximum basal rate and maximum daily dose. Larger entries are "
            "refused with a message, and the bolus calculator never suggests more than the "
            "maximum bolus."
        ),
        implementation="Firmware modules LIMITS and BOLCALC (SRS-IP3-140 to SRS-IP3-147).",
        risks=(
            "R-u200-severe",
            "R-u200-fatal",
            "R-iob-severe",
            "R-settings-severe",
            "R-decimal-severe",
            "R-decimal-fatal",
            "R-double-bolus-severe",
        ),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D, test cases LIMITS-01 to LIMITS-20",
            "2026-02-12",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B, task 7: all 30 participants understood the refusal message; "
            "SVR-IP3-030 boundary tests passed",
            "2026-03-26",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes=(
            "A maximum set too low could block a needed bolus; the IFU tells the diabetes team "
            "how to set it, and a refused bolus can be given in parts."
        ),
    ),
    Control(
        key="RC-settings-check",
        kind=PROTECTIVE,
        description=(
            "Bolus calculator settings are entered in the healthcare professional menu behind "
            "a PIN, checked against plausible ranges (carbohydrate ratio 2 to 50 g/U, "
            "sensitivity 0.5 to 10 mmol/L per U, target 4 to 10 mmol/L) and shown on a summary "
            "screen to confirm."
        ),
        implementation="Firmware module HCP-MENU (SRS-IP3-150 to SRS-IP3-155), UIS-IP3-004 rev D.",
        risks=("R-settings-severe",),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D, test cases HCP-01 to HCP-15",
            "2026-02-12",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B, task 1 with 8 diabetes nurses: every out-of-range entry "
            "caught or corrected",
            "2026-03-26",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
    Control(
        key="RC-battery-alarms",
        kind=PROTECTIVE,
        description=(
            "Low-battery alarms at 8 hours and at 1 hour of remaining delivery and a final "
            "high-priority alarm before the pump stops; all settings are kept in non-volatile "
            "memory through a battery change."
        ),
        implementation="Firmware module PWR (SRS-IP3-160 to SRS-IP3-164); fuel gauge U7.",
        risks=("R-battery-dka",),
        implementation_verification=_verified(
            "VER-IP3-014 rev B alarm system verification report, alarm conditions A3 to A5",
            "2026-02-26",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "VER-IP3-014 rev B discharge tests with alkaline and lithium cells at 5, 23 and 40 "
            "°C: each alarm at least at its stated time before stop",
            "2026-03-10",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
    Control(
        key="RC-watchdog",
        kind=PROTECTIVE,
        description=(
            "Independent supervisor watchdog: when the main processor stops, the supervisor "
            "stops the motor and sounds a high-priority alarm through its own buzzer circuit."
        ),
        implementation="Supervisor U3 and buzzer driver Q9 (SCH-IP3-002 rev E); SRS-IP3-170.",
        risks=("R-halt-dka",),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D, test cases SUP-WD-01 to SUP-WD-08",
            "2026-02-12",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "VER-IP3-014 rev B: forced halts of the main processor alarmed within 10 s in all "
            "50 trials",
            "2026-03-10",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
    Control(
        key="RC-app-data-age",
        kind=PROTECTIVE,
        description=(
            "The InsuLog app shows the time of the last update on every screen; data older "
            "than 15 minutes are greyed out and insulin on board is hidden with the message "
            '"Check your pump".'
        ),
        implementation=(
            "Requirement ICD-IP3-005 rev C section 6 on the app; implemented in InsuLog 2.3 "
            "(its own technical documentation)."
        ),
        risks=("R-stale-data-severe",),
        implementation_verification=_verified(
            "SVR-ILG-014 rev B InsuLog software verification, test cases AGE-01 to AGE-09",
            "2026-03-17",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B, task 9: all 30 participants checked the pump when the app "
            "showed old data",
            "2026-03-26",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
    Control(
        key="RC-auto-off",
        kind=PROTECTIVE,
        description=(
            "Auto-off: when the healthcare professional turns it on, delivery is suspended "
            "with a high-priority alarm if no button has been pressed for the set period (12 to "
            "24 hours), after a pre-alarm 30 minutes before."
        ),
        implementation="Firmware module AUTOOFF (SRS-IP3-180 to SRS-IP3-183); UIS-IP3-004 rev D.",
        risks=("R-decimal-severe", "R-decimal-fatal"),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D, test cases AUTOOFF-01 to AUTOOFF-07",
            "2026-02-12",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "VER-IP3-014 rev B: suspension and alarm at the set period in all tested settings",
            "2026-03-10",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes=(
            "Introduces hazard H-auto-off (delivery suspended in a user who is well but has not "
            "pressed a button) and situation HS-auto-off-in-sleep; both are analysed in the "
            "file."
        ),
    ),
    Control(
        key="RC-suspend-reminder",
        kind=PROTECTIVE,
        description=(
            "While delivery is suspended the pump beeps every 15 minutes and raises a "
            "medium-priority alarm when the chosen suspend time (at most 2 hours) ends."
        ),
        implementation="Firmware module SUSPEND (SRS-IP3-185 to SRS-IP3-187).",
        risks=("R-not-resumed-dka",),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D, test cases SUSP-01 to SUSP-06",
            "2026-02-12",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B, task 6: 29 of 30 participants resumed at the reminder, one at "
            "the alarm",
            "2026-03-26",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
    Control(
        key="RC-set-reminder",
        kind=PROTECTIVE,
        description=(
            "Reminder to change the infusion set 3 days after the last fill (the healthcare "
            "professional may set 2 days), repeated every 4 hours until a new set is primed."
        ),
        implementation="Firmware module REMIND (SRS-IP3-190).",
        risks=("R-worn-infection", "R-worn-hyper"),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D, test cases REMIND-01 to REMIND-05",
            "2026-02-12",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B, task 8 and home-use follow-up of 12 participants over 30 days: "
            "median wear time 3.0 days",
            "2026-04-21",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
    Control(
        key="RC-service-life-reminder",
        kind=PROTECTIVE,
        description=(
            "The pump counts its operating time; from 3 years and 9 months it reminds the user "
            "weekly to order a replacement, and after 4 years daily, with the end of the "
            "service life on the status screen."
        ),
        implementation="Firmware module LIFE (SRS-IP3-195); status screen S7 in UIS-IP3-004.",
        risks=("R-service-life-hyper",),
        implementation_verification=_verified(
            "SVR-IP3-030 rev D, test cases LIFE-01 to LIFE-04",
            "2026-02-12",
            "engineer",
        ),
        effectiveness_verification=_verified(
            "VER-IP3-030 rev A reliability and service-life test: delivery accuracy within "
            "±5 % up to 5 years of equivalent use, so the reminders come in time",
            "2026-04-07",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
)

PUMP_INFORMATION_CONTROLS = (
    Control(
        key="RC-mri-warning",
        kind=INFORMATION,
        description=(
            "MR Unsafe symbol on the back of the pump and a warning in the IFU and on the "
            "patient card to take the pump off before MRI, CT and X-ray examinations."
        ),
        implementation=(
            "Label artwork LAB-IP3-001 rev D (EN ISO 15223-1 MR Unsafe symbol); IFU-IP3-001 "
            "rev C section 2 Warnings; patient card PC-IP3-001."
        ),
        safety_information_text=(
            "MR Unsafe. Take off the pump, the infusion set tubing and the reservoir before you "
            "enter a room with an MRI scanner, and before CT and X-ray examinations. Leave the "
            "pump outside the room. Magnetic fields can make the pump deliver insulin by itself."
        ),
        risks=("R-mri-severe", "R-mri-fatal"),
        implementation_verification=_verified(
            "LAB-IP3-001 rev D label inspection and IFU-IP3-001 rev C review record DRR-IP3-11",
            "2026-03-02",
            "regulatory",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B, knowledge task K2: 29 of 30 participants said they would take "
            "the pump off before MRI",
            "2026-03-26",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
    Control(
        key="RC-tubing-handling",
        kind=INFORMATION,
        description=(
            "IFU instructions and training on handling the tubing: clip the pump to clothing, "
            "secure the tubing, use the shortest tubing that fits, and keep tubing out of reach "
            "of small children."
        ),
        implementation="IFU-IP3-001 rev C section 5; training programme TRN-IP3-001 module 2.",
        safety_information_text=(
            "Secure the tubing so it cannot catch on door handles or furniture. If the cannula "
            "comes out, insulin is not delivered and the pump does not alarm. Choose the "
            "shortest tubing that fits. Keep the tubing out of reach of small children: it can "
            "wrap around the neck."
        ),
        risks=("R-pulled-out-hyper", "R-pulled-out-dka", "R-tubing-strangulation"),
        implementation_verification=_verified(
            "IFU-IP3-001 rev C review record DRR-IP3-11",
            "2026-03-02",
            "regulatory",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B, knowledge tasks K4 and K5 (15 caregivers of children)",
            "2026-03-26",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
    Control(
        key="RC-site-care",
        kind=INFORMATION,
        description=(
            "IFU instructions and training on site care: wash hands and clean the skin before "
            "inserting a set, rotate sites, change the set every 2 to 3 days, and what to do on "
            "redness, pain or swelling."
        ),
        implementation="IFU-IP3-001 rev C section 4; TRN-IP3-001 rev B module 3.",
        safety_information_text=(
            "Wash your hands and clean the skin before you insert a new infusion set. Change "
            "the set every 2 to 3 days and use a new site each time, at least 3 cm from the "
            "last one. If the site becomes red, painful or swollen, change the set at once and "
            "contact your diabetes team."
        ),
        risks=("R-insertion-infection", "R-adhesive-dermatitis", "R-worn-infection"),
        implementation_verification=_verified(
            "IFU-IP3-001 rev C review record DRR-IP3-11",
            "2026-03-02",
            "regulatory",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B, task 2 (set change) and knowledge task K3",
            "2026-03-26",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
    Control(
        key="RC-insulin-information",
        kind=INFORMATION,
        description=(
            '"U-100 insulin only" on the pump label and reservoir compartment; the IFU lists '
            "the compatible insulins and tells users to protect the pump from heat and to "
            "replace insulin that may have been overheated."
        ),
        implementation=(
            "Label artwork LAB-IP3-001 rev D; IFU-IP3-001 rev C section 3; compatibility "
            "study VER-IP3-025."
        ),
        safety_information_text=(
            "U-100 insulin only. Use only the rapid-acting U-100 insulins listed in section 3. "
            "Do not expose the pump to temperatures above 37 °C: no sauna, hot baths or direct "
            "sun, and do not leave it in a car. If the insulin may have been too warm, fill a "
            "new reservoir with insulin from a new vial or cartridge."
        ),
        risks=("R-u200-severe", "R-u200-fatal", "R-overheated-hyper", "R-overheated-dka"),
        implementation_verification=_verified(
            "LAB-IP3-001 rev D label inspection and IFU-IP3-001 rev C review record DRR-IP3-11",
            "2026-03-02",
            "regulatory",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B, knowledge tasks K6 and K7: 28 of 30 participants correct, "
            "2 corrected by the label on second look",
            "2026-03-26",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
    Control(
        key="RC-sick-day-rules",
        kind=INFORMATION,
        description=(
            "Sick-day rules in the IFU, on the quick reference card and in training: what to "
            "do when glucose stays high without a reason."
        ),
        implementation=(
            "IFU-IP3-001 rev C section 10; quick reference card QRC-IP3-001 rev B; "
            "TRN-IP3-001 rev B module 5."
        ),
        safety_information_text=(
            "If your glucose is above 14 mmol/L for 2 hours without a reason, your pump may not "
            "be delivering insulin. Check ketones. Inject a correction dose with a pen, not "
            "with the pump. Change the whole infusion set and the reservoir. Check your glucose "
            "again after 1 hour, and call your diabetes team if ketones are raised."
        ),
        risks=(
            "R-pulled-out-hyper",
            "R-pulled-out-dka",
            "R-overheated-hyper",
            "R-overheated-dka",
            "R-slow-occlusion-dka",
            "R-slow-occlusion-hyper",
            "R-air-hyper",
            "R-leak-dka",
            "R-sick-day-dka",
        ),
        implementation_verification=_verified(
            "IFU-IP3-001 rev C and QRC-IP3-001 rev B review record DRR-IP3-11",
            "2026-03-02",
            "regulatory",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B, scenario task 10 (unexplained high glucose): 27 of 30 "
            "participants followed the rules unaided, 3 with the quick reference card",
            "2026-03-26",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
    Control(
        key="RC-water-information",
        kind=INFORMATION,
        description=(
            "IFU warning that the pump is splash-proof but not waterproof, with instructions to "
            "disconnect before bathing, showering and swimming; the listed cleaning agents."
        ),
        implementation="IFU-IP3-001 rev C section 9; IP22 marking on the label LAB-IP3-001 rev D.",
        safety_information_text=(
            "The pump is protected against splashes (IP22) but is not waterproof. Disconnect it "
            "before you bath, shower or swim, and do not put it under water. Clean it only with "
            "a damp cloth or the agents listed in section 9."
        ),
        risks=("R-swimming-hyper",),
        implementation_verification=_verified(
            "IFU-IP3-001 rev C review record DRR-IP3-11",
            "2026-03-02",
            "regulatory",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B, knowledge task K8",
            "2026-03-26",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
    Control(
        key="RC-training",
        kind=INFORMATION,
        description=(
            "Training by a diabetes nurse before the start of pump therapy, following the "
            "training programme and its checklist, signed by user and nurse."
        ),
        implementation=(
            "Training programme TRN-IP3-001 rev B for diabetes nurses, checklist TRN-IP3-002 "
            "(bolus entry and confirmation, suspend and resume, checking the last bolus, set "
            "change, sick-day rules)."
        ),
        safety_information_text=(
            "IFU-IP3-001 section 1: Do not start using the pump before you have been trained "
            "by your diabetes team. Before you confirm a bolus, read the amount and the last "
            "bolus on the screen. After a suspension, always resume delivery. If you are not "
            "sure whether a bolus was given, check the history before giving another."
        ),
        risks=(
            "R-decimal-severe",
            "R-decimal-fatal",
            "R-not-resumed-dka",
            "R-double-bolus-severe",
            "R-sick-day-dka",
        ),
        implementation_verification=_verified(
            "TRN-IP3-001 rev B approval record and train-the-trainer log TTT-2026-02",
            "2026-03-12",
            "regulatory",
        ),
        effectiveness_verification=_verified(
            "UES-IP3-002 rev B: the summative evaluation was run after the training of "
            "TRN-IP3-001; all critical tasks passed",
            "2026-03-26",
            "quality",
        ),
        new_risks_reviewed=True,
        new_risks_notes="None.",
    ),
)


def _answer(topic_key: str, answer: str, notes: str, *hazards: str) -> SafetyAnswer:
    return SafetyAnswer(topic_key=topic_key, answer=answer, notes=notes, hazards=hazards)


PUMP_SAFETY = (
    _answer(
        "intended_use",
        YES,
        "Continuous subcutaneous insulin infusion at home and on the move, set up by a "
        "healthcare professional and used by lay people with diabetes or their caregivers; "
        "see the intended use in the analysis.",
        "H-entry-error",
        "H-sick-day-instructions",
    ),
    _answer(
        "implanted",
        NO,
        "Nothing is implanted; the cannula of the separate infusion set stays in the "
        "subcutaneous tissue for up to 3 days.",
    ),
    _answer(
        "patient_contact",
        YES,
        "Housing and clip touch intact skin for long periods (worn 24 hours a day); the "
        "infusion-set adhesive and cannula are in contact with skin and tissue.",
        "H-adhesive",
        "H-site-microbes",
        "H-cleaning-residue",
    ),
    _answer(
        "materials",
        YES,
        "Housing PC/ABS, silicone keypad, stainless steel clip, assessed in BER-IP3-001 and "
        "CHM-IP3-001; insulin touches only the listed reservoirs and sets.",
        "H-adhesive",
    ),
    _answer(
        "energy_transfer",
        NO,
        "No energy is delivered or taken for a clinical purpose; heat from the battery and the "
        "alarm sound are answered under unwanted outputs.",
    ),
    _answer(
        "substance_transfer",
        YES,
        "Insulin is delivered subcutaneously: basal 0.05 to 35 U/h and boluses up to 25 U, "
        "controlled by the drive, its monitor and the dose limits.",
        "H-drive-fault",
        "H-flow-interrupted",
        "H-unfit-insulin",
        "H-stored-pressure",
    ),
    _answer(
        "biological_materials",
        NOT_APPLICABLE,
        "The pump processes no biological material.",
    ),
    _answer(
        "sterility",
        YES,
        "The pump itself is supplied non-sterile and is not sterilised; the reservoirs and "
        "infusion sets it is used with are supplied sterile by their manufacturers, and the "
        "user keeps the infusion site clean.",
        "H-site-microbes",
    ),
    _answer(
        "cleaning_disinfection",
        YES,
        "The user wipes the housing weekly and when soiled, with the agents listed in IFU "
        "section 9 (VER-IP3-045).",
        "H-cleaning-residue",
    ),
    _answer(
        "patient_environment",
        NO,
        "The pump does not change the patient's environment.",
    ),
    _answer(
        "measurements",
        NO,
        "The pump measures no physiological quantity; glucose values for the bolus calculator "
        "are typed in by the user. Motor steps and plunger force are measured only for the "
        "pump's own monitoring.",
    ),
    _answer(
        "data_interpretation",
        YES,
        "The bolus calculator suggests boluses from carbohydrates, glucose, insulin on board "
        "and the settings made by the healthcare professional.",
        "H-bolus-calculator",
    ),
    _answer(
        "combination_use",
        YES,
        "Used with the listed reservoirs, infusion sets and U-100 insulins, and (IP3-100-BT) "
        "the InsuLog app.",
        "H-unfit-insulin",
        "H-app-data",
        "H-flow-interrupted",
    ),
    _answer(
        "unwanted_outputs",
        YES,
        "Heat from a faulty battery, the alarm sound, and the radio emission of the Bluetooth "
        "variant within EN 60601-1-2 limits.",
        "H-battery-heat",
        "H-alarm-sound",
    ),
    _answer(
        "environmental_influences",
        YES,
        "Heat spoils the insulin; water, drops, electrostatic discharge and strong magnetic "
        "fields act on the pump (IP22 and home-environment tests in VER-IP3-015).",
        "H-magnetic-field",
        "H-unfit-insulin",
        "H-water-warning",
    ),
    _answer(
        "environmental_impact",
        YES,
        "Radio emission within EN 60601-1-2 limits; battery and electronics are waste under "
        "the WEEE and battery rules (see disposal).",
    ),
    _answer(
        "consumables_accessories",
        YES,
        "Reservoirs, infusion sets and AAA batteries; only the reservoirs and sets listed in "
        "IFU section 3 may be used (VER-IP3-022).",
        "H-flow-interrupted",
        "H-set-wear",
    ),
    _answer(
        "maintenance_calibration",
        YES,
        "No user maintenance beyond battery change and cleaning; the force sensor is calibrated "
        "in production and needs no field calibration; service life 4 years.",
        "H-service-life-label",
    ),
    _answer(
        "software",
        YES,
        "Firmware of software safety class C (EN 62304) controls delivery, alarms and the "
        "bolus calculator; updates only through Fjordmed's service.",
        "H-drive-fault",
        "H-bolus-calculator",
        "H-delivery-stop",
        "H-bluetooth-access",
    ),
    _answer(
        "shelf_life",
        NO,
        "The pump has no shelf life; insulin, reservoirs and sets do and are marked by their "
        "manufacturers.",
    ),
    _answer(
        "long_term_effects",
        YES,
        "Years of infusion-set wear on the same skin areas: sensitisation to the adhesive and "
        "lipohypertrophy that lowers insulin absorption.",
        "H-adhesive",
    ),
    _answer(
        "mechanical_forces",
        YES,
        "Drops of the pump, pulls on the tubing and pressure in the fluid path.",
        "H-tubing-force",
        "H-stored-pressure",
    ),
    _answer(
        "lifetime",
        YES,
        "Wear of the lead-screw drive sets the 4-year service life (VER-IP3-030).",
        "H-service-life-label",
    ),
    _answer(
        "single_use",
        YES,
        "Reservoirs and infusion sets are single use, marked by their manufacturers; the pump "
        "is used by one patient for its service life.",
        "H-set-wear",
    ),
    _answer(
        "disposal",
        YES,
        "Battery and electronics go to WEEE collection; used infusion sets are sharps (IFU "
        "section 14). The pump holds no data that needs erasing beyond its delivery history.",
    ),
    _answer(
        "training_skills",
        YES,
        "Training by a diabetes nurse before the start of pump therapy is required (TRN-IP3-001).",
        "H-entry-error",
    ),
    _answer(
        "safe_use_information",
        YES,
        "Label, IFU in Norwegian, Swedish, Danish, Finnish, German and English, quick reference "
        "card, patient card and training.",
        "H-sick-day-instructions",
        "H-water-warning",
        "H-service-life-label",
    ),
    _answer(
        "manufacturing_processes",
        YES,
        "New assembly and final-test line for the IP3 in Oslo; housing moulding validated at the "
        "contract manufacturer (MPV-IP3-003). Covered by the process FMEA PFMEA-IP3-001.",
        "H-drive-fault",
    ),
    _answer(
        "usability",
        YES,
        "Safe use depends on bolus entry, suspend and resume, and response to alarms; see the "
        "sub-questions and the usability engineering file UEF-IP3-001.",
        "H-entry-error",
    ),
    _answer(
        "usability.ui_design",
        YES,
        "Bolus and basal screens look alike; they differ in colour and title (UIS-IP3-004).",
        "H-entry-error",
    ),
    _answer(
        "usability.distracting_environment",
        YES,
        "Boluses are given at meals, at work and in school, often with interruptions.",
        "H-entry-error",
    ),
    _answer(
        "usability.connections",
        YES,
        "The user connects reservoir and infusion set at every change.",
        "H-flow-interrupted",
    ),
    _answer(
        "usability.control_interface",
        YES,
        "Five buttons; a wrong amount can be entered, and buttons can be pressed by accident "
        "in a pocket (keypad lock).",
        "H-entry-error",
    ),
    _answer(
        "usability.information_display",
        YES,
        "Amounts, insulin on board and alarms on the pump and in the app can be misread or out "
        "of date.",
        "H-app-data",
    ),
    _answer(
        "usability.menu_control",
        YES,
        "Calculator settings and limits sit in a menu behind a PIN for the healthcare "
        "professional.",
        "H-bolus-calculator",
    ),
    _answer(
        "usability.special_needs",
        YES,
        "Children (through caregivers), older users and users with reduced sight: large digits "
        "and a vibration alarm.",
        "H-entry-error",
    ),
    _answer(
        "usability.ui_initiated_actions",
        YES,
        "Auto-off suspends delivery after the set period without a button press; every bolus "
        "needs a confirmation.",
        "H-auto-off",
    ),
    _answer(
        "alarms",
        YES,
        "Technical alarms for occlusion, low reservoir, low and empty battery, delivery fault, "
        "auto-off and watchdog, to EN 60601-1-8.",
        "H-alarm-sound",
        "H-delivery-stop",
    ),
    _answer(
        "deliberate_misuse",
        YES,
        "Settings changed by a child, unofficial apps, and attacks over Bluetooth.",
        "H-bluetooth-access",
    ),
    _answer(
        "critical_data",
        YES,
        "Delivery history and insulin on board are used for bolus decisions; kept on the pump "
        "and copied read-only to the app.",
        "H-app-data",
        "H-bolus-calculator",
    ),
    _answer(
        "portable",
        YES,
        "Worn all day and night; meets drops, water, heat and travel across time zones.",
        "H-unfit-insulin",
        "H-water-warning",
        "H-bolus-calculator",
    ),
    _answer(
        "essential_performance",
        YES,
        "Insulin delivery accuracy and occlusion detection are the essential performance "
        "(EN 60601-1).",
        "H-drive-fault",
        "H-flow-interrupted",
    ),
)

# In priority order of their kind: inherent safety, protective measures, information for safety.
PUMP_CONTROLS = PUMP_DESIGN_CONTROLS + PUMP_PROTECTIVE_CONTROLS + PUMP_INFORMATION_CONTROLS

PUMP_BENEFIT_RISK = (
    BenefitRisk(
        key="BR-tenfold-bolus",
        title="Fatal hypoglycaemia after a bolus entered ten times too large",
        risks=("R-decimal-fatal",),
        benefits=(
            "Continuous subcutaneous insulin infusion gives people who need insulin a lower "
            "HbA1c than multiple daily injections, fewer severe hypoglycaemias in those who have "
            "them often, basal rates that follow the day, and doses in steps of 0.05 U that "
            "small children need (clinical evaluation CER-IP3-001 rev B, sections 6 and 7, and "
            "the literature it appraises). The IP3 adds a bolus calculator that reduces "
            "arithmetic errors in everyday dosing."
        ),
        analysis=(
            "The residual risk is remote (P1 occasional, P2 probable, P remote per pump-day) "
            "but its severity is catastrophic, so its cell is not acceptable. Stepping entry "
            "from zero, the confirmation screen, the maximum bolus, auto-off and training are "
            "in place; every further option was studied in the formative evaluations FS-IP3-02 "
            "and FS-IP3-03: a second confirmation screen made users confirm without reading and "
            "did not lower the error rate, and a lower maximum bolus would block meal boluses "
            "that many users need. An insulin pen, the alternative, allows the same tenfold "
            "error with no limit and no confirmation. Pumps on the market with the same "
            "measures show the same residual risk. The risk is disclosed in the IFU with what "
            "to do after too large a bolus."
        ),
        conclusion="favourable",
        approved=True,
    ),
)

PUMP_OVERALL = Overall(
    method=PUMP_PLAN.overall_method,
    analysis=(
        "Every risk control measure is implemented and its implementation and effectiveness "
        "verified. All residual risks but one lie in acceptable cells; the remaining one, fatal "
        "hypoglycaemia after a tenfold bolus entry, is justified by its approved benefit-risk "
        "analysis. The residual risks that lead to hypoglycaemia and to diabetic "
        "ketoacidosis were reviewed together: their combined probability is below the rates of "
        "severe hypoglycaemia and DKA on multiple daily injections reported in CER-IP3-001, and "
        "no use scenario collects several of them. The disclosures fit in the IFU's "
        "Warnings section and were understood by the participants of UES-IP3-002; the warning "
        "load was judged reasonable by the external diabetologist. The IP3 matches or exceeds "
        "the safety measures of the tubed pumps on the Nordic market. Reviewed by the risk "
        "management team and the external diabetologist on 12 May 2026."
    ),
    conclusion="acceptable",
)

PUMP_PRODUCTION_INFO = (
    ProductionInfo(
        key="PI-ip2-late-occlusion",
        source="complaint",
        date=dt.date(2026, 2, 16),
        reference="CMP-IP2 complaint trend report 2025",
        description=(
            "InsuPump 2, which has the same force-sensor occlusion detection as the IP3: 96 "
            "complaints in 2025 of glucose above 14 mmol/L for more than 4 hours before the "
            "occlusion alarm, at basal rates below 0.5 U/h, across about 540,000 pump-days. "
            "That is about 1.8 in 10,000 pump-days, above the remote P1 estimated for a slow "
            "occlusion after control; the estimate is to be reviewed."
        ),
        hazards=("H-flow-interrupted",),
        risks=("R-slow-occlusion-dka", "R-slow-occlusion-hyper"),
        situation="HS-slow-occlusion",
        occurrences=96,
        exposure=540_000,
        finding="probability_underestimated",
    ),
    ProductionInfo(
        key="PI-ip2-battery-cap",
        source="service",
        date=dt.date(2026, 1, 12),
        reference="SRV-IP2 service return analysis 2025",
        description=(
            "23 InsuPump 2 units returned with corrosion from water that entered under a "
            "cracked battery cap, across about 540,000 pump-days. The IP3 cap has a captive "
            "O-ring and an end stop (RC-sealed-housing); the rate is within the remote P1 "
            "estimated for the IP3."
        ),
        hazards=("H-water-warning",),
        risks=("R-swimming-hyper",),
        situation="HS-swimming",
        occurrences=23,
        exposure=540_000,
    ),
    ProductionInfo(
        key="PI-pms-user-survey",
        source="pms",
        date=dt.date(2026, 3, 2),
        reference="PMS-IP3-001 user survey of InsuPump 2 users, 2025 (n = 412)",
        description=(
            "37 of 412 respondents had at least once in the past year been unsure whether a "
            "bolus was given; 5 gave a second bolus, none needed help. The IP3 shows the last "
            "bolus on the confirmation screen (RC-step-entry). No change to the estimates."
        ),
        hazards=("H-entry-error",),
        risks=("R-double-bolus-severe",),
        situation="HS-double-bolus",
    ),
    ProductionInfo(
        key="PI-literature-dka",
        source="literature",
        date=dt.date(2026, 2, 5),
        reference="LIT-IP3-2026-01 literature search, January 2026",
        description=(
            "Search for DKA and severe hypoglycaemia with insulin pump therapy in adults and "
            "children (2020 to 2025). Reported rates are in line with the estimates for "
            "interrupted delivery and sick-day handling; sick-day education is the measure most "
            "often linked to lower DKA rates, which the IP3 file already relies on."
        ),
        hazards=("H-flow-interrupted", "H-sick-day-instructions"),
        risks=("R-sick-day-dka",),
    ),
    ProductionInfo(
        key="PI-similar-fsn-clock",
        source="similar_devices",
        date=dt.date(2025, 11, 20),
        reference="Field safety notice of another manufacturer's tubed pump, November 2025",
        description=(
            "Another manufacturer's pump reset insulin on board to zero when its clock was "
            "changed after a battery change, and its bolus calculator then suggested too much. "
            "The IP3 counts insulin on board on a monotonic counter (RC-iob-monotonic), "
            "verified in SVR-IP3-030 with battery and time changes. No new hazard."
        ),
        hazards=("H-bolus-calculator",),
        risks=("R-iob-severe",),
        situation="HS-iob-after-time-change",
    ),
    ProductionInfo(
        key="PI-pilot-lot-force-sensor",
        source="other",
        date=dt.date(2026, 3, 18),
        reference="NC-2026-007, pilot lot PL-IP3-03 final test",
        description=(
            "Final test FT-IP3-003 rejected 3 of 200 pilot-lot units for force-sensor offset "
            "out of limits; none was released. Cause: adhesive cured at too low a temperature; "
            "the curing step was corrected and revalidated. The final test works as intended."
        ),
        hazards=("H-flow-interrupted",),
    ),
)


def _row(
    item_function: str,
    failure_mode: str,
    effect: str,
    cause: str,
    sod: tuple[int, int, int],
    hazard: str,
    actions: str = "",
) -> FmeaRow:
    severity, occurrence, detection = sod
    return FmeaRow(
        item_function=item_function,
        failure_mode=failure_mode,
        effect=effect,
        cause=cause,
        severity=severity,
        occurrence=occurrence,
        detection=detection,
        actions=actions,
        hazard=hazard,
    )


PUMP_FMEA = (
    FmeaWorksheet(
        key="FMEA-design",
        kind="design",
        title="Design FMEA of the InsuPump 3 drive, electronics and housing (RMF-IP3-003 A)",
        rows=(
            _row(
                "Motor driver, high-side switch Q4",
                "Switch fails short",
                "The motor can run without a command; uncontrolled delivery if the low side "
                "also conducts",
                "Transistor breakdown after an overvoltage transient",
                (10, 3, 4),
                "H-drive-fault",
                "Two-channel drive (RC-dual-channel-drive) and delivery monitor "
                "(RC-delivery-monitor); fault injection in VER-IP3-020.",
            ),
            _row(
                "Motor encoder E1",
                "No pulses while the motor turns",
                "The delivery monitor raises a delivery-fault alarm and delivery stops",
                "Encoder disc slips on the shaft",
                (6, 2, 3),
                "H-drive-fault",
            ),
            _row(
                "Force sensor FS1",
                "Offset drifts so that force reads low",
                "Occlusion alarm comes late; hours without insulin",
                "Creep of the sensor adhesive at high temperature",
                (7, 4, 5),
                "H-flow-interrupted",
                "Zero the sensor at every reservoir change; tighter final-test limits in "
                "FT-IP3-003; occlusion test at 40 °C added to VER-IP3-021.",
            ),
            _row(
                "Battery contacts",
                "Contact opens for a moment when the pump is dropped",
                "Restart with an alarm; delivery resumes with settings kept",
                "Fatigue of the spring contact",
                (5, 4, 3),
                "H-delivery-stop",
            ),
            _row(
                "Bluetooth stack",
                "Accepts a write from an unpaired device",
                "An attacker could change data or send commands",
                "Defect in the vendor's Bluetooth stack",
                (10, 2, 6),
                "H-bluetooth-access",
                "No writable characteristics on the pump (RC-read-only-link); fuzzing and "
                "replay tests in CYB-IP3-001.",
            ),
            _row(
                "Battery cap",
                "O-ring not seated after a battery change",
                "Water enters when splashed; the pump stops with an error",
                "O-ring pinched or lost",
                (6, 4, 6),
                "H-water-warning",
                "Captive O-ring and end stop on the cap (DWG-IP3-031 rev C, RC-sealed-housing).",
            ),
        ),
    ),
    FmeaWorksheet(
        key="FMEA-use",
        kind="use",
        title="Use FMEA of the InsuPump 3 (RMF-IP3-003 B)",
        rows=(
            _row(
                "Enter a meal bolus",
                "Enters ten times the intended amount",
                "Severe or fatal hypoglycaemia",
                "Slip while stepping, decimal confusion, hurry",
                (10, 4, 5),
                "H-entry-error",
                "Step entry from zero and confirmation screen (RC-step-entry), maximum bolus "
                "(RC-bolus-limits), training (RC-training); residual risk justified by a "
                "benefit-risk analysis.",
            ),
            _row(
                "Resume after suspending",
                "Forgets to resume",
                "Hours without basal insulin; DKA",
                "Lapse after a shower",
                (8, 5, 3),
                "H-entry-error",
                "Suspend reminder and alarm (RC-suspend-reminder).",
            ),
            _row(
                "Check whether a bolus was given",
                "Gives a second bolus when unsure",
                "Severe hypoglycaemia",
                "Interrupted during the first bolus",
                (8, 4, 4),
                "H-entry-error",
                "Last bolus and insulin on board on the confirmation screen (RC-step-entry).",
            ),
            _row(
                "Fill the reservoir",
                "Fills it with U-200 insulin",
                "Every dose doubled",
                "The user also uses U-200 pens",
                (10, 2, 8),
                "H-unfit-insulin",
                '"U-100 insulin only" on label and IFU (RC-insulin-information); dose limits '
                "(RC-bolus-limits).",
            ),
            _row(
                "Change the infusion set",
                "Keeps the set for 5 days or more",
                "Site infection and high glucose",
                "Wish to save sets",
                (6, 5, 4),
                "H-set-wear",
                "Set change reminder (RC-set-reminder) and site care in the IFU (RC-site-care).",
            ),
            _row(
                "Respond to the low-battery alarm",
                "Silences it and forgets to change the battery",
                "The 1-hour and final alarms follow before delivery stops",
                "Alarm at an inconvenient time",
                (7, 3, 3),
                "H-delivery-stop",
            ),
        ),
    ),
)

PUMP_FILE = RiskFile(
    device=PUMP_DEVICE,
    plan=PUMP_PLAN,
    analysis=PUMP_ANALYSIS,
    safety=PUMP_SAFETY,
    hazards=PUMP_HAZARDS + PUMP_INTRODUCED_HAZARDS,
    harms=PUMP_HARMS,
    situations=PUMP_SITUATIONS,
    risks=PUMP_RISKS,
    controls=PUMP_CONTROLS,
    benefit_risk=PUMP_BENEFIT_RISK,
    overall=PUMP_OVERALL,
    production_info=PUMP_PRODUCTION_INFO,
    fmea=PUMP_FMEA,
    review_conclusions=(
        "The risk management plan RMP-IP3-001 has been carried out. The overall residual risk "
        "of the InsuPump 3 is acceptable: every residual risk is in an acceptable cell or "
        "justified by an approved benefit-risk analysis, and the benefits of insulin "
        "pump therapy outweigh it. The significant residual risks are disclosed in IFU-IP3-001 "
        "rev C. Production and post-production information is collected under PMS-IP3-001; the "
        "open item on late occlusion alarms of the InsuPump 2 is followed up at the "
        "next review. Release of the IP3 from the risk management point of view is recommended."
    ),
)


# =============================================================================================
# Fjordmed GlucoSure: an approved plan and an analysis that has only begun
# =============================================================================================

METER_PLAN = Plan(
    scope=(
        "This plan covers the Fjordmed GlucoSure system: the GS-20 meter with its firmware, "
        "the GS-20 test strips, the level 1 and 2 control solutions and the lancing device "
        "supplied in the kit, for self-testing of capillary blood glucose by lay persons. "
        "Document RMP-GS20-001 rev A; the file is RMF-GS20."
    ),
    lifecycle_phases=(
        "Design and development up to design transfer, production of meters and strip lots "
        "(including lot calibration), storage and transport, use by lay persons at home, "
        "support and complaint handling, and disposal. Probabilities are estimated per blood-"
        "glucose test: one test is one use of the device in the sense of the policy."
    ),
    responsibilities=(
        "Managing director (Ingrid Solberg) approves the plan and the report. Quality manager "
        "and PRRC (Kari Nordmann) owns the process and chairs the reviews. Systems engineer "
        "(Jonas Lie) leads the analysis. Regulatory affairs manager (Sigrid Bakke) links the "
        "file to the performance evaluation plan PEP-GS20 and the labelling. The external "
        "consultant diabetologist (contract CON-2025-07) rates the severity of harms."
    ),
    review_requirements=(
        "Reviews at each design review, before the performance study starts, before the "
        "notified body submission and at least yearly after release."
    ),
    verification_activities=(
        "Implementation is verified by test against the design outputs; effectiveness by the "
        "system accuracy and interference studies of EN ISO 15197 (PEP-GS20) and by the user "
        "performance evaluation with lay users."
    ),
    production_information=(
        "Complaints and returned meters (SOP-021), lot-release data of strip lots, trend "
        "reports, field safety notices of similar meters, literature twice a year, and the "
        "post-market performance follow-up under PMPF-GS20."
    ),
    overall_method=(
        "The risk management team and the external diabetologist review all residual risks "
        "together, with the clinical performance data of the performance evaluation report, "
        "against meters on the market that meet EN ISO 15197."
    ),
    overall_criteria=(
        "Acceptable when every residual risk is in an acceptable cell or justified by an "
        "approved benefit-risk analysis, and the system accuracy meets EN ISO 15197."
    ),
    approved=True,
)

METER_ANALYSIS = Analysis(
    intended_use=(
        "Quantitative measurement of glucose in fresh capillary whole blood from the "
        "fingertip, for self-testing by persons with diabetes as an aid in monitoring the "
        "effectiveness of diabetes control. Not for the diagnosis of or screening for diabetes, "
        "nor for use on neonates."
    ),
    foreseeable_misuse=(
        "Testing with unwashed fingers after handling fruit; using strips after the expiry "
        "date or the opened-vial life; sharing the lancing device within a family; testing "
        "venous or neonatal blood; dosing insulin on a result without checking symptoms."
    ),
)

METER_SAFETY = (
    _answer(
        "intended_use",
        YES,
        "Self-testing of capillary blood glucose by lay persons; see the analysis.",
        "H-falsely-high",
        "H-falsely-low",
    ),
    _answer(
        "measurements",
        YES,
        "Glucose from 1.1 to 33.3 mmol/L; insulin and food decisions are taken on the result.",
        "H-falsely-high",
        "H-falsely-low",
        "H-misread-unit",
    ),
    _answer(
        "patient_contact",
        YES,
        "Blood on the strip; the lancing device touches the fingertip.",
        "H-lancet",
    ),
    _answer(
        "shelf_life",
        YES,
        "Strips have a shelf life and an opened-vial life of 6 months.",
        "H-expired-strips",
    ),
    _answer(
        "implanted",
        NO,
        "Nothing is implanted.",
    ),
)

METER_HAZARDS = (
    Hazard(
        key="H-falsely-high",
        category_key="operational.incorrect_measurement",
        title="Result higher than the true glucose",
        description="Interference (ascorbic acid, low haematocrit) or a damaged strip raises it.",
    ),
    Hazard(
        key="H-falsely-low",
        category_key="operational.incorrect_measurement",
        title="Result lower than the true glucose",
        description="High haematocrit, too little blood or a cold meter lowers the result.",
    ),
    Hazard(
        key="H-misread-unit",
        category_key="information.display",
        title="Result read in the wrong unit",
        description="A meter set to mg/dL is read as mmol/L, or the other way round.",
    ),
    Hazard(
        key="H-lancet",
        category_key="biological_chemical.biological_agents",
        title="Blood on a shared or reused lancet",
        description="Blood-borne agents on a lancet or lancing device used by several people.",
    ),
    Hazard(
        key="H-expired-strips",
        category_key="operational.maintenance",
        title="Test strips past their expiry or opened-vial life",
        description="Strip enzyme degrades after expiry or when the vial has been open too long.",
    ),
)

METER_HARMS = (
    Harm(
        key="HM-hypo-severe",
        name="Severe hypoglycaemia",
        description="Low glucose needing help from another person; can be life-threatening.",
        severity=4,
    ),
    Harm(
        key="HM-hyper",
        name="Hyperglycaemia",
        description="High glucose for some hours, corrected by the person.",
        severity=2,
    ),
    Harm(
        key="HM-bloodborne",
        name="Blood-borne infection",
        description="Hepatitis B or C or HIV infection from a shared lancet; severity to be rated.",
        severity=None,
    ),
)

METER_SITUATIONS = (
    Situation(
        key="HS-normal-during-hypo",
        hazard="H-falsely-high",
        description="A normal-looking result while the person is hypoglycaemic.",
        sequence_of_events=(
            "The person takes vitamin C tablets; during a hypoglycaemia the meter shows 5.5 "
            "mmol/L instead of 2.8; the person does not eat and the glucose keeps falling."
        ),
    ),
    Situation(
        key="HS-correction-on-high",
        hazard="H-falsely-high",
        description="Correction insulin is given on a falsely high result.",
        sequence_of_events=(
            "A strip damaged by humidity reads 16 mmol/L at a true 8 mmol/L; the person gives "
            "a correction dose of insulin."
        ),
    ),
    Situation(
        key="HS-insulin-withheld",
        hazard="H-falsely-low",
        description="Insulin is withheld on a falsely low result.",
        sequence_of_events=(
            "The meter is used straight from a cold car and reads low; the person skips the "
            "meal bolus."
        ),
    ),
    Situation(
        key="HS-unit-mix-up",
        hazard="H-misread-unit",
        description="A result in mg/dL is taken for mmol/L.",
        sequence_of_events=(
            "A meter bought abroad shows 90 (mg/dL); the person reads it as very high."
        ),
    ),
    Situation(
        key="HS-lancet-shared",
        hazard="H-lancet",
        description="The lancing device is shared within a family.",
        sequence_of_events=(
            "Two family members with diabetes use the same lancing device without changing the "
            "lancet or cap."
        ),
    ),
)

METER_RISKS = (
    Risk(
        key="R-missed-hypo",
        situation="HS-normal-during-hypo",
        harm="HM-hypo-severe",
        p1=4,
        p2=5,
    ),
    Risk(
        key="R-correction-hypo",
        situation="HS-correction-on-high",
        harm="HM-hypo-severe",
        p1=4,
        p2=3,
        residual_p1=3,
        residual_p2=3,
    ),
    Risk(
        key="R-withheld-hyper",
        situation="HS-insulin-withheld",
        harm="HM-hyper",
        p1=4,
        p2=4,
    ),
    Risk(
        key="R-lancet-infection",
        situation="HS-lancet-shared",
        harm="HM-bloodborne",
        p1=None,
        p2=None,
    ),
)

METER_CONTROLS = (
    Control(
        key="RC-strip-desiccant",
        kind=INHERENT,
        description=(
            "Strips in a vial with a desiccant cap and a strip chemistry with a humidity check "
            "electrode that rejects a damaged strip with error E-3."
        ),
        implementation="Strip design specification DS-GS20-004 rev B (draft).",
        risks=("R-correction-hypo",),
    ),
)

METER_FILE = RiskFile(
    device=METER_DEVICE,
    plan=METER_PLAN,
    analysis=METER_ANALYSIS,
    safety=METER_SAFETY,
    hazards=METER_HAZARDS,
    harms=METER_HARMS,
    situations=METER_SITUATIONS,
    risks=METER_RISKS,
    controls=METER_CONTROLS,
)

RISK_FILES = (PUMP_FILE, METER_FILE)
