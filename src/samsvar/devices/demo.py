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
