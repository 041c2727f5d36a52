"""The content of Fjordmed AS's quality management system, as plain data for the demo loader.

Fjordmed AS (Oslo, about 40 people) makes the InsuPump 3 insulin infusion pump (MDR class IIb)
and the GlucoSure blood-glucose meter for self-testing (IVDR class C). Its QMS: the quality
manual, twenty-one procedures, forms, two work instructions, the post-market surveillance plan
of the pump, and the external documents it works to. The texts are Fjordmed's own summaries in
English (documents are data; the interface around them is bilingual); no text of a standard is
reproduced, only clause numbers and titles.

Structure.
- `DOCUMENTS` in number order: the loader creates them in this order, so the numbering rules
  hand out exactly these numbers. Each `DocumentSpec` names its owner, reviewers and approvers by
  the user names of `samsvar.accounts.demo`, the ISO 13485 clauses and MDR references it
  addresses, and its text as `Block`s: a block belongs to the revision in `since` and every later
  one, so each revision's text is the earlier one plus what changed.
- `revisions`: the issue history. A revision with `change_request` is opened by that change
  request (`CHANGE_REQUESTS`); one with `via_review` by the document's periodic review; `stop`
  says where a revision still in progress stands.
- `review_due_in_days` moves the next periodic review (negative: overdue), as carried over from
  the paper register; `periodic_review` is a review recorded in samsvar.

Coverage is realistic, with honest gaps: clauses 7.5.3, 7.5.5, 7.5.7 and 7.5.9.2 do not apply
(no installation, no sterile or implantable devices; the quality manual says why), no procedure
yet controls monitoring and measuring equipment (7.6), and the procedure for the analysis of data
(8.4, MDR Art. 10(9)(m)) is still a draft. MDR Art. 10(9)(b) (identifying the GSPRs) has no
procedure of its own: Fjordmed keeps the GSPR checklist in samsvar, and the compliance demo shows
the obligation in progress.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- the shapes --------------------------------------------------------------------------------

EFFECTIVE = "effective"
IN_REVIEW = "in_review"
DRAFT = "draft"


@dataclass(frozen=True)
class Block:
    """Part of a document's text; it first appears in revision `since`."""

    text: str
    since: str = "A"


@dataclass(frozen=True)
class Issue:
    """One revision of a document's history, in order."""

    label: str
    reason: str
    change_request: str = ""  # title of the change request that opens it
    via_review: bool = False  # opened by the completion of a periodic review ("revise")
    stop: str = EFFECTIVE  # effective, in_review or draft
    comment: str = ""  # a review comment left open on it


@dataclass(frozen=True)
class ReviewSpec:
    """A periodic review recorded in samsvar; `signed` and `completed` say how far it went."""

    outcome: str
    notes: str
    signed: bool = True
    completed: bool = True


@dataclass(frozen=True)
class DocumentSpec:
    number: str
    doc_type: str
    title: str
    owner: str
    approvers: tuple[str, ...]
    blocks: tuple[Block, ...]
    reviewers: tuple[str, ...] = ()
    iso_clauses: tuple[str, ...] = ()
    regulation_refs: tuple[str, ...] = ()
    revisions: tuple[Issue, ...] = (Issue("A", "First issue"),)
    publisher: str = ""
    edition: str = ""
    review_interval_months: int = 24
    review_due_in_days: int | None = None
    periodic_review: ReviewSpec | None = None

    def content(self, label: str) -> str:
        """The text of revision `label`: every block introduced at or before it."""
        return "\n\n".join(b.text.strip() for b in self.blocks if _order(b.since) <= _order(label))

    def metadata(self) -> dict:
        """The document fields a service takes (people still as user names)."""
        values = {
            "doc_type": self.doc_type,
            "title": self.title,
            "iso_clauses": list(self.iso_clauses),
            "regulation_refs": list(self.regulation_refs),
            "review_interval_months": self.review_interval_months,
        }
        if self.publisher:
            values.update(publisher=self.publisher, edition=self.edition)
        return values


def _order(label: str) -> tuple[int, str]:
    return (len(label), label)


@dataclass(frozen=True)
class ChangeRequestSpec:
    title: str
    what: str
    why: str
    documents: tuple[str, ...]
    requested_by: str
    reason: str  # becomes the reason for change of each revision it opens
    devices: tuple[str, ...] = ()
    impact_training: str = ""
    impact_risk: str = ""
    impact_regulatory: str = ""
    approved: bool = True
    approver: str = "approver"


PUMP = "Fjordmed InsuPump 3"
METER = "Fjordmed GlucoSure"

QA = "quality"  # Kari Nordmann, quality manager and PRRC
RA = "regulatory"  # Sigrid Bakke, regulatory affairs manager
ENG = "engineer"  # Jonas Lie, systems engineer
MD = "approver"  # Ingrid Solberg, managing director


def sop(
    purpose: str,
    scope: str,
    responsibilities: str,
    steps: str,
    records: str,
    refs: str,
    *later: Block,
) -> tuple[Block, ...]:
    """The six sections every Fjordmed procedure has (revision A), then the sections that later
    revisions added."""
    return (
        Block(f"## 1 Purpose\n\n{purpose}"),
        Block(f"## 2 Scope\n\n{scope}"),
        Block(f"## 3 Responsibilities\n\n{responsibilities}"),
        Block(f"## 4 Procedure\n\n{steps}"),
        Block(f"## 5 Records\n\n{records}"),
        Block(f"## 6 References\n\n{refs}"),
        *later,
    )


def refs(text: str) -> tuple[str, ...]:
    """Clause numbers or regulation references written as one space-separated string."""
    return tuple(text.split())


# --- the quality manual -------------------------------------------------------------------------

