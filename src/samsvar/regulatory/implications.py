"""What a device class implies: conformity assessment routes, notified body, PMS, UDI, retention.

`implications(regime, device_class, profile)` answers, for one device, the questions a QA/RA
manager asks right after classification:

- which conformity assessment routes are open (MDR Art. 52, IVDR Art. 48), each with the annexes
  it uses and a plain summary;
- whether a notified body is needed, and for what (class Is/Im/Ir and sterile class A: limited);
- which extra procedures apply (MDR Art. 54 clinical evaluation consultation; IVDR Annex IX
  Sections 5.1 and 5.2, EU reference laboratory, expert panel);
- the post-market surveillance report and its cadence (MDR Arts. 85-86, IVDR Arts. 80-81);
- from when the UDI carrier must be on the label (MDR Art. 123(3)(f)-(g), IVDR Art. 113(3)(e));
- how long the documentation must be kept (MDR Art. 10(8), IVDR Art. 10(7));
- other class-driven duties: SSCP/SSP, implant card, clinical investigation.

Sources: docs/regulatory-facts §1 and §4.2, with Arts. 52, 54, 61, 123 (MDR) and Arts. 29, 48, 80,
81, 113 (IVDR) re-read in the consolidated text. Every item carries a `citation` and a `confirmed`
flag. Profile flags that do not exist under a regime (e.g. `implantable` for an IVD, `self_test`
for an MDR device) are ignored.

Not modelled here (no profile flag yet): the extra consultations of MDR Art. 52(9)-(11) for devices
with an ancillary medicinal substance, human tissues or cells, or systemically absorbed substances.
"""

from dataclasses import dataclass, fields
from datetime import date

MDR = "mdr"
IVDR = "ivdr"
CLASSES = {MDR: ("I", "IIa", "IIb", "III"), IVDR: ("A", "B", "C", "D")}

# MDR Art. 52(4) second subparagraph, Art. 61(6)(b) and Art. 18(3): the well-established
# technologies exempted from per-device technical documentation assessment (class IIb implants),
# from mandatory clinical investigation and from the implant card.
WELL_ESTABLISHED_TECHNOLOGIES = (
    "sutures",
    "staples",
    "dental fillings",
    "dental braces",
    "tooth crowns",
    "screws",
    "wedges",
    "plates",
    "wires",
    "pins",
    "clips",
    "connectors",
)

# Kinds of technical documentation assessment a route involves.
TD_NONE = "none"
TD_LIMITED = "limited"
TD_PER_CATEGORY = "per_category"
TD_PER_GENERIC_DEVICE_GROUP = "per_generic_device_group"
TD_EVERY_DEVICE = "every_device"
TD_TYPE_EXAMINATION = "type_examination"

# How a PMS report reaches the notified body.
SUBMIT_VIA_EUDAMED = "eudamed_to_notified_body"
AVAILABLE_TO_NB = "available_to_notified_body"
ON_REQUEST = "on_request"


@dataclass(frozen=True, kw_only=True)
class Profile:
    """Device characteristics that change what the class implies. A missing flag means false."""

    implantable: bool = False
    sterile: bool = False
    measuring: bool = False
    reusable_surgical: bool = False
    active: bool = False
    administers_or_removes_medicinal_product: bool = False
    custom_made: bool = False
    self_test: bool = False
    near_patient: bool = False
    companion_diagnostic: bool = False
    # One of the MDR Art. 52(4)/61(6)(b) items: sutures, staples, dental fillings, dental braces,
    # tooth crowns, screws, wedges, plates, wires, pins, clips, connectors.
    is_wellestablished_technology_exception: bool = False

    @classmethod
    def flag_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, kw_only=True)
class Item:
    """One implication, with its source."""

    key: str
    title_en: str
    title_nb: str
    summary_en: str
    summary_nb: str
    citation: str
    confirmed: bool = True

    def title(self, language: str) -> str:
        return self.title_nb if language.startswith("nb") else self.title_en

    def summary(self, language: str) -> str:
        return self.summary_nb if language.startswith("nb") else self.summary_en


@dataclass(frozen=True, kw_only=True)
class Route(Item):
    """One conformity assessment option the manufacturer may choose."""

    annexes: tuple[str, ...] = ()
    notified_body: bool = False
    td_assessment: str = TD_NONE


@dataclass(frozen=True, kw_only=True)
class NotifiedBodyRole(Item):
    required: bool = False
    # Empty when the notified body's role is not limited; otherwise the aspects it is limited to:
    # "sterility", "metrology", "reuse".
    limited_to: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PmsReport(Item):
    report: str = ""  # "PMSR" | "PSUR"
    max_interval_months: int | None = None  # None: "updated when necessary", no fixed period
    submission: str = ON_REQUEST


@dataclass(frozen=True, kw_only=True)
class UdiCarrier(Item):
    applicable: bool = True
    carrier_from: date | None = None  # UDI carrier on the label (MDR Art. 27(4), IVDR Art. 24(4))
    direct_marking_from: date | None = None  # reusable devices marked on the device itself (MDR)


@dataclass(frozen=True, kw_only=True)
class Retention(Item):
    years: int = 10


@dataclass(frozen=True, kw_only=True)
class Implications:
    regime: str
    device_class: str
    class_label: str  # "Is", "Imr", "IIb", "C" ...
    profile: Profile
    routes: tuple[Route, ...]
    notified_body: NotifiedBodyRole
    additional_procedures: tuple[Item, ...]
    clinical_evaluation_consultation: bool  # MDR Art. 54 applies
    pms: PmsReport
    udi: UdiCarrier
    retention: Retention
    other: tuple[Item, ...]

    def items(self) -> tuple[Item, ...]:
        """Every item, for listing or for checking that each one has a citation."""
        return (
            *self.routes,
            self.notified_body,
            *self.additional_procedures,
            self.pms,
            self.udi,
            self.retention,
            *self.other,
        )


def implications(regime: str, device_class: str, profile: Profile | None = None) -> Implications:
    """What `device_class` under `regime` ("mdr" or "ivdr") implies for a device with `profile`."""
    if regime not in CLASSES:
        raise ValueError(f"unknown regime {regime!r}; expected 'mdr' or 'ivdr'")
    if device_class not in CLASSES[regime]:
        raise ValueError(
            f"unknown {regime.upper()} class {device_class!r}; expected one of {CLASSES[regime]}"
        )
    profile = profile or Profile()
    if regime == MDR:
        return _mdr(device_class, profile)
    return _ivdr(device_class, profile)


