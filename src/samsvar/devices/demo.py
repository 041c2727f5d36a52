"""Demo data: Fjordmed's insulin pump (MDR) and blood-glucose self-test meter (IVDR)."""

from samsvar.core.services import record_sign, signature_request_create
from samsvar.devices.models import Device
from samsvar.devices.services import device_create, device_update

PUMP = "Fjordmed InsuPump 3"
METER = "Fjordmed GlucoSure"


def load_devices(people: dict, password: str) -> None:
    if not Device.objects.filter(name=PUMP).exists():
        pump = device_create(
            actor=people["engineer"],
            name=PUMP,
            model_number="IP3-100",
            variants=["IP3-100 with 200-unit reservoir", "IP3-100 infusion set adapter"],
            regime="mdr",
            intended_purpose=(
                "The InsuPump 3 is intended for continuous subcutaneous infusion of U-100 insulin "
                "at set and variable rates for the management of diabetes mellitus in persons "
                "requiring insulin. It is used by the patient or a caregiver at home and is set "
                "up by healthcare professionals. Not intended for intravenous use or for drugs "
                "other than rapid-acting U-100 insulin."
            ),
            intended_users="both",
            target_markets=["NO", "SE", "DK", "FI", "DE"],
            lifecycle_status="verification",
        )
        record_sign(actor=people["engineer"], record=pump, meaning="authored", password=password)
        record_sign(actor=people["approver"], record=pump, meaning="approved", password=password)
        device_update(
            actor=people["regulatory"],
            device=pump,
            variants=[*pump.variants, "IP3-100-BT with Bluetooth link to the InsuLog app"],
            reason="Design review DR-4 added the Bluetooth variant (change request CR-2026-014).",
        )
        signature_request_create(
            actor=people["regulatory"],
            record=pump,
            signer=people["approver"],
            meaning="approved",
            message="Please approve version 2: Bluetooth variant added after DR-4.",
        )
    if not Device.objects.filter(name=METER).exists():
        meter = device_create(
            actor=people["engineer"],
            name=METER,
            model_number="GS-20",
            variants=[
                "GS-20 meter",
                "GS-20 test strips, 50",
                "GS-20 control solution, level 1 and 2",
            ],
            regime="ivdr",
            intended_purpose=(
                "The GlucoSure system is intended for the quantitative measurement of glucose in "
                "fresh capillary whole blood from the fingertip, for self-testing by persons with "
                "diabetes as an aid in monitoring the effectiveness of diabetes control. It is not "
                "intended for the diagnosis of or screening for diabetes, nor for use on neonates."
            ),
            intended_users="lay",
            target_markets=["NO", "SE", "DK"],
            lifecycle_status="development",
        )
        record_sign(actor=people["engineer"], record=meter, meaning="authored", password=password)
        signature_request_create(
            actor=people["engineer"],
            record=meter,
            signer=people["quality"],
            meaning="reviewed",
            message="Intended purpose drafted from the performance evaluation plan PEP-GS20.",
        )


def _complete(regime: str, preset: dict) -> dict:
    """The preset answers, plus "no" / "none" (or the first choice) for every other question."""
    from samsvar.regulatory.classification import questions

    answers: dict = {}
    while True:
        pending = [q for q in questions(regime, answers) if q.attribute not in answers]
        if not pending:
            return answers
        question = pending[0]
        if question.attribute in preset:
            answers[question.attribute] = preset[question.attribute]
        elif question.kind == "bool":
            answers[question.attribute] = False
        elif question.kind == "multi":
            answers[question.attribute] = []
        else:
            values = [choice.value for choice in question.choices]
            answers[question.attribute] = "none" if "none" in values else values[0]


PUMP_PROFILE = {
    "invasiveness": "non_invasive",
    "contact": "intact_skin",
    "active": True,
    "active_type": "therapeutic",
    "software": False,
    "administers_or_removes_substances": True,
    "substance_administration_potentially_hazardous": True,
}
METER_PROFILE = {
    "product_type": "assay_reagent",
    "use_setting": "self_test",
    "purpose": ["other"],
}


def load_classifications(people: dict, password: str) -> None:
    """Both demo devices classified through the same service the wizard uses."""
    from samsvar.devices.models import Classification
    from samsvar.devices.services import classification_save

    pump = Device.objects.get(name=PUMP)
    if not Classification.objects.filter(device=pump).exists():
        record = classification_save(
            actor=people["regulatory"],
            device=pump,
            profile=_complete("mdr", PUMP_PROFILE),
            rationale=(
                "The InsuPump 3 is an active therapeutic device (battery-driven motor) that "
                "delivers U-100 insulin subcutaneously through a separate infusion set; insulin "
                "dosing errors can cause severe hypoglycaemia, so administration is potentially "
                "hazardous (MDCG 2021-24, Rule 12 examples: insulin pumps)."
            ),
        )
        record_sign(
            actor=people["regulatory"], record=record, meaning="authored", password=password
        )
        record_sign(actor=people["approver"], record=record, meaning="approved", password=password)
    meter = Device.objects.get(name=METER)
    if not Classification.objects.filter(device=meter).exists():
        classification_save(
            actor=people["regulatory"],
            device=meter,
            profile=_complete("ivdr", METER_PROFILE),
            rationale=(
                "Glucose test strips and meter for self-testing by lay persons; glucose is not "
                "among the Rule 4 exceptions, so Rule 4(a) applies (MDCG 2020-16, Rule 4)."
            ),
            reason="Classified under IVDR Annex VIII after the intended purpose was drafted.",
        )