QUALITY_MANUAL = DocumentSpec(
    number="QM-001",
    doc_type="quality_manual",
    title="Quality manual",
    owner=MD,
    approvers=(MD, QA),
    reviewers=(RA,),
    iso_clauses=refs(
        "4 4.1 4.2 4.2.1 4.2.2 5 5.1 5.2 5.3 5.4 5.4.1 5.4.2 5.5 5.5.1 5.5.2 5.5.3 "
        "6 6.1 6.3 6.4 6.4.1 6.4.2 7 7.1 7.5.10 8 8.1 8.5 8.5.1"
    ),
    regulation_refs=("mdr:10(9)(c)", "mdr:10(9)", "ivdr:10(8)"),
    revisions=(
        Issue("A", "First issue"),
        Issue("B", "Updated for Regulation (EU) 2017/745: QMS aspects of Art. 10(9) mapped"),
        Issue("C", "Scope extended to IVDR devices (GlucoSure); PRRC named"),
    ),
    blocks=(
        Block(
            "## 1 Fjordmed AS\n\n"
            "Fjordmed AS, Fjordveien 12, 0250 Oslo, designs, manufactures and services medical "
            "devices for people with diabetes. This manual describes how our quality management "
            "system (QMS) is organised, how its processes interact and which procedures carry "
            "them out. It is approved by the managing director, who holds overall responsibility "
            "for the QMS."
        ),
        Block(
            "## 2 Scope\n\n"
            "The QMS covers the design and development, production, release, distribution, "
            "servicing and post-market surveillance of the InsuPump 3 ambulatory insulin infusion "
            "pump and its accessories."
        ),
        Block(
            "It also covers the GlucoSure blood-glucose monitoring system for self-testing, an "
            "in vitro diagnostic medical device under Regulation (EU) 2017/746.",
            since="C",
        ),
        Block(
            "### 2.1 Requirements that do not apply\n\n"
            "Our devices are neither sterile nor implantable, and they are not installed by "
            "Fjordmed. The requirements for sterile devices and the validation of sterilisation "
            "(ISO 13485 7.5.5, 7.5.7), for the traceability of implantable devices (7.5.9.2) and "
            "for installation activities (7.5.3) therefore do not apply. We review this whenever "
            "a new device is planned."
        ),
        Block(
            "## 3 Quality policy\n\n"
            "We make devices that people can trust with their therapy every day. We meet the "
            "requirements of our customers and of the regulations, we keep our QMS effective and "
            "we improve it from what our users, our data and our audits tell us. The policy is "
            "reviewed at every management review and communicated at the annual all-hands."
        ),
        Block(
            "## 4 Organisation and responsibilities\n\n"
            "| Role | Responsibility |\n|---|---|\n"
            "| Managing director | Overall responsibility for the QMS; resources; management "
            "review |\n"
            "| Quality manager (management representative) | Maintains the QMS and reports on its "
            "performance |\n"
            "| Regulatory affairs manager | Regulatory strategy, technical documentation, "
            "vigilance |\n"
            "| Head of engineering | Design and development, design transfer |\n"
            "| Production manager | Production, release and servicing |"
        ),
        Block(
            "The quality manager is also our person responsible for regulatory compliance "
            "(PRRC, MDR/IVDR Art. 15); SOP-018 describes the role and its qualification evidence.",
            since="C",
        ),
        Block(
            "## 5 Processes and procedures\n\n"
            "Management processes: management review (SOP-003), internal audit (SOP-005), CAPA "
            "(SOP-006), analysis of data (SOP-021). Product realisation: risk management "
            "(SOP-010), design and development (SOP-011), purchasing (SOP-012), production and "
            "process validation (SOP-013), UDI and labelling (SOP-014), software life cycle "
            "(SOP-019), change control (SOP-020). Feedback: complaint handling (SOP-007), "
            "vigilance (SOP-008), post-market surveillance (SOP-009), customer feedback "
            "(SOP-016), clinical evaluation (SOP-017). Support: document control (SOP-001), "
            "record control (SOP-002), training and competence (SOP-004), nonconforming product "
            "(SOP-015)."
        ),
        Block(
            "## 6 Regulation (EU) 2017/745\n\n"
            "The QMS addresses each aspect listed in MDR Art. 10(9)(a) to (m). The quality manual "
            "map in samsvar shows which document addresses which aspect and where gaps remain; "
            "the map is an input to every management review.",
            since="B",
        ),
        Block(
            "## 7 Infrastructure and work environment\n\n"
            "Production and servicing take place in our controlled assembly area in Oslo "
            "(ESD-protected, temperature and humidity monitored). Cleaning and contamination "
            "control of returned pumps follows WI-001 and SOP-013. Customer property, such as "
            "pumps returned for service, is identified, protected and traced as described in "
            "SOP-013."
        ),
    ),
)


# --- procedures ---------------------------------------------------------------------------------