# ---------------------------------------------------------------------------------------------
# MDR


_CLASS_I_LIMITS = (
    # flag, limited_to, paragraph, English aspect, Norwegian aspect
    (
        "sterile",
        "sterility",
        "52(7)(a)",
        "establishing, securing and maintaining sterile conditions",
        "å etablere, sikre og opprettholde sterile forhold",
    ),
    (
        "measuring",
        "metrology",
        "52(7)(b)",
        "conformity with the metrological requirements",
        "samsvar med de metrologiske kravene",
    ),
    (
        "reusable_surgical",
        "reuse",
        "52(7)(c)",
        "reuse: cleaning, disinfection, sterilisation, maintenance, functional testing and the "
        "related instructions for use",
        "gjenbruk: rengjøring, desinfeksjon, sterilisering, vedlikehold, funksjonstesting og "
        "tilhørende bruksanvisning",
    ),
)


def _mdr(device_class: str, p: Profile) -> Implications:
    label = device_class
    if device_class == "I":
        label += "".join(
            letter
            for flag, letter in (("sterile", "s"), ("measuring", "m"), ("reusable_surgical", "r"))
            if getattr(p, flag)
        )
    if p.custom_made:
        routes, nb = _mdr_custom_made_routes(device_class, p)
    else:
        routes, nb = _mdr_routes(device_class, p)
    cecp = _mdr_art54(device_class, p)
    return Implications(
        regime=MDR,
        device_class=device_class,
        class_label=label,
        profile=p,
        routes=routes,
        notified_body=nb,
        additional_procedures=(cecp,) if cecp else (),
        clinical_evaluation_consultation=cecp is not None,
        pms=_mdr_pms(device_class, p),
        udi=_mdr_udi(device_class, p),
        retention=_mdr_retention(p),
        other=_mdr_other(device_class, p),
    )


def _full_nb(citation: str) -> NotifiedBodyRole:
    return NotifiedBodyRole(
        key="notified-body",
        title_en="Notified body required",
        title_nb="Teknisk kontrollorgan kreves",
        summary_en="A notified body takes part in the conformity assessment and issues the "
        "certificates the declaration of conformity refers to.",
        summary_nb="Et teknisk kontrollorgan deltar i samsvarsvurderingen og utsteder "
        "sertifikatene som samsvarserklæringen viser til.",
        citation=citation,
        required=True,
    )


def _no_nb(citation: str, why_en: str, why_nb: str) -> NotifiedBodyRole:
    return NotifiedBodyRole(
        key="notified-body",
        title_en="No notified body",
        title_nb="Ikke teknisk kontrollorgan",
        summary_en=why_en,
        summary_nb=why_nb,
        citation=citation,
        required=False,
    )


