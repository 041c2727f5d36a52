"""What a device's class implies, from its classification record (MDR Art. 52, IVDR Art. 48)."""

from samsvar.regulatory.implications import Implications, Profile, implications


def profile_for(record) -> Profile:
    """The flags the implication rules need, taken from the classification answers."""
    answers = record.profile or {}
    special = set(record.special or [])
    if record.regime == "mdr":
        return Profile(
            implantable=answers.get("invasiveness") == "implantable",
            sterile="sterile" in special or bool(answers.get("sterile")),
            measuring="measuring" in special or bool(answers.get("measuring_function")),
            reusable_surgical="reusable_surgical" in special
            or bool(answers.get("reusable_surgical_instrument")),
            active=bool(answers.get("active")),
            administers_or_removes_medicinal_product=bool(
                answers.get("administers_or_removes_substances")
                or answers.get("administers_medicinal_product")
            ),
            is_wellestablished_technology_exception=bool(
                answers.get("ancillary_component_screw_wedge_plate")
            ),
        )
    purposes = set(answers.get("purpose") or [])
    return Profile(
        sterile="sterile" in special or bool(answers.get("sterile")),
        self_test=answers.get("use_setting") == "self_test",
        near_patient=answers.get("use_setting") == "near_patient",
        companion_diagnostic="companion_diagnostic" in purposes,
    )


def implications_for(device, record=None) -> Implications | None:
    """The implications of the device's recorded class, or None before it is classified."""
    record = record if record is not None else getattr(device, "classification", None)
    if record is None or record.regime != device.regime:
        return None
    return implications(record.regime, record.device_class, profile_for(record))