SOPS = (
    DocumentSpec(
        number="SOP-001",
        doc_type="procedure",
        title="Document control",
        owner=QA,
        approvers=(MD,),
        reviewers=(RA,),
        iso_clauses=("4.2.4",),
        revisions=(
            Issue("A", "First issue"),
            Issue("B", "Paper master list replaced by samsvar; electronic signatures"),
        ),
        blocks=sop(
            "To make sure that the documents of the QMS are reviewed and approved before use, "
            "that the current revision is available where it is needed, and that obsolete "
            "documents are not used by mistake.",
            "All controlled documents: the quality manual, procedures, work instructions, forms "
            "and templates, plans, specifications and the external documents we work to.",
            "The document owner drafts and maintains the document. Named reviewers comment; named "
            "approvers approve by electronic signature. The quality manager runs document control "
            "and releases approved revisions.",
            "1. Register a new document in samsvar; the number comes from the numbering rule of "
            "its type (SOP-nnn, WI-nnn, FRM-nnn).\n"
            "2. Write the content in the revision draft and state the reason for change.\n"
            "3. Submit the draft for review. Reviewers comment; the owner resolves every comment.\n"
            "4. Every approver signs the revision with the meaning *approved*. The revision is "
            "approved only when all have signed.\n"
            "5. Document control makes the revision effective on its planned date; the previous "
            "revision is superseded at the same moment and the training it requires is opened.\n"
            "6. Each document is reviewed at least every 24 months (SOP-003 reports on overdue "
            "reviews).\n"
            "7. A withdrawn document is made obsolete with a reason; it stays readable, marked "
            "obsolete.",
            "Revisions, review comments, signatures and periodic reviews are kept in samsvar as "
            "records (SOP-002).",
            "EN ISO 13485:2016 4.2.4; QM-001; SOP-002; FRM-001.",
            Block(
                "## 7 Electronic records and signatures\n\n"
                "samsvar is our document management system. An electronic signature binds the "
                "signer's name, the meaning, the time and the SHA-256 of the signed content, and "
                "needs the password again at each signing. The audit trail records every change "
                "with its reason. Printed copies carry the notice *uncontrolled when printed*.",
                since="B",
            ),
        ),
    ),
    DocumentSpec(
        number="SOP-002",
        doc_type="procedure",
        title="Control of records",
        owner=QA,
        approvers=(MD,),
        iso_clauses=("4.2.5",),
        regulation_refs=("mdr:10(8)", "ivdr:10(7)"),
        blocks=sop(
            "To keep the records that show conformity and the effective operation of the QMS "
            "legible, identifiable, retrievable and protected from change for as long as they "
            "are needed.",
            "Every record the QMS requires, on paper or electronic, including the records of "
            "suppliers kept on our behalf.",
            "The owner of each process keeps its records. The quality manager maintains the "
            "records register and decides on disposal.",
            "1. Records are created in samsvar where possible; a signed version of any record is "
            "frozen and cannot be changed.\n"
            "2. Paper records are scanned, attached to the record in samsvar and the original "
            "kept in the archive room.\n"
            "3. Retention: at least ten years after the last device of the type is placed on the "
            "market (MDR Art. 10(8), IVDR Art. 10(7)), and never less than the lifetime of the "
            "device as we define it.\n"
            "4. Confidential health information in records is protected as the Norwegian "
            "personal data act requires; access follows the roles in samsvar.\n"
            "5. Once a year the quality manager reviews the records register; records past their "
            "disposal date are disposed of only with the managing director's approval.",
            "The records register (samsvar) with retention and disposal dates; disposal records.",
            "EN ISO 13485:2016 4.2.5; MDR Art. 10(8); IVDR Art. 10(7); SOP-001.",
        ),
    ),
    DocumentSpec(
        number="SOP-003",
        doc_type="procedure",
        title="Management review",
        owner=MD,
        approvers=(MD,),
        iso_clauses=("5.4.1", "5.6", "5.6.1", "5.6.2", "5.6.3"),
        regulation_refs=("mdr:10(9)(c)",),
        review_due_in_days=10,
        blocks=sop(
            "To review the QMS at planned intervals so that it stays suitable, adequate and "
            "effective, and to decide on improvements and resources.",
            "The whole QMS of Fjordmed AS, including the regulatory obligations of both "
            "regulations.",
            "The managing director chairs the review. The quality manager prepares the inputs "
            "and writes the minutes. Heads of department attend.",
            "1. Reviews are held twice a year (MR-YYYY-1 in spring, MR-YYYY-2 in autumn) and "
            "additionally after a serious incident or a major audit finding.\n"
            "2. Inputs: feedback and complaints, complaint trends, reporting to DMP, internal and "
            "external audits, monitoring of processes and product, CAPA status, follow-up of "
            "earlier reviews, changes that could affect the QMS, recommendations for "
            "improvement, new or revised regulatory requirements, the quality manual map and "
            "its gaps, overdue document reviews and training.\n"
            "3. Outputs: decisions and actions on the effectiveness of the QMS, improvement of "
            "product, changes to meet new requirements, and resource needs; each action has an "
            "owner and a due date.\n"
            "4. Quality objectives are set or confirmed at the spring review.",
            "Minutes of management review with inputs, decisions and actions, signed by the "
            "managing director.",
            "EN ISO 13485:2016 5.6; MDR Art. 10(9)(c); QM-001.",
        ),
    ),
    DocumentSpec(
        number="SOP-004",
        doc_type="procedure",
        title="Training and competence",
        owner=QA,
        approvers=(MD,),
        iso_clauses=("6.2",),
        regulation_refs=("mdr:10(9)(d)", "mdr:15"),
        blocks=sop(
            "To make sure that everyone whose work affects product quality is competent on the "
            "basis of education, training, skills and experience, and that the effectiveness of "
            "training is checked.",
            "All employees and temporary staff, and consultants who work within our QMS.",
            "Line managers define the competence each job role needs. The quality manager "
            "maintains the job roles, the training matrix and the competence records.",
            "1. Each job role lists the documents its holders must be trained on and the "
            "competences they need.\n"
            "2. When a revision becomes effective, samsvar opens a training task for everyone "
            "whose role requires the document: *read and understood* with electronic signature, "
            "or instructor-led with an assessment.\n"
            "3. New employees complete the induction programme before they work unsupervised.\n"
            "4. Certificates with an expiry date (for example ESD or soldering) are renewed "
            "before they expire.\n"
            "5. The effectiveness of training is evaluated for instructor-led training and "
            "whenever a nonconformity is traced to a lack of competence.",
            "Training matrix, training records with signatures, competence records (education, "
            "experience, certificates), effectiveness evaluations.",
            "EN ISO 13485:2016 6.2; MDR Art. 15; FRM-002.",
        ),
    ),
    DocumentSpec(
        number="SOP-005",
        doc_type="procedure",
        title="Internal audit",
        owner=QA,
        approvers=(MD,),
        reviewers=(RA,),
        iso_clauses=("8.2.4", "8.2.5"),
        review_due_in_days=-45,
        blocks=sop(
            "To find out whether the QMS conforms to our arrangements, to EN ISO 13485 and to the "
            "regulations, and whether it is effectively implemented and maintained.",
            "Every process of the QMS over a three-year cycle, and the suppliers of critical "
            "components.",
            "The quality manager plans the programme. Audits are done by trained auditors who do "
            "not audit their own work. Auditees take the corrections and corrective actions.",
            "1. The audit programme covers every process at least once in three years; processes "
            "with problems, changes or high risk are audited more often.\n"
            "2. Each audit has a plan with scope, criteria and auditors.\n"
            "3. Findings are graded major, minor or observation and reported on FRM-005.\n"
            "4. Nonconformities go to CAPA (SOP-006) without undue delay; follow-up checks that "
            "the actions were taken and were effective.\n"
            "5. Process performance indicators are reviewed quarterly and reported to management "
            "review.",
            "Audit programme, plans, reports, follow-up records.",
            "EN ISO 13485:2016 8.2.4, 8.2.5; FRM-005; SOP-006.",
        ),
    ),
    DocumentSpec(
        number="SOP-006",
        doc_type="procedure",
        title="Corrective and preventive action (CAPA)",
        owner=QA,
        approvers=(MD,),
        reviewers=(ENG,),
        iso_clauses=("8.5.2", "8.5.3"),
        regulation_refs=("mdr:10(9)(l)",),
        blocks=sop(
            "To remove the causes of nonconformities and of potential nonconformities so that "
            "they do not occur or recur, in proportion to their effect and risk.",
            "Nonconformities from complaints, audits, production, suppliers, post-market "
            "surveillance and vigilance; trends that point to a potential problem.",
            "The quality manager opens and tracks CAPAs. A CAPA owner investigates and carries "
            "out the actions. The managing director decides on CAPAs that need resources beyond "
            "the department.",
            "1. Open a CAPA on FRM-004 with a description of the problem and its risk.\n"
            "2. Take immediate correction where needed (containment, SOP-015).\n"
            "3. Investigate the root cause (5-why or fishbone), using data from complaints and "
            "production.\n"
            "4. Plan actions, including any change to documents, design or risk management "
            "files; check that the actions do not affect conformity with the regulations.\n"
            "5. Verify that the actions were taken and check their effectiveness after a stated "
            "period.\n"
            "6. Report open and overdue CAPAs to management review.",
            "CAPA records (FRM-004) with investigation, actions and the effectiveness check.",
            "EN ISO 13485:2016 8.5.2, 8.5.3; MDR Art. 10(9)(l); FRM-004.",
        ),
    ),
    DocumentSpec(
        number="SOP-007",
        doc_type="procedure",
        title="Complaint handling",
        owner=RA,
        approvers=(QA,),
        reviewers=(ENG,),
        iso_clauses=("8.2.2",),
        regulation_refs=("mdr:10(9)(i)",),
        revisions=(
            Issue("A", "First issue"),
            Issue("B", "Monthly complaint trending added"),
            Issue(
                "C",
                "Vigilance assessment on every complaint",
                change_request="Vigilance reporting through EUDAMED and trend reporting",
            ),
        ),
        blocks=sop(
            "To receive, document, investigate and close complaints in time, and to decide for "
            "each whether it must be reported to the authorities.",
            "Every written, electronic or oral communication that alleges deficiencies in the "
            "identity, quality, durability, reliability, usability, safety or performance of our "
            "devices, from users, healthcare professionals, distributors or authorities.",
            "Customer support records complaints. The regulatory affairs manager assesses "
            "reportability. The quality manager decides on investigation and CAPA.",
            "1. Record the complaint on FRM-003 on the day it is received, with the device, UDI "
            "(serial or lot) and a description of the event.\n"
            "2. Ask for the device back where an investigation needs it.\n"
            "3. Investigate and record the result; where no investigation is done, record why.\n"
            "4. Update the risk management file when the complaint shows a new hazard or a "
            "higher probability (SOP-010).\n"
            "5. Reply to the complainant and close the complaint; open a CAPA where needed.",
            "Complaint records (FRM-003), investigation reports, replies.",
            "EN ISO 13485:2016 8.2.2; SOP-008; SOP-010; FRM-003.",
            Block(
                "## 7 Trending\n\n"
                "Complaints are trended monthly by device, failure category and market. A "
                "category that exceeds its threshold in the PMS plan is raised with the "
                "quality manager.",
                since="B",
            ),
            Block(
                "## 8 Vigilance assessment\n\n"
                "Every complaint is assessed against the serious incident criteria of MDR Art. "
                "2(65) and IVDR Art. 2(68) within one working day. Reportable events follow "
                "SOP-008; the assessment is recorded on FRM-003 even when the answer is no.",
                since="C",
            ),
        ),
    ),
    DocumentSpec(
        number="SOP-008",
        doc_type="procedure",
        title="Vigilance and field safety corrective actions",
        owner=RA,
        approvers=(QA,),
        reviewers=(ENG,),
        iso_clauses=("8.2.3",),
        regulation_refs=refs("mdr:10(9)(k) mdr:10(9)(j) mdr:87 mdr:88 mdr:89 ivdr:82"),
        revisions=(
            Issue("A", "First issue"),
            Issue("B", "MDR Art. 87-92 reporting timelines"),
            Issue(
                "C",
                "Reporting through EUDAMED; trend reports",
                change_request="Vigilance reporting through EUDAMED and trend reporting",
            ),
        ),
        blocks=sop(
            "To report serious incidents and field safety corrective actions to the Norwegian "
            "Medical Products Agency (DMP) and the other competent authorities in time, and to "
            "carry out field safety corrective actions in a controlled way.",
            "Serious incidents with our devices made available in the EEA, and field safety "
            "corrective actions (FSCA) taken for them.",
            "The regulatory affairs manager decides on reportability and reports. The PRRC "
            "checks that the obligations are met. The managing director approves an FSCA.",
            "1. Assess the event from the complaint (SOP-007) against the serious incident "
            "criteria.\n"
            "2. Report to the competent authority of the country where it occurred, using the "
            "manufacturer incident report (MIR) form.\n"
            "3. Investigate, with the risk management file and the device where available, and "
            "send the final report.\n"
            "4. For an FSCA: decide the action, write the field safety notice in the language of "
            "each country (Norwegian for Norway), report to the authorities before the action "
            "starts unless urgency prevents it, and track the effectiveness of the action.",
            "Vigilance files with the incident reports, correspondence with DMP, FSCA files "
            "with the field safety notice and reconciliation.",
            "EN ISO 13485:2016 8.2.3; MDR Art. 87-89; IVDR Art. 82-84; SOP-007.",
            Block(
                "## 7 Timelines\n\n"
                "| Event | Report within |\n|---|---|\n"
                "| Serious public health threat | 2 days after awareness |\n"
                "| Death or unanticipated serious deterioration of health | 10 days |\n"
                "| Other serious incidents | 15 days |\n\n"
                "The days are calendar days from the date we became aware of the incident and "
                "of its link to our device.",
                since="B",
            ),
            Block(
                "## 8 EUDAMED and trend reporting\n\n"
                "Reports are submitted through the vigilance module of EUDAMED once it is "
                "mandatory; until then to DMP by e-mail with the MIR form. A statistically "
                "significant increase in non-serious incidents or expected side-effects (MDR "
                "Art. 88) is reported as a trend report; the thresholds are in the PMS plan.",
                since="C",
            ),
        ),
    ),
    DocumentSpec(
        number="SOP-009",
        doc_type="procedure",
        title="Post-market surveillance",
        owner=RA,
        approvers=(QA,),
        iso_clauses=("8.2.1",),
        regulation_refs=("mdr:10(9)(i)", "mdr:83", "mdr:84", "mdr:86", "ivdr:81"),
        blocks=sop(
            "To gather and analyse data on the quality, performance and safety of our devices "
            "throughout their lifetime, to draw conclusions and to act on them.",
            "The InsuPump 3 (MDR class IIb) and the GlucoSure system (IVDR class C).",
            "The regulatory affairs manager owns the PMS plans and the periodic safety update "
            "reports (PSUR). Engineering, customer support and production supply data.",
            "1. Each device has a PMS plan (PLN-001 for the pump) with its data sources, "
            "indicators and thresholds.\n"
            "2. Sources: complaints, service reports, returned devices, user feedback, "
            "literature, registries, similar devices on the market and field safety notices of "
            "other manufacturers.\n"
            "3. Data are analysed quarterly; the results feed risk management (SOP-010), "
            "clinical evaluation (SOP-017) and CAPA (SOP-006).\n"
            "4. A PSUR is prepared at least annually for both devices and made available to the "
            "notified body.",
            "PMS plans, quarterly analyses, PSURs.",
            "EN ISO 13485:2016 8.2.1; MDR Art. 83-86; IVDR Art. 78-81; PLN-001.",
        ),
    ),
    DocumentSpec(
        number="SOP-010",
        doc_type="procedure",
        title="Risk management",
        owner=ENG,
        approvers=(QA,),
        reviewers=(RA,),
        iso_clauses=("7.1",),
        regulation_refs=("mdr:10(9)(e)", "mdr:10(2)", "mdr:annex-i-3"),
        revisions=(
            Issue("A", "First issue"),
            Issue("B", "EN ISO 14971:2019+A11:2021 adopted; benefit-risk in every file"),
        ),
        blocks=sop(
            "To identify the hazards of our devices, estimate and evaluate the risks, control "
            "them, and monitor the effectiveness of the controls over the whole life cycle.",
            "Every device from the concept phase until the last device is withdrawn, including "
            "software and accessories.",
            "The project's risk manager (usually the systems engineer) leads the analysis; the "
            "quality manager approves the risk management plan, the overall residual risk and "
            "the risk management report.",
            "1. Write the risk management plan with the acceptability policy before design "
            "inputs are frozen.\n"
            "2. Analyse intended use and reasonably foreseeable misuse; identify the "
            "characteristics related to safety, the hazards and the hazardous situations.\n"
            "3. Estimate each risk (severity, probability) and evaluate it against the policy.\n"
            "4. Choose control measures in the priority order: inherent safety by design, "
            "protective measures, information for safety; verify implementation and "
            "effectiveness.\n"
            "5. Evaluate the overall residual risk; review the file before release and issue the "
            "risk management report.\n"
            "6. Feed production and post-production information back into the file.",
            "The risk management file in samsvar: plan, analyses, controls, verification, "
            "overall evaluation, review and report.",
            "EN ISO 14971:2019+A11:2021; MDR Annex I Chapter I; SOP-009; EXT-002.",
            Block(
                "## 7 Reduction as far as possible\n\n"
                "Following the MDR, risks are reduced as far as possible without adversely "
                "affecting the benefit-risk ratio; economic considerations do not justify a "
                "higher risk. Each file contains a benefit-risk analysis of the residual risks.",
                since="B",
            ),
        ),
    ),
    DocumentSpec(
        number="SOP-011",
        doc_type="procedure",
        title="Design and development",
        owner=ENG,
        approvers=(QA,),
        reviewers=(RA,),
        iso_clauses=refs("7.3 7.3.1 7.3.2 7.3.3 7.3.4 7.3.5 7.3.6 7.3.7 7.3.8 7.3.10"),
        regulation_refs=("mdr:10(9)(g)",),
        blocks=sop(
            "To plan and control the design and development of devices so that they meet their "
            "intended purpose, user needs and the general safety and performance requirements.",
            "New devices and changes to existing devices (changes follow SOP-020 first).",
            "The project manager plans and leads the project. The design review board (head of "
            "engineering, quality manager, regulatory affairs manager and an independent "
            "reviewer) holds the design reviews.",
            "1. Plan: stages, reviews, verification, validation and transfer activities, "
            "responsibilities, and traceability from inputs to outputs.\n"
            "2. Inputs: intended purpose, user needs, regulatory requirements, the applicable "
            "GSPRs and standards, risk management outputs, usability; reviewed for adequacy.\n"
            "3. Outputs: specifications, drawings, software, labelling and the device master "
            "record, in a form that can be verified against the inputs.\n"
            "4. Design reviews at the end of each stage (DR-1 to DR-5) with records.\n"
            "5. Verification that outputs meet inputs; validation under real or simulated use "
            "with representative users, including clinical evaluation (SOP-017).\n"
            "6. Transfer to production once the production processes are validated (SOP-013).",
            "The design and development file of each device.",
            "EN ISO 13485:2016 7.3; EN 62366-1; EN 62304; SOP-010; SOP-019; SOP-020.",
        ),
    ),
    DocumentSpec(
        number="SOP-012",
        doc_type="procedure",
        title="Purchasing and supplier control",
        owner=QA,
        approvers=(MD,),
        reviewers=(ENG,),
        iso_clauses=("7.4", "7.4.1", "7.4.2", "7.4.3"),
        regulation_refs=("mdr:10(9)(d)",),
        review_due_in_days=-12,
        blocks=sop(
            "To make sure that purchased products and services conform to their requirements, "
            "with a control of suppliers in proportion to the risk of what they supply.",
            "Suppliers of components, materials, sub-assemblies and services that affect our "
            "devices, including critical subcontractors (PCB assembly, injection moulding, "
            "sterilisation of infusion sets by the set supplier) and calibration services.",
            "Purchasing places orders. The quality manager approves suppliers and keeps the "
            "approved supplier list. Engineering defines the purchasing specifications.",
            "1. Evaluate new suppliers on FRM-006 (questionnaire, certificates, audit for "
            "critical suppliers) and classify them A (critical), B or C.\n"
            "2. Agree a quality agreement with every A supplier, including notification of "
            "changes.\n"
            "3. Orders state the specification, revision and acceptance criteria.\n"
            "4. Verify purchased product at goods receipt as the inspection plan specifies.\n"
            "5. Monitor supplier performance yearly (delivery, quality, responsiveness) and "
            "re-evaluate; suppliers that fail are put on probation or removed.",
            "Approved supplier list, evaluations, quality agreements, receiving inspection "
            "records.",
            "EN ISO 13485:2016 7.4; MDR Art. 10(9)(d); FRM-006.",
        ),
    ),
    DocumentSpec(
        number="SOP-013",
        doc_type="procedure",
        title="Production, servicing and process validation",
        owner=ENG,
        approvers=(QA,),
        iso_clauses=refs("7.5.1 7.5.2 7.5.4 7.5.6 7.5.8 7.5.9 7.5.9.1 7.5.11 8.2.6"),
        regulation_refs=("mdr:10(9)(g)",),
        review_due_in_days=-20,
        periodic_review=ReviewSpec(
            outcome="still_valid",
            notes="Checked against the current process validation master plan; no change "
            "needed. Waits for the managing director's signature.",
            signed=False,
            completed=False,
        ),
        blocks=sop(
            "To produce, release and service devices under controlled conditions, and to "
            "validate the processes whose output cannot be fully verified.",
            "Assembly, test and release of the InsuPump 3 and the GlucoSure meter in Oslo, "
            "servicing of returned pumps, and the software used in production.",
            "The production manager plans and runs production. Quality releases each batch. "
            "Engineering owns the process validations.",
            "1. Work to the current device master record, work instructions (WI-001) and "
            "qualified equipment.\n"
            "2. Each pump carries a serial number, each strip batch a lot number; the device "
            "history record links them to components, operators and test results.\n"
            "3. Clean pumps before release and after service as WI-001 describes.\n"
            "4. Validate processes whose output cannot be verified (ultrasonic welding of the "
            "housing, strip enzyme deposition) with IQ, OQ and PQ; revalidate after changes.\n"
            "5. Final test and release by quality; nonconforming product follows SOP-015.\n"
            "6. Handle, store and ship devices so they are preserved to the user; protect "
            "customer property returned for service.",
            "Device history records, process validation reports, release records, service reports.",
            "EN ISO 13485:2016 7.5; WI-001; SOP-014; SOP-015.",
        ),
    ),
    DocumentSpec(
        number="SOP-014",
        doc_type="procedure",
        title="UDI and labelling",
        owner=RA,
        approvers=(QA,),
        reviewers=(ENG,),
        iso_clauses=("7.5.8", "7.5.9.1"),
        regulation_refs=("mdr:10(9)(h)", "mdr:27", "mdr:29", "mdr:annex-i-23", "ivdr:24"),
        revisions=(
            Issue("A", "First issue"),
            Issue(
                "B",
                "Periodic review: Norwegian-language labelling of the GlucoSure to be described",
                via_review=True,
                stop=DRAFT,
            ),
        ),
        periodic_review=ReviewSpec(
            outcome="revise",
            notes="Periodic review: Norwegian-language labelling of the GlucoSure to be "
            "described, and the GS1 allocation of UDI-DIs for the strip packs.",
        ),
        blocks=sop(
            "To assign unique device identifiers (UDI), register them, and make sure every label "
            "and instructions for use are correct, approved and in the required languages.",
            "Labels, packaging, instructions for use and on-screen information of all our "
            "devices; UDI assignment and EUDAMED registration.",
            "Regulatory affairs owns UDI assignment and labelling content. Production prints and "
            "verifies labels. Quality approves label artwork.",
            "1. Assign a Basic UDI-DI per device group and a UDI-DI per variant and packaging "
            "level through GS1 Norway; record them in samsvar.\n"
            "2. Register the UDI data in EUDAMED before the device is placed on the market and "
            "keep it up to date.\n"
            "3. Label artwork shows the UDI carrier in both machine-readable (GS1 DataMatrix) "
            "and human-readable form, with the production identifiers (serial or lot, expiry).\n"
            "4. Information supplied with devices made available in Norway is in Norwegian; the "
            "translations are checked by a native speaker with device knowledge.\n"
            "5. Every print run is verified against the approved artwork (WI-002).",
            "UDI register, approved label artwork, label verification records.",
            "MDR Art. 27, 29, Annex I Section 23, Annex VI; IVDR Art. 24; EN ISO 15223-1; WI-002.",
            Block(
                "## 7 Norwegian-language labelling of the GlucoSure\n\n"
                "Strip packs and the meter's screen texts are supplied in Norwegian Bokmål; the "
                "glossary of fixed terms (for example *blodsukker*, *kontrollvæske*) is kept "
                "with the artwork. New UDI-DIs for the 25- and 50-strip packs are allocated "
                "before the packs change.",
                since="B",
            ),
        ),
    ),
    DocumentSpec(
        number="SOP-015",
        doc_type="procedure",
        title="Control of nonconforming product",
        owner=QA,
        approvers=(MD,),
        iso_clauses=("8.3", "8.3.1", "8.3.2", "8.3.3", "8.3.4"),
        blocks=sop(
            "To identify and control product that does not conform, so that it is not used or "
            "delivered by mistake, and to decide what happens to it.",
            "Components, work in progress, finished devices and devices in the field, including "
            "returned and serviced devices.",
            "Anyone who finds a nonconformity reports it. The quality manager decides on the "
            "disposition; concessions need the managing director's approval.",
            "1. Label and segregate the product in the quarantine area; record the "
            "nonconformity with its extent.\n"
            "2. Evaluate it, including whether an investigation or CAPA is needed and whether "
            "anyone outside Fjordmed must be told.\n"
            "3. Decide: rework to an approved instruction, scrap, return to supplier, or accept "
            "under concession when the regulatory requirements are still met.\n"
            "4. For product found after delivery: act in proportion to the effects, which may "
            "mean an advisory notice or an FSCA (SOP-008).\n"
            "5. Reworked product is verified again against the acceptance criteria.",
            "Nonconformity reports with evaluation, disposition and authorisation; concessions.",
            "EN ISO 13485:2016 8.3; SOP-006; SOP-008.",
        ),
    ),
    DocumentSpec(
        number="SOP-016",
        doc_type="procedure",
        title="Customer communication and feedback",
        owner=RA,
        approvers=(QA,),
        iso_clauses=("7.2", "7.2.1", "7.2.2", "7.2.3", "8.2.1"),
        regulation_refs=("mdr:10(9)(j)",),
        periodic_review=ReviewSpec(
            outcome="still_valid",
            notes="Reviewed with customer support; the feedback channels and the order review "
            "are as described. No change.",
        ),
        blocks=sop(
            "To agree the requirements of each order, to communicate with customers, users, "
            "authorities and notified bodies, and to collect feedback as an early warning of "
            "quality problems.",
            "Orders from distributors and hospitals, user questions and feedback, communication "
            "with DMP, other competent authorities, the notified body and economic operators.",
            "Sales reviews orders. Customer support answers questions and records feedback. "
            "Regulatory affairs handles communication with authorities and the notified body.",
            "1. Review each order or contract before acceptance: product, quantities, delivery, "
            "regulatory requirements of the destination country, and our ability to meet them.\n"
            "2. Answer user questions within two working days; record every contact in the "
            "support system.\n"
            "3. Treat feedback that alleges a deficiency as a complaint (SOP-007).\n"
            "4. Collect feedback systematically: user surveys once a year, diabetes nurse "
            "panels, app-store reviews of the InsuLog app.\n"
            "5. Keep a log of communication with authorities and the notified body.",
            "Order reviews, contact records, survey results, communication log.",
            "EN ISO 13485:2016 7.2, 8.2.1; MDR Art. 10(9)(j); SOP-007.",
        ),
    ),
    DocumentSpec(
        number="SOP-017",
        doc_type="procedure",
        title="Clinical evaluation and performance evaluation",
        owner=RA,
        approvers=(QA,),
        iso_clauses=("7.3.7",),
        regulation_refs=("mdr:10(9)(f)", "mdr:61", "mdr:annex-xiv", "ivdr:56"),
        blocks=sop(
            "To plan, carry out and document the clinical evaluation of our MDR devices and the "
            "performance evaluation of our IVD devices, and to keep both up to date with "
            "post-market data.",
            "The InsuPump 3 (clinical evaluation, MDR Art. 61, Annex XIV) and the GlucoSure "
            "system (performance evaluation, IVDR Art. 56, Annex XIII).",
            "The regulatory affairs manager owns the plans and reports. A qualified clinical "
            "evaluator (external endocrinologist) writes and signs the clinical evaluation "
            "report.",
            "1. Write the clinical evaluation plan: the GSPRs that need clinical data, intended "
            "purpose, target groups, clinical benefits and outcome parameters.\n"
            "2. Search and appraise the literature and data on our device and any equivalent "
            "device; justify equivalence against the criteria of Annex XIV.\n"
            "3. Identify gaps and plan post-market clinical follow-up (PMCF) or a clinical "
            "investigation to close them.\n"
            "4. Write the clinical evaluation report; update it with PMS and PMCF data at least "
            "annually for the pump.",
            "Clinical and performance evaluation plans and reports, PMCF plans and reports.",
            "MDR Art. 61, Annex XIV; IVDR Art. 56, Annex XIII; SOP-009.",
        ),
    ),
    DocumentSpec(
        number="SOP-018",
        doc_type="procedure",
        title="Regulatory compliance and the PRRC",
        owner=RA,
        approvers=(MD,),
        reviewers=(QA,),
        iso_clauses=("4.2.3",),
        regulation_refs=refs("mdr:10(9)(a) mdr:10(9)(j) mdr:10(4) mdr:15 mdr:19 mdr:31 ivdr:15"),
        blocks=sop(
            "To keep our devices and our company in conformity with the MDR and the IVDR: the "
            "strategy for regulatory compliance, the technical documentation, the declarations "
            "of conformity and the role of the person responsible for regulatory compliance.",
            "Both devices and every regulatory obligation of Fjordmed AS as a manufacturer.",
            "The regulatory affairs manager owns the strategy and the technical documentation. "
            "The PRRC (the quality manager) checks conformity before release and that vigilance "
            "and PMS obligations are met, and may not be disadvantaged for doing so.",
            "1. Classify each device with its rationale (Annex VIII) and choose the conformity "
            "assessment route.\n"
            "2. Keep the technical documentation (Annexes II and III) of each device current in "
            "samsvar's index; it is the medical device file of ISO 13485 4.2.3.\n"
            "3. Draw up and sign the EU declaration of conformity; register the company (SRN) "
            "and the devices in EUDAMED.\n"
            "4. Follow changes in the regulations, harmonised standards and common "
            "specifications monthly; record the impact in a change request (SOP-020).\n"
            "5. The PRRC signs the conformity check of every release.",
            "Technical documentation, declarations, classification records, PRRC checks.",
            "MDR Art. 10, 15, 19, 31, Annexes II-IV; IVDR Art. 10, 15; SOP-020.",
        ),
    ),
    DocumentSpec(
        number="SOP-019",
        doc_type="procedure",
        title="Software life cycle",
        owner=ENG,
        approvers=(QA, MD),
        reviewers=(RA,),
        iso_clauses=("4.1", "7.3.6", "7.5.6"),
        regulation_refs=("mdr:annex-i-17", "ivdr:annex-i-16"),
        revisions=(
            Issue("A", "First issue"),
            Issue(
                "B",
                "EN 62304 Amendment 1 and cybersecurity",
                change_request="Software life cycle: EN 62304 A1 and cybersecurity",
                stop=IN_REVIEW,
            ),
        ),
        blocks=sop(
            "To develop and maintain the software of our devices (pump firmware, meter "
            "firmware, the InsuLog app) and the software used in the QMS in a controlled way.",
            "Medical device software and the software we use in production and in the QMS.",
            "The software lead owns the software development plan. The quality manager approves "
            "the validation of QMS software.",
            "1. Classify each software system by safety class and plan its development, "
            "verification and maintenance.\n"
            "2. Record the software requirements with their links to risk controls; design the "
            "architecture and identify software of unknown provenance.\n"
            "3. Verify units, integration and the system; keep the anomaly list and evaluate "
            "open anomalies before release.\n"
            "4. Release with a documented configuration and build; archive the release.\n"
            "5. Maintain released software through the problem resolution process; every change "
            "passes through SOP-020.\n"
            "6. Validate QMS and production software for its intended use before use and after "
            "changes, in proportion to risk.",
            "Software development plans, requirements, verification records, release notes, "
            "validation records of QMS software.",
            "EN 62304:2006+A1:2015; MDR Annex I Section 17; SOP-011; SOP-020.",
            Block(
                "## 7 Cybersecurity\n\n"
                "Each connected device has a threat model, a software bill of materials and a "
                "plan for monitoring and patching vulnerabilities. Security updates are released "
                "through the same change control, with a faster path when a vulnerability is "
                "actively exploited.",
                since="B",
            ),
        ),
    ),
    DocumentSpec(
        number="SOP-020",
        doc_type="procedure",
        title="Change control",
        owner=QA,
        approvers=(MD,),
        reviewers=(RA, ENG),
        iso_clauses=("7.3.9",),
        regulation_refs=("mdr:10(9)(a)",),
        blocks=sop(
            "To evaluate, approve and record every change to our devices, processes and QMS "
            "documents before it is made, including its effect on conformity with the "
            "regulations.",
            "Changes to design, software, labelling, suppliers, production processes and QMS "
            "documents.",
            "Anyone may raise a change request. The regulatory affairs manager assesses the "
            "regulatory impact. The managing director approves changes; the quality manager "
            "closes them.",
            "1. Raise a change request in samsvar (FRM-001): what changes and why.\n"
            "2. Assess the impact on documents, devices, training, the risk management file and "
            "regulatory submissions; decide whether the change is significant and must be "
            "notified to the notified body before it is made.\n"
            "3. Approve the change request by electronic signature.\n"
            "4. Open the new revisions of the documents it names; verify and, where needed, "
            "validate the change.\n"
            "5. Close the change request when every revision under it is effective.",
            "Change requests with impact assessment, approval and the revisions they opened.",
            "EN ISO 13485:2016 7.3.9; MDR Art. 10(9)(a), Annex IX 4.10; FRM-001; SOP-001.",
        ),
    ),
    DocumentSpec(
        number="SOP-021",
        doc_type="procedure",
        title="Analysis of data and quality metrics",
        owner=QA,
        approvers=(MD,),
        reviewers=(RA,),
        iso_clauses=("8.4",),
        regulation_refs=("mdr:10(9)(m)",),
        revisions=(
            Issue(
                "A",
                "First issue: the analysis of data was described only in the management review "
                "inputs; internal audit IA-2026-03 asked for a procedure",
                stop=DRAFT,
                comment="Name the statistical method for the complaint trend thresholds.",
            ),
        ),
        blocks=sop(
            "To collect and analyse the data that show whether the QMS is suitable and "
            "effective, and to use them to improve.",
            "Data from feedback, complaints, product conformity, process indicators, suppliers, "
            "audits and service reports.",
            "The quality manager collects the data and reports them quarterly; each process "
            "owner explains the figures of their process.",
            "1. Keep a dashboard of quality metrics with a target for each: complaint rate per "
            "device, first-pass yield of final test, supplier rejection rate, CAPA on time, "
            "overdue training and document reviews.\n"
            "2. Analyse trends quarterly with statistical methods suited to the data, for "
            "example control charts for rates and a Poisson test for rare events.\n"
            "3. Raise CAPA when a metric misses its target twice in a row or a trend crosses a "
            "threshold of the PMS plan.\n"
            "4. Report the metrics, their trends and the actions taken to management review.",
            "Quarterly quality reports with the data behind each metric.",
            "EN ISO 13485:2016 8.4; MDR Art. 10(9)(m); SOP-003; SOP-006.",
        ),
    ),
)