def _mdr_routes(cls: str, p: Profile) -> tuple[tuple[Route, ...], NotifiedBodyRole]:
    if cls == "I":
        limits = [row for row in _CLASS_I_LIMITS if getattr(p, row[0])]
        if not limits:
            route = Route(
                key="mdr-I-self-declaration",
                title_en="Self-declaration",
                title_nb="Egenerklæring",
                summary_en="Draw up the technical documentation (Annexes II and III), then issue "
                "the EU declaration of conformity (Art. 19). No notified body takes part.",
                summary_nb="Utarbeid teknisk dokumentasjon (vedlegg II og III) og utsted deretter "
                "EU-samsvarserklæringen (art. 19). Ingen teknisk kontrollorgan deltar.",
                citation="MDR Art. 52(7)",
                annexes=("II", "III"),
            )
            nb = _no_nb(
                "MDR Art. 52(7)",
                "Class I devices that are not sterile, have no measuring function and are not "
                "reusable surgical instruments are self-declared.",
                "Utstyr i klasse I som ikke er sterilt, ikke har målefunksjon og ikke er "
                "gjenbrukbare kirurgiske instrumenter, egenerklæres.",
            )
            return (route,), nb
        aspects_en = "; ".join(row[3] for row in limits)
        aspects_nb = "; ".join(row[4] for row in limits)
        citation = "MDR Art. " + ", ".join(row[2] for row in limits)
        routes = (
            Route(
                key="mdr-I-special-annex-ix",
                title_en="Annex IX Chapters I and III, limited",
                title_nb="Vedlegg IX kapittel I og III, begrenset",
                summary_en="Technical documentation and declaration of conformity as for class I, "
                "plus a notified body assessment of the quality management system under Annex IX "
                f"Chapters I and III, limited to {aspects_en}.",
                summary_nb="Teknisk dokumentasjon og samsvarserklæring som for klasse I, og i "
                "tillegg vurdering av kvalitetsstyringssystemet etter vedlegg IX kapittel I og III "
                f"av et teknisk kontrollorgan, begrenset til {aspects_nb}.",
                citation=citation,
                annexes=("II", "III", "IX Ch. I", "IX Ch. III"),
                notified_body=True,
                td_assessment=TD_LIMITED,
            ),
            Route(
                key="mdr-I-special-annex-xi-a",
                title_en="Annex XI Part A (production quality assurance), limited",
                title_nb="Vedlegg XI del A (kvalitetssikring av produksjonen), begrenset",
                summary_en="Technical documentation and declaration of conformity as for class I, "
                "plus production quality assurance under Annex XI Part A by a notified body, "
                f"limited to {aspects_en}.",
                summary_nb="Teknisk dokumentasjon og samsvarserklæring som for klasse I, og i "
                "tillegg kvalitetssikring av produksjonen etter vedlegg XI del A ved et teknisk "
                f"kontrollorgan, begrenset til {aspects_nb}.",
                citation=citation,
                annexes=("II", "III", "XI Part A"),
                notified_body=True,
                td_assessment=TD_LIMITED,
            ),
        )
        nb = NotifiedBodyRole(
            key="notified-body",
            title_en="Notified body, limited role",
            title_nb="Teknisk kontrollorgan med begrenset rolle",
            summary_en=f"The notified body only assesses {aspects_en}.",
            summary_nb=f"Det tekniske kontrollorganet vurderer bare {aspects_nb}.",
            citation=citation,
            required=True,
            limited_to=tuple(row[1] for row in limits),
        )
        return routes, nb

    if cls == "IIa":
        routes = (
            Route(
                key="mdr-IIa-annex-ix",
                title_en="Annex IX Chapters I and III with technical documentation assessment",
                title_nb="Vedlegg IX kapittel I og III med vurdering av teknisk dokumentasjon",
                summary_en="The notified body assesses the quality management system (Annex IX "
                "Chapter I) and the technical documentation (Section 4) of at least one "
                "representative device per category of devices.",
                summary_nb="Det tekniske kontrollorganet vurderer kvalitetsstyringssystemet "
                "(vedlegg IX kapittel I) og den tekniske dokumentasjonen (avsnitt 4) for minst ett "
                "representativt utstyr per utstyrskategori.",
                citation="MDR Art. 52(6)",
                annexes=("II", "III", "IX Ch. I", "IX Ch. III"),
                notified_body=True,
                td_assessment=TD_PER_CATEGORY,
            ),
            Route(
                key="mdr-IIa-annex-xi",
                title_en="Technical documentation with Annex XI Section 10 or Section 18",
                title_nb="Teknisk dokumentasjon med vedlegg XI avsnitt 10 eller avsnitt 18",
                summary_en="Draw up the technical documentation (Annexes II and III); the notified "
                "body applies production quality assurance (Annex XI Section 10) or product "
                "verification (Annex XI Section 18), and assesses the technical documentation of "
                "at least one representative device per category.",
                summary_nb="Utarbeid teknisk dokumentasjon (vedlegg II og III); det tekniske "
                "kontrollorganet gjennomfører kvalitetssikring av produksjonen (vedlegg XI "
                "avsnitt 10) eller produktverifisering (vedlegg XI avsnitt 18) og vurderer den "
                "tekniske dokumentasjonen for minst ett representativt utstyr per kategori.",
                citation="MDR Art. 52(6)",
                annexes=("II", "III", "XI"),
                notified_body=True,
                td_assessment=TD_PER_CATEGORY,
            ),
        )
        return routes, _full_nb("MDR Art. 52(6)")

    if cls == "IIb":
        every = p.implantable and not p.is_wellestablished_technology_exception
        if every:
            td_en = "the technical documentation of every device (class IIb implantable)"
            td_nb = (
                "den tekniske dokumentasjonen for hvert enkelt utstyr (implanterbart klasse IIb)"
            )
        elif p.implantable:
            td_en = (
                "the technical documentation of at least one representative device per generic "
                "device group (the well-established technologies of Art. 52(4) are exempt from "
                "per-device assessment)"
            )
            td_nb = (
                "den tekniske dokumentasjonen for minst ett representativt utstyr per generisk "
                "utstyrsgruppe (de veletablerte teknologiene i art. 52(4) er unntatt fra vurdering "
                "av hvert enkelt utstyr)"
            )
        else:
            td_en = (
                "the technical documentation of at least one representative device per generic "
                "device group"
            )
            td_nb = (
                "den tekniske dokumentasjonen for minst ett representativt utstyr per generisk "
                "utstyrsgruppe"
            )
        routes = (
            Route(
                key="mdr-IIb-annex-ix",
                title_en="Annex IX Chapters I and III with technical documentation assessment",
                title_nb="Vedlegg IX kapittel I og III med vurdering av teknisk dokumentasjon",
                summary_en="The notified body assesses the quality management system (Annex IX "
                f"Chapter I) and, under Section 4, {td_en}.",
                summary_nb="Det tekniske kontrollorganet vurderer kvalitetsstyringssystemet "
                f"(vedlegg IX kapittel I) og, etter avsnitt 4, {td_nb}.",
                citation="MDR Art. 52(4)",
                annexes=("II", "III", "IX Ch. I", "IX Ch. II Sec. 4", "IX Ch. III"),
                notified_body=True,
                td_assessment=TD_EVERY_DEVICE if every else TD_PER_GENERIC_DEVICE_GROUP,
            ),
            Route(
                key="mdr-IIb-annex-x-xi",
                title_en="Type examination (Annex X) with product conformity verification "
                "(Annex XI)",
                title_nb="Typeprøving (vedlegg X) med verifisering av produktsamsvar (vedlegg XI)",
                summary_en="The notified body examines a representative sample of the device "
                "(type examination, Annex X); conformity of production is then verified under "
                "Annex XI.",
                summary_nb="Det tekniske kontrollorganet undersøker en representativ prøve av "
                "utstyret (typeprøving, vedlegg X); samsvar i produksjonen verifiseres deretter "
                "etter vedlegg XI.",
                citation="MDR Art. 52(4)",
                annexes=("II", "III", "X", "XI"),
                notified_body=True,
                td_assessment=TD_TYPE_EXAMINATION,
            ),
        )
        return routes, _full_nb("MDR Art. 52(4)")

    routes = (
        Route(
            key="mdr-III-annex-ix",
            title_en="Annex IX: quality management system and technical documentation assessment",
            title_nb="Vedlegg IX: vurdering av kvalitetsstyringssystem og teknisk dokumentasjon",
            summary_en="The notified body assesses the quality management system (Annex IX "
            "Chapter I) and the technical documentation of every device (Chapter II).",
            summary_nb="Det tekniske kontrollorganet vurderer kvalitetsstyringssystemet "
            "(vedlegg IX kapittel I) og den tekniske dokumentasjonen for hvert enkelt utstyr "
            "(kapittel II).",
            citation="MDR Art. 52(3)",
            annexes=("II", "III", "IX"),
            notified_body=True,
            td_assessment=TD_EVERY_DEVICE,
        ),
        Route(
            key="mdr-III-annex-x-xi",
            title_en="Type examination (Annex X) with product conformity verification (Annex XI)",
            title_nb="Typeprøving (vedlegg X) med verifisering av produktsamsvar (vedlegg XI)",
            summary_en="The notified body examines a representative sample of the device (type "
            "examination, Annex X); conformity of production is then verified under Annex XI "
            "(production quality assurance or product verification).",
            summary_nb="Det tekniske kontrollorganet undersøker en representativ prøve av utstyret "
            "(typeprøving, vedlegg X); samsvar i produksjonen verifiseres deretter etter vedlegg "
            "XI (kvalitetssikring av produksjonen eller produktverifisering).",
            citation="MDR Art. 52(3)",
            annexes=("II", "III", "X", "XI"),
            notified_body=True,
            td_assessment=TD_TYPE_EXAMINATION,
        ),
    )
    return routes, _full_nb("MDR Art. 52(3)")


def _mdr_custom_made_routes(cls: str, p: Profile) -> tuple[tuple[Route, ...], NotifiedBodyRole]:
    statement = Route(
        key="mdr-custom-made-annex-xiii",
        title_en="Annex XIII statement for custom-made devices",
        title_nb="Erklæring etter vedlegg XIII for spesialtilpasset utstyr",
        summary_en="Follow the Annex XIII procedure and draw up the Section 1 statement before "
        "placing the device on the market. Custom-made devices carry no CE marking.",
        summary_nb="Følg prosedyren i vedlegg XIII og utarbeid erklæringen etter avsnitt 1 før "
        "utstyret bringes i omsetning. Spesialtilpasset utstyr skal ikke CE-merkes.",
        citation="MDR Art. 52(8)",
        annexes=("XIII",),
    )
    if not (cls == "III" and p.implantable):
        nb = _no_nb(
            "MDR Art. 52(8)",
            "Custom-made devices follow Annex XIII without a notified body, except class III "
            "implantable custom-made devices.",
            "Spesialtilpasset utstyr følger vedlegg XIII uten teknisk kontrollorgan, unntatt "
            "implanterbart spesialtilpasset utstyr i klasse III.",
        )
        return (statement,), nb
    routes = (
        Route(
            key="mdr-custom-made-III-annex-ix-ch-i",
            title_en="Annex XIII statement with Annex IX Chapter I",
            title_nb="Erklæring etter vedlegg XIII med vedlegg IX kapittel I",
            summary_en="Annex XIII statement, plus a notified body assessment of the quality "
            "management system under Annex IX Chapter I (class III implantable custom-made "
            "device).",
            summary_nb="Erklæring etter vedlegg XIII, og i tillegg vurdering av "
            "kvalitetsstyringssystemet etter vedlegg IX kapittel I av et teknisk kontrollorgan "
            "(implanterbart spesialtilpasset utstyr i klasse III).",
            citation="MDR Art. 52(8)",
            annexes=("XIII", "IX Ch. I"),
            notified_body=True,
        ),
        Route(
            key="mdr-custom-made-III-annex-xi-a",
            title_en="Annex XIII statement with Annex XI Part A",
            title_nb="Erklæring etter vedlegg XIII med vedlegg XI del A",
            summary_en="Annex XIII statement, plus production quality assurance under Annex XI "
            "Part A by a notified body (class III implantable custom-made device).",
            summary_nb="Erklæring etter vedlegg XIII, og i tillegg kvalitetssikring av "
            "produksjonen etter vedlegg XI del A ved et teknisk kontrollorgan (implanterbart "
            "spesialtilpasset utstyr i klasse III).",
            citation="MDR Art. 52(8)",
            annexes=("XIII", "XI Part A"),
            notified_body=True,
        ),
    )
    return routes, _full_nb("MDR Art. 52(8)")


def _mdr_art54(cls: str, p: Profile) -> Item | None:
    # Art. 54(1)(a) class III implantable; (b) class IIb active devices intended to administer
    # and/or remove a medicinal product (Annex VIII Rule 12). The consultation is part of Annex IX
    # Section 5.1 / Annex X Section 6, so it does not arise for custom-made devices (Art. 52(8)).
    if p.custom_made:
        return None
    if cls == "III" and p.implantable:
        why_en, why_nb, para = (
            "class III implantable device",
            "implanterbart utstyr i klasse III",
            "(a)",
        )
    elif cls == "IIb" and p.active and p.administers_or_removes_medicinal_product:
        why_en = "class IIb active device that administers and/or removes a medicinal product"
        why_nb = "aktivt utstyr i klasse IIb som tilfører og/eller fjerner et legemiddel"
        para = "(b)"
    else:
        return None
    return Item(
        key="mdr-art54-clinical-evaluation-consultation",
        title_en="Clinical evaluation consultation procedure",
        title_nb="Konsultasjonsprosedyre for klinisk evaluering",
        summary_en=f"As a {why_en}, the notified body sends its clinical evaluation assessment "
        "report to an expert panel for an opinion (Annex IX Section 5.1 or Annex X Section 6). "
        "Not required for certificate renewals, for modifications of the manufacturer's own "
        "marketed device that do not harm the benefit-risk ratio, or where a common specification "
        "on clinical evaluation is met (Art. 54(2)).",
        summary_nb=f"Som {why_nb} skal det tekniske kontrollorganet sende sin vurderingsrapport "
        "for den kliniske evalueringen til et ekspertpanel for uttalelse (vedlegg IX avsnitt 5.1 "
        "eller vedlegg X avsnitt 6). Kreves ikke ved fornyelse av sertifikat, ved endringer av "
        "produsentens eget markedsførte utstyr som ikke svekker nytte-risikoforholdet, eller når "
        "en felles spesifikasjon for klinisk evaluering er oppfylt (art. 54(2)).",
        citation=f"MDR Art. 54(1){para}",
    )


def _mdr_pms(cls: str, p: Profile) -> PmsReport:
    if p.custom_made:
        part_en = "It is part of the Annex XIII documentation."
        part_nb = "Den inngår i dokumentasjonen etter vedlegg XIII."
    else:
        part_en = "It is part of the technical documentation."
        part_nb = "Den inngår i den tekniske dokumentasjonen."
    if cls == "I":
        return PmsReport(
            key="mdr-pmsr",
            title_en="Post-market surveillance report (PMSR)",
            title_nb="Rapport om overvåking etter markedsføring (PMSR)",
            summary_en="Summarise the PMS results and conclusions, with the preventive and "
            "corrective actions taken. Update it when necessary; there is no fixed period. Make it "
            "available to the competent authority on request.",
            summary_nb="Oppsummer resultatene og konklusjonene fra overvåkingen etter "
            "markedsføring og de forebyggende og korrigerende tiltakene som er iverksatt. "
            "Oppdater rapporten ved behov; det er ingen fast frist. Den skal gjøres "
            "tilgjengelig for vedkommende myndighet på forespørsel.",
            citation="MDR Art. 85",
            report="PMSR",
            max_interval_months=None,
            submission=ON_REQUEST,
        )
    eudamed = cls == "III" or p.implantable
    if cls == "IIa":
        cadence_en, cadence_nb, months = (
            "when necessary and at least every two years",
            "ved behov og minst hvert annet år",
            24,
        )
    else:
        cadence_en, cadence_nb, months = ("at least annually", "minst én gang i året", 12)
    if eudamed:
        to_en = (
            "Submit it via Eudamed to the notified body, which adds its evaluation (class III and "
            "implantable devices; the Eudamed route applies once that module is mandatory, "
            "Art. 123(3)(d))."
        )
        to_nb = (
            "Send den via Eudamed til det tekniske kontrollorganet, som legger til sin vurdering "
            "(klasse III og implanterbart utstyr; Eudamed-ruten gjelder når modulen er blitt "
            "obligatorisk, art. 123(3)(d))."
        )
        citation = "MDR Art. 86(1), 86(2)"
    else:
        to_en = "Make it available to the notified body and, on request, to competent authorities."
        to_nb = (
            "Gjør den tilgjengelig for det tekniske kontrollorganet og, på forespørsel, for "
            "vedkommende myndigheter."
        )
        citation = "MDR Art. 86(1), 86(3)"
    return PmsReport(
        key="mdr-psur",
        title_en="Periodic safety update report (PSUR)",
        title_nb="Periodisk sikkerhetsoppdateringsrapport (PSUR)",
        summary_en="Summarise the PMS data with the benefit-risk conclusions, the main PMCF "
        "findings, sales volume and an estimate of the user population. Update it "
        f"{cadence_en}. {part_en} {to_en}",
        summary_nb="Oppsummer dataene fra overvåkingen med konklusjonene om nytte og risiko, de "
        "viktigste funnene fra PMCF, salgsvolum og et anslag over brukerpopulasjonen. Oppdater "
        f"den {cadence_nb}. {part_nb} {to_nb}",
        citation=citation,
        report="PSUR",
        max_interval_months=months,
        submission=SUBMIT_VIA_EUDAMED if eudamed else AVAILABLE_TO_NB,
    )