# --- forms, work instructions and plans ---------------------------------------------------------


def form(number: str, title: str, clauses: tuple[str, ...], fields: str, used_by: str, **extra):
    return DocumentSpec(
        number=number,
        doc_type="form",
        title=title,
        owner=QA,
        approvers=(MD,),
        iso_clauses=clauses,
        blocks=(Block(f"Used by: {used_by}\n\n| Field | What to enter |\n|---|---|\n{fields}"),),
        **extra,
    )


FORMS = (
    form(
        "FRM-001",
        "Change request",
        ("7.3.9",),
        "| Change | What changes, with document or part numbers |\n"
        "| Reason | Why the change is needed |\n"
        "| Impact | Documents, devices, training, risk file, regulatory submissions |\n"
        "| Significant change | Yes / no, with the rationale (notified body) |\n"
        "| Approval | Electronic signature of the approver |",
        "SOP-020. Change requests are raised in samsvar; this form is the paper fallback.",
    ),
    form(
        "FRM-002",
        "Training record",
        ("6.2",),
        "| Trainee | Name and job role |\n| Document or subject | Number and revision |\n"
        "| Method | Read and understood, or instructor-led |\n"
        "| Trainer and assessment | For instructor-led training |\n| Signature | Trainee |",
        "SOP-004, for training given outside samsvar.",
    ),
    form(
        "FRM-003",
        "Complaint record",
        ("8.2.2", "8.2.3"),
        "| Received | Date, channel, complainant |\n| Device | Model, UDI, serial or lot |\n"
        "| Event | What happened, any injury |\n| Investigation | Result, or why none |\n"
        "| Closure | Reply to the complainant, CAPA reference |",
        "SOP-007.",
        revisions=(
            Issue("A", "First issue"),
            Issue(
                "B",
                "Vigilance assessment field added",
                change_request="Vigilance reporting through EUDAMED and trend reporting",
            ),
        ),
    ),
    form(
        "FRM-004",
        "CAPA record",
        ("8.5.2", "8.5.3"),
        "| Problem | Description, source and risk |\n| Correction | Immediate action |\n"
        "| Root cause | Method and result |\n| Actions | Owner and due date each |\n"
        "| Effectiveness | Check, date and result |",
        "SOP-006.",
    ),
    form(
        "FRM-005",
        "Internal audit report",
        ("8.2.4",),
        "| Audit | Number, process, date, auditors |\n| Criteria | Standard clauses, procedures |\n"
        "| Findings | Major, minor, observation, each with evidence |\n"
        "| Conclusion | Conformity and effectiveness of the process |",
        "SOP-005.",
        review_due_in_days=-80,
    ),
    form(
        "FRM-006",
        "Supplier evaluation",
        ("7.4.1",),
        "| Supplier | Name, address, what it supplies |\n| Class | A, B or C |\n"
        "| Evidence | Certificates, questionnaire, audit |\n| Decision | Approved, probation, "
        "rejected |",
        "SOP-012.",
    ),
)