def _mdr_udi(cls: str, p: Profile) -> UdiCarrier:
    if p.custom_made:
        return UdiCarrier(
            key="mdr-udi-carrier",
            title_en="UDI does not apply",
            title_nb="UDI gjelder ikke",
            summary_en="The UDI system covers devices other than custom-made and investigational "
            "devices.",
            summary_nb="UDI-systemet omfatter ikke spesialtilpasset utstyr eller utstyr for "
            "klinisk utprøving.",
            citation="MDR Art. 27(1)",
            applicable=False,
        )
    if cls == "III" or p.implantable:
        start, group_en, group_nb = (
            date(2021, 5, 26),
            "implantable and class III",
            "implanterbart og klasse III",
        )
    elif cls in ("IIa", "IIb"):
        start, group_en, group_nb = date(2023, 5, 26), "class IIa and IIb", "klasse IIa og IIb"
    else:
        start, group_en, group_nb = date(2025, 5, 26), "class I", "klasse I"
    direct = date(start.year + 2, start.month, start.day)
    return UdiCarrier(
        key="mdr-udi-carrier",
        title_en="UDI carrier on the label",
        title_nb="UDI-bærer på merkingen",
        summary_en=f"For {group_en} devices the UDI carrier must be on the label from "
        f"{start.isoformat()}. Reusable devices that must carry it on the device itself: from "
        f"{direct.isoformat()}.",
        summary_nb=f"For {group_nb} skal UDI-bæreren stå på merkingen fra {start.isoformat()}. "
        f"Gjenbrukbart utstyr som skal merkes direkte på selve utstyret: fra {direct.isoformat()}.",
        citation="MDR Art. 123(3)(f), 123(3)(g)",
        carrier_from=start,
        direct_marking_from=direct,
    )


def _mdr_retention(p: Profile) -> Retention:
    years = 15 if p.implantable else 10
    if p.custom_made:
        return Retention(
            key="mdr-retention",
            title_en=f"Keep the Annex XIII statement for at least {years} years",
            title_nb=f"Oppbevar erklæringen etter vedlegg XIII i minst {years} år",
            summary_en=f"Keep the custom-made device statement for at least {years} years after "
            "the device is placed on the market (15 years for implantable devices).",
            summary_nb="Oppbevar erklæringen for det spesialtilpassede utstyret i minst "
            f"{years} år etter at utstyret ble brakt i omsetning (15 år for implanterbart utstyr).",
            citation="MDR Annex XIII Section 4",
            years=years,
        )
    return Retention(
        key="mdr-retention",
        title_en=f"Keep the documentation for at least {years} years",
        title_nb=f"Oppbevar dokumentasjonen i minst {years} år",
        summary_en="Keep the technical documentation, the declaration of conformity and the "
        f"certificates available for at least {years} years after the last device is placed on "
        "the market (10 years; 15 years for implantable devices).",
        summary_nb="Hold teknisk dokumentasjon, samsvarserklæring og sertifikater tilgjengelig i "
        f"minst {years} år etter at siste enhet ble brakt i omsetning (10 år; 15 år for "
        "implanterbart utstyr).",
        citation="MDR Art. 10(8)",
        years=years,
    )


def _mdr_other(cls: str, p: Profile) -> tuple[Item, ...]:
    items: list[Item] = []
    if (cls == "III" or p.implantable) and not p.custom_made:
        items.append(
            Item(
                key="mdr-sscp",
                title_en="Summary of safety and clinical performance (SSCP)",
                title_nb="Sammendrag av sikkerhet og klinisk ytelse (SSCP)",
                summary_en="Write an SSCP for the intended users (and patients where relevant); "
                "the notified body validates it and publishes it in Eudamed. Update it with the "
                "PMCF evaluation report at least annually (Art. 61(11)).",
                summary_nb="Utarbeid et SSCP for de tiltenkte brukerne (og pasienter der det er "
                "relevant); det tekniske kontrollorganet validerer det og publiserer det i "
                "Eudamed. Det oppdateres sammen med PMCF-evalueringsrapporten minst én gang i året "
                "(art. 61(11)).",
                citation="MDR Art. 32",
            )
        )
        if p.is_wellestablished_technology_exception:
            items.append(
                Item(
                    key="mdr-clinical-investigation",
                    title_en="Clinical investigation may be waived",
                    title_nb="Klinisk utprøving kan unnlates",
                    summary_en="Implantable and class III devices need clinical investigations, "
                    "but not the well-established technologies of Art. 61(6)(b) when the clinical "
                    "evaluation rests on sufficient clinical data and meets any product-specific "
                    "common specification. Justify this in the clinical evaluation report.",
                    summary_nb="Implanterbart utstyr og utstyr i klasse III krever klinisk "
                    "utprøving, men ikke de veletablerte teknologiene i art. 61(6)(b) når den "
                    "kliniske evalueringen bygger på tilstrekkelige kliniske data og oppfyller en "
                    "eventuell produktspesifikk felles spesifikasjon. Dette begrunnes i rapporten "
                    "om klinisk evaluering.",
                    citation="MDR Art. 61(4), 61(6)(b)",
                )
            )
        else:
            items.append(
                Item(
                    key="mdr-clinical-investigation",
                    title_en="Clinical investigation required",
                    title_nb="Klinisk utprøving kreves",
                    summary_en="Implantable and class III devices need clinical investigations, "
                    "unless the device is a modification of the manufacturer's own marketed "
                    "device with equivalence endorsed by the notified body (Art. 61(4)-(5)) or a "
                    "legacy device with sufficient clinical data (Art. 61(6)(a)).",
                    summary_nb="Implanterbart utstyr og utstyr i klasse III krever klinisk "
                    "utprøving, med mindre utstyret er en endring av produsentens eget "
                    "markedsførte utstyr med ekvivalens godkjent av det tekniske kontrollorganet "
                    "(art. 61(4)-(5)), eller er eldre utstyr med tilstrekkelige kliniske data "
                    "(art. 61(6)(a)).",
                    citation="MDR Art. 61(4)",
                )
            )
    if p.implantable and not p.is_wellestablished_technology_exception:
        items.append(
            Item(
                key="mdr-implant-card",
                title_en="Implant card and patient information",
                title_nb="Implantatkort og pasientinformasjon",
                summary_en="Supply an implant card and the patient information of Art. 18(1) with "
                "the device, in the language(s) of the Member State (Norwegian in Norway).",
                summary_nb="Lever implantatkort og pasientinformasjonen i art. 18(1) sammen med "
                "utstyret, på språket eller språkene medlemsstaten har fastsatt (norsk i Norge).",
                citation="MDR Art. 18",
            )
        )
    return tuple(items)


# ---------------------------------------------------------------------------------------------
# IVDR


def _ivdr(cls: str, p: Profile) -> Implications:
    routes, nb = _ivdr_routes(cls, p)
    return Implications(
        regime=IVDR,
        device_class=cls,
        class_label=cls,
        profile=p,
        routes=routes,
        notified_body=nb,
        additional_procedures=_ivdr_procedures(cls, p),
        clinical_evaluation_consultation=False,
        pms=_ivdr_pms(cls),
        udi=_ivdr_udi(cls),
        retention=Retention(
            key="ivdr-retention",
            title_en="Keep the documentation for at least 10 years",
            title_nb="Oppbevar dokumentasjonen i minst 10 år",
            summary_en="Keep the technical documentation, the declaration of conformity and the "
            "certificates available for at least 10 years after the last device is placed on the "
            "market. The IVDR has no longer period for any device type.",
            summary_nb="Hold teknisk dokumentasjon, samsvarserklæring og sertifikater tilgjengelig "
            "i minst 10 år etter at siste enhet ble brakt i omsetning. IVDR har ingen lengre frist "
            "for noen utstyrstype.",
            citation="IVDR Art. 10(7)",
            years=10,
        ),
        other=_ivdr_other(cls),
    )


_IVDR_PARAGRAPH = {"D": "48(3)", "C": "48(7)", "B": "48(9)", "A": "48(10)"}
_IVDR_ALTERNATIVE = {"D": "48(4)", "C": "48(8)"}