WORK_INSTRUCTIONS = (
    DocumentSpec(
        number="WI-001",
        doc_type="work_instruction",
        title="Final test and cleaning of the InsuPump 3",
        owner=ENG,
        approvers=(QA,),
        iso_clauses=("7.5.1", "7.5.2", "8.2.6"),
        blocks=(
            Block(
                "## Equipment\n\nFlow test rig FT-2 (calibrated), occlusion test fixture, "
                "isopropyl alcohol 70 %, lint-free wipes.\n\n"
                "## Steps\n\n"
                "1. Scan the serial number into the device history record.\n"
                "2. Run the basal accuracy test at 1.0 U/h for 60 minutes; accept within ±5 %.\n"
                "3. Run the bolus test (five boluses of 2.0 U); accept within ±5 %.\n"
                "4. Trigger an occlusion; the alarm must sound within the specified time.\n"
                "5. Wipe the housing with isopropyl alcohol; never immerse the pump.\n"
                "6. Record the results; a failed pump goes to quarantine (SOP-015)."
            ),
        ),
    ),
    DocumentSpec(
        number="WI-002",
        doc_type="work_instruction",
        title="Label verification and Norwegian-language labelling",
        owner=RA,
        approvers=(QA,),
        iso_clauses=("7.5.8",),
        regulation_refs=("mdr:annex-i-23",),
        blocks=(
            Block(
                "## Steps\n\n"
                "1. Compare the first label of each print run with the approved artwork: text, "
                "symbols (EN ISO 15223-1), UDI carrier and production identifiers.\n"
                "2. Scan the GS1 DataMatrix; the decoded UDI must match the human-readable text.\n"
                "3. Check the Norwegian text against the glossary; any difference stops the run.\n"
                "4. Sign the label verification record and attach the first label."
            ),
        ),
    ),
)

PLANS = (
    DocumentSpec(
        number="PLN-001",
        doc_type="plan",
        title="Post-market surveillance plan, InsuPump 3",
        owner=RA,
        approvers=(QA,),
        iso_clauses=("8.2.1",),
        regulation_refs=("mdr:84", "mdr:10(9)(i)"),
        blocks=(
            Block(
                "## Data sources\n\nComplaints and service reports, returned pumps, the InsuLog "
                "app's anonymised error logs, literature on insulin pump incidents, DMP and "
                "other authorities' field safety notices for similar pumps.\n\n"
                "## Indicators and thresholds\n\n"
                "| Indicator | Threshold |\n|---|---|\n"
                "| Occlusion alarm complaints per 1,000 pump-months | 2.0 |\n"
                "| Delivery accuracy complaints per 1,000 pump-months | 0.5 |\n"
                "| Returned pumps with no fault found | 40 % |\n\n"
                "## Reporting\n\nQuarterly analysis to the quality manager; PSUR yearly; "
                "trend reports under MDR Art. 88 when a threshold is exceeded significantly."
            ),
        ),
    ),
)

# The edition and publisher of each external document; they are kept, not written, by us.
EXTERNAL = (
    DocumentSpec(
        number="EXT-001",
        doc_type="external",
        title="Medical devices — Quality management systems — Requirements for regulatory purposes",
        owner=QA,
        approvers=(QA,),
        publisher="CEN / Standard Norge",
        edition="EN ISO 13485:2016 + AC:2018 + A11:2021",
        blocks=(
            Block(
                "Purchased copy, licence held by the quality department; the PDF is in the "
                "standards library, not reproduced here. Harmonised under the MDR and the "
                "IVDR. Our quality manual (QM-001) maps every clause to our procedures."
            ),
        ),
    ),
    DocumentSpec(
        number="EXT-002",
        doc_type="external",
        title="Medical devices — Application of risk management to medical devices",
        owner=ENG,
        approvers=(QA,),
        publisher="CEN / Standard Norge",
        edition="EN ISO 14971:2019 + A11:2021",
        blocks=(
            Block(
                "Purchased copy in the standards library. Annex ZA/ZB of A11:2021 relate the "
                "standard to the general safety and performance requirements. Applied through "
                "SOP-010."
            ),
        ),
    ),
    DocumentSpec(
        number="EXT-003",
        doc_type="external",
        title="Regulation (EU) 2017/745 on medical devices (MDR)",
        owner=RA,
        approvers=(QA,),
        publisher="European Union",
        edition="OJ L 117, 5.5.2017, consolidated version in use",
        blocks=(
            Block(
                "Incorporated in Norwegian law through the regulation on medical devices "
                "(forskrift om medisinsk utstyr). Regulatory affairs checks EUR-Lex monthly for "
                "amendments and new implementing acts (SOP-018)."
            ),
        ),
    ),
    DocumentSpec(
        number="EXT-004",
        doc_type="external",
        title="Regulation (EU) 2017/746 on in vitro diagnostic medical devices (IVDR)",
        owner=RA,
        approvers=(QA,),
        publisher="European Union",
        edition="OJ L 117, 5.5.2017, consolidated version in use",
        blocks=(
            Block(
                "Applies to the GlucoSure system. Transitional provisions as amended are "
                "followed by regulatory affairs (SOP-018)."
            ),
        ),
    ),
)