def _ivdr_routes(cls: str, p: Profile) -> tuple[tuple[Route, ...], NotifiedBodyRole]:
    para = _IVDR_PARAGRAPH[cls]
    decentral = p.self_test or p.near_patient
    if cls == "A":
        if not p.sterile:
            route = Route(
                key="ivdr-A-self-declaration",
                title_en="Self-declaration",
                title_nb="Egenerklæring",
                summary_en="Draw up the technical documentation (Annexes II and III), then issue "
                "the EU declaration of conformity (Art. 17). No notified body takes part.",
                summary_nb="Utarbeid teknisk dokumentasjon (vedlegg II og III) og utsted deretter "
                "EU-samsvarserklæringen (art. 17). Ingen teknisk kontrollorgan deltar.",
                citation="IVDR Art. 48(10)",
                annexes=("II", "III"),
            )
            nb = _no_nb(
                "IVDR Art. 48(10)",
                "Class A devices that are not placed on the market sterile are self-declared.",
                "Utstyr i klasse A som ikke bringes i omsetning sterilt, egenerklæres.",
            )
            return (route,), nb
        aspect_en = "establishing, securing and maintaining sterile conditions"
        aspect_nb = "å etablere, sikre og opprettholde sterile forhold"
        routes = tuple(
            Route(
                key=f"ivdr-A-sterile-annex-{annex.lower()}",
                title_en=f"Annex {annex}, limited to sterility",
                title_nb=f"Vedlegg {annex}, begrenset til sterilitet",
                summary_en="Technical documentation and declaration of conformity as for class A, "
                f"plus the Annex {annex} procedure with a notified body whose role is limited to "
                f"{aspect_en}.",
                summary_nb="Teknisk dokumentasjon og samsvarserklæring som for klasse A, og i "
                f"tillegg prosedyren i vedlegg {annex} med et teknisk kontrollorgan som bare "
                f"vurderer {aspect_nb}.",
                citation="IVDR Art. 48(10)",
                annexes=("II", "III", annex),
                notified_body=True,
                td_assessment=TD_LIMITED,
            )
            for annex in ("IX", "XI")
        )
        nb = NotifiedBodyRole(
            key="notified-body",
            title_en="Notified body, limited to sterility",
            title_nb="Teknisk kontrollorgan, begrenset til sterilitet",
            summary_en=f"The notified body only assesses {aspect_en}.",
            summary_nb=f"Det tekniske kontrollorganet vurderer bare {aspect_nb}.",
            citation="IVDR Art. 48(10)",
            required=True,
            limited_to=("sterility",),
        )
        return routes, nb

    extra_en = extra_nb = ""
    annexes: tuple[str, ...]
    if decentral:
        extra_en += " For self-testing or near-patient testing, Annex IX Section 5.1 also applies."
        extra_nb += (
            " For selvtesting eller pasientnær testing gjelder i tillegg vedlegg IX avsnitt 5.1."
        )
    if cls == "B":
        td = TD_PER_CATEGORY
        annexes = ("II", "III", "IX Ch. I", "IX Sec. 4.4-4.8", "IX Ch. III")
        body_en = (
            "The notified body assesses the quality management system (Annex IX Chapter I) and, "
            "under Sections 4.4-4.8, the technical documentation of at least one representative "
            "device per category of devices."
        )
        body_nb = (
            "Det tekniske kontrollorganet vurderer kvalitetsstyringssystemet (vedlegg IX kapittel "
            "I) og, etter avsnitt 4.4-4.8, den tekniske dokumentasjonen for minst ett "
            "representativt utstyr per utstyrskategori."
        )
    elif cls == "C":
        if p.companion_diagnostic:
            td = TD_EVERY_DEVICE
            annexes = ("II", "III", "IX Ch. I", "IX Sec. 4.1-4.8", "IX Sec. 5.2", "IX Ch. III")
            body_en = (
                "The notified body assesses the quality management system (Annex IX Chapter I) "
                "and, as this is a companion diagnostic, the technical documentation of every "
                "device (Sections 4.1-4.8 and 5.2), consulting the medicines authority or the EMA."
            )
            body_nb = (
                "Det tekniske kontrollorganet vurderer kvalitetsstyringssystemet (vedlegg IX "
                "kapittel I) og, fordi dette er ledsagende diagnostikk, den tekniske "
                "dokumentasjonen for hvert enkelt utstyr (avsnitt 4.1-4.8 og 5.2), i samråd med "
                "legemiddelmyndigheten eller EMA."
            )
        else:
            td = TD_PER_GENERIC_DEVICE_GROUP
            annexes = ("II", "III", "IX Ch. I", "IX Sec. 4.4-4.8", "IX Ch. III")
            body_en = (
                "The notified body assesses the quality management system (Annex IX Chapter I) "
                "and, under Sections 4.4-4.8, the technical documentation of at least one "
                "representative device per generic device group."
            )
            body_nb = (
                "Det tekniske kontrollorganet vurderer kvalitetsstyringssystemet (vedlegg IX "
                "kapittel I) og, etter avsnitt 4.4-4.8, den tekniske dokumentasjonen for minst ett "
                "representativt utstyr per generisk utstyrsgruppe."
            )
    else:  # D
        td = TD_EVERY_DEVICE
        annexes = ("II", "III", "IX Ch. I", "IX Ch. II (except Sec. 5)", "IX Ch. III")
        body_en = (
            "The notified body assesses the quality management system (Annex IX Chapter I) and the "
            "technical documentation of every device (Chapter II except Section 5)."
        )
        body_nb = (
            "Det tekniske kontrollorganet vurderer kvalitetsstyringssystemet (vedlegg IX kapittel "
            "I) og den tekniske dokumentasjonen for hvert enkelt utstyr (kapittel II unntatt "
            "avsnitt 5)."
        )
        if p.companion_diagnostic:
            extra_en += (
                " For a companion diagnostic the notified body consults the medicines authority or "
                "the EMA under Section 5.2."
            )
            extra_nb += (
                " For ledsagende diagnostikk rådfører det tekniske kontrollorganet seg med "
                "legemiddelmyndigheten eller EMA etter avsnitt 5.2."
            )
            annexes = (*annexes, "IX Sec. 5.2")
    if decentral:
        annexes = (*annexes, "IX Sec. 5.1")
    main = Route(
        key=f"ivdr-{cls}-annex-ix",
        title_en="Annex IX: quality management system and technical documentation assessment",
        title_nb="Vedlegg IX: vurdering av kvalitetsstyringssystem og teknisk dokumentasjon",
        summary_en=body_en + extra_en,
        summary_nb=body_nb + extra_nb,
        citation=f"IVDR Art. {para}",
        annexes=annexes,
        notified_body=True,
        td_assessment=td,
    )
    routes = [main]
    if cls in _IVDR_ALTERNATIVE:
        xi = "XI" if cls == "D" else "XI (except Sec. 5)"
        cdx_en = cdx_nb = ""
        if p.companion_diagnostic:
            cdx_en = (
                " For a companion diagnostic the notified body consults the medicines authority or "
                "the EMA under Annex X Section 3(k)."
            )
            cdx_nb = (
                " For ledsagende diagnostikk rådfører det tekniske kontrollorganet seg med "
                "legemiddelmyndigheten eller EMA etter vedlegg X avsnitt 3(k)."
            )
        routes.append(
            Route(
                key=f"ivdr-{cls}-annex-x-xi",
                title_en="Type examination (Annex X) with production quality assurance (Annex XI)",
                title_nb="Typeprøving (vedlegg X) med kvalitetssikring av produksjonen "
                "(vedlegg XI)",
                summary_en="The notified body examines a representative sample of the device "
                f"(type examination, Annex X); production is then assessed under Annex {xi}."
                + cdx_en,
                summary_nb="Det tekniske kontrollorganet undersøker en representativ prøve av "
                "utstyret (typeprøving, vedlegg X); produksjonen vurderes deretter etter vedlegg "
                f"{xi.replace('except Sec.', 'unntatt avsnitt')}." + cdx_nb,
                citation=f"IVDR Art. {_IVDR_ALTERNATIVE[cls]}",
                annexes=("II", "III", "X", xi),
                notified_body=True,
                td_assessment=TD_TYPE_EXAMINATION,
            )
        )
    return tuple(routes), _full_nb(f"IVDR Art. {para}")