DOCUMENTS: tuple[DocumentSpec, ...] = (
    QUALITY_MANUAL,
    *SOPS,
    *FORMS,
    *WORK_INSTRUCTIONS,
    *PLANS,
    *EXTERNAL,
)


# --- change requests ----------------------------------------------------------------------------

CHANGE_REQUESTS: tuple[ChangeRequestSpec, ...] = (
    ChangeRequestSpec(
        title="Vigilance reporting through EUDAMED and trend reporting",
        what="Describe reporting through the EUDAMED vigilance module and trend reports; add a "
        "vigilance assessment to every complaint and a field for it on the complaint record.",
        why="MDR Art. 88 requires trend reports, and the EUDAMED vigilance module becomes "
        "mandatory. Finding F-2 of the notified body's stage 1 audit.",
        documents=("SOP-007", "SOP-008", "FRM-003"),
        devices=(PUMP, METER),
        requested_by=RA,
        reason="Reporting through EUDAMED and trend reporting",
        impact_training="Read and understood: customer support, QA/RA. Instructor-led session "
        "on the serious incident criteria for customer support.",
        impact_risk="None: reporting only. The thresholds come from the PMS plan.",
        impact_regulatory="None to notify; the notified body sees the revised procedures at "
        "stage 2.",
    ),
    ChangeRequestSpec(
        title="Software life cycle: EN 62304 A1 and cybersecurity",
        what="Bring the software life cycle procedure in line with EN 62304:2006+A1:2015 and add "
        "cybersecurity (threat model, SBOM, vulnerability monitoring).",
        why="The Bluetooth variant of the InsuPump 3 (IP3-100-BT) connects to a phone; MDCG "
        "2019-16 guidance on cybersecurity applies.",
        documents=("SOP-019",),
        devices=(PUMP,),
        requested_by=ENG,
        reason="EN 62304 Amendment 1 and cybersecurity",
        impact_training="Read and understood: engineering.",
        impact_risk="Security risks added to the pump's risk management file (hazard category "
        "information).",
        impact_regulatory="Technical documentation section 6.1(b) updated; not a significant "
        "change to the design.",
    ),
    ChangeRequestSpec(
        title="Norwegian-language labelling of the GlucoSure",
        what="Describe the Norwegian labelling of strip packs and meter screens, and the UDI-DIs "
        "for the new 25-strip pack.",
        why="Distributor feedback from pharmacies in Norway; DMP's guidance on the language of "
        "information supplied with devices for lay users.",
        documents=("SOP-014", "WI-002"),
        devices=(METER,),
        requested_by=RA,
        reason="Norwegian labelling of the GlucoSure",
        impact_training="Read and understood: production, customer support.",
        impact_regulatory="Labels and IFU in the technical documentation (Annex II 2).",
        approved=False,
    ),
)