def _ivdr_procedures(cls: str, p: Profile) -> tuple[Item, ...]:
    items: list[Item] = []
    if cls in ("B", "C", "D") and (p.self_test or p.near_patient):
        items.append(
            Item(
                key="ivdr-annex-ix-5-1",
                title_en="Assessment of self-testing and near-patient testing devices",
                title_nb="Vurdering av utstyr for selvtesting og pasientnær testing",
                summary_en="The notified body also assesses the design documentation for the lay "
                "or near-patient user: usability, instructions and the performance obtained by "
                "the intended users (Annex IX Section 5.1).",
                summary_nb="Det tekniske kontrollorganet vurderer i tillegg "
                "konstruksjonsdokumentasjonen med tanke på lekbrukeren eller den pasientnære "
                "brukeren: brukervennlighet, bruksanvisning og ytelsen de tiltenkte brukerne "
                "oppnår (vedlegg IX avsnitt 5.1).",
                citation=f"IVDR Art. {_IVDR_PARAGRAPH[cls]}",
            )
        )
    if cls in ("C", "D") and p.companion_diagnostic:
        items.append(
            Item(
                key="ivdr-annex-ix-5-2",
                title_en="Consultation on a companion diagnostic",
                title_nb="Konsultasjon om ledsagende diagnostikk",
                summary_en="The notified body consults the medicines authority designated under "
                "Directive 2001/83/EC, or the EMA, on the suitability of the device for the "
                "associated medicinal product (Annex IX Section 5.2 or Annex X Section 3(k)).",
                summary_nb="Det tekniske kontrollorganet rådfører seg med legemiddelmyndigheten "
                "utpekt etter direktiv 2001/83/EF, eller EMA, om utstyret egner seg for det "
                "tilhørende legemiddelet (vedlegg IX avsnitt 5.2 eller vedlegg X avsnitt 3(k)).",
                citation=f"IVDR Art. {_IVDR_PARAGRAPH[cls]}, {_IVDR_ALTERNATIVE[cls]}",
            )
        )
    if cls == "D":
        items.append(
            Item(
                key="ivdr-eu-reference-laboratory",
                title_en="EU reference laboratory testing, where designated",
                title_nb="Testing ved EU-referanselaboratorium, der et er utpekt",
                summary_en="Where an EU reference laboratory is designated for the device, the "
                "notified body asks it to verify the claimed performance and compliance with the "
                "common specifications by laboratory testing.",
                summary_nb="Der et EU-referanselaboratorium er utpekt for utstyret, ber det "
                "tekniske kontrollorganet laboratoriet om å verifisere den angitte ytelsen og "
                "samsvar med de felles spesifikasjonene ved laboratorietesting.",
                citation="IVDR Art. 48(5)",
            )
        )
        items.append(
            Item(
                key="ivdr-expert-panel",
                title_en="Expert panel consultation, where no common specification exists",
                title_nb="Konsultasjon med ekspertpanel, der det ikke finnes felles spesifikasjon",
                summary_en="If no common specifications exist and this is the first certification "
                "for this type of device, the notified body consults the expert panel on the "
                "manufacturer's performance evaluation report.",
                summary_nb="Finnes det ingen felles spesifikasjoner og dette er første "
                "sertifisering av denne typen utstyr, rådfører det tekniske kontrollorganet seg "
                "med ekspertpanelet om produsentens rapport om ytelsesevaluering.",
                citation="IVDR Art. 48(6)",
            )
        )
    return tuple(items)


def _ivdr_pms(cls: str) -> PmsReport:
    if cls in ("A", "B"):
        return PmsReport(
            key="ivdr-pmsr",
            title_en="Post-market surveillance report (PMSR)",
            title_nb="Rapport om overvåking etter markedsføring (PMSR)",
            summary_en="Summarise the PMS results and conclusions, with the preventive and "
            "corrective actions taken. Update it when necessary; there is no fixed period. Make it "
            "available to the notified body and the competent authority on request.",
            summary_nb="Oppsummer resultatene og konklusjonene fra overvåkingen etter "
            "markedsføring og de forebyggende og korrigerende tiltakene som er iverksatt. "
            "Oppdater rapporten ved behov; det er ingen fast frist. Den skal gjøres "
            "tilgjengelig for det tekniske kontrollorganet og vedkommende myndighet på "
            "forespørsel.",
            citation="IVDR Art. 80",
            report="PMSR",
            max_interval_months=None,
            submission=ON_REQUEST,
        )
    if cls == "D":
        to_en = (
            "Submit it via Eudamed to the notified body, which adds its evaluation (class D; the "
            "Eudamed route applies once that module is mandatory, Art. 113(3)(f))."
        )
        to_nb = (
            "Send den via Eudamed til det tekniske kontrollorganet, som legger til sin vurdering "
            "(klasse D; Eudamed-ruten gjelder når modulen er blitt obligatorisk, art. 113(3)(f))."
        )
        citation, submission = "IVDR Art. 81(1), 81(2)", SUBMIT_VIA_EUDAMED
    else:
        to_en = "Make it available to the notified body and, on request, to competent authorities."
        to_nb = (
            "Gjør den tilgjengelig for det tekniske kontrollorganet og, på forespørsel, for "
            "vedkommende myndigheter."
        )
        citation, submission = "IVDR Art. 81(1), 81(3)", AVAILABLE_TO_NB
    return PmsReport(
        key="ivdr-psur",
        title_en="Periodic safety update report (PSUR)",
        title_nb="Periodisk sikkerhetsoppdateringsrapport (PSUR)",
        summary_en="Summarise the PMS data with the benefit-risk conclusions, the main PMPF "
        "findings, sales volume and an estimate of the user population. Update it at least "
        f"annually. It is part of the technical documentation. {to_en}",
        summary_nb="Oppsummer dataene fra overvåkingen med konklusjonene om nytte og risiko, de "
        "viktigste funnene fra PMPF, salgsvolum og et anslag over brukerpopulasjonen. Oppdater "
        f"den minst én gang i året. Den inngår i den tekniske dokumentasjonen. {to_nb}",
        citation=citation,
        report="PSUR",
        max_interval_months=12,
        submission=submission,
    )


_IVDR_UDI = {
    "D": date(2023, 5, 26),
    "C": date(2025, 5, 26),
    "B": date(2025, 5, 26),
    "A": date(2027, 5, 26),
}


def _ivdr_udi(cls: str) -> UdiCarrier:
    start = _IVDR_UDI[cls]
    return UdiCarrier(
        key="ivdr-udi-carrier",
        title_en="UDI carrier on the label",
        title_nb="UDI-bærer på merkingen",
        summary_en=f"For class {cls} devices the UDI carrier must be on the label from "
        f"{start.isoformat()}.",
        summary_nb=f"For utstyr i klasse {cls} skal UDI-bæreren stå på merkingen fra "
        f"{start.isoformat()}.",
        citation="IVDR Art. 113(3)(e)",
        carrier_from=start,
    )


def _ivdr_other(cls: str) -> tuple[Item, ...]:
    if cls not in ("C", "D"):
        return ()
    return (
        Item(
            key="ivdr-ssp",
            title_en="Summary of safety and performance (SSP)",
            title_nb="Sammendrag av sikkerhet og ytelse (SSP)",
            summary_en="Write an SSP for the intended users (and patients where relevant); the "
            "notified body validates it and publishes it in Eudamed.",
            summary_nb="Utarbeid et SSP for de tiltenkte brukerne (og pasienter der det er "
            "relevant); det tekniske kontrollorganet validerer det og publiserer det i Eudamed.",
            citation="IVDR Art. 29",
        ),
    )
