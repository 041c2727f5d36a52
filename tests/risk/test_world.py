"""The permission-walk world builds one of every risk record on a device."""

from samsvar.risk.models import ControlMeasure, Risk
from tests.risk import world


def test_the_world_builds_one_of_each_record(device, users):
    objects = world.build(device=device, users=users)
    assert all(key.startswith("risk.") for key in objects)
    assert all(obj.pk for obj in objects.values())
    risk = objects["risk.risk"]
    assert Risk.objects.get(pk=risk.pk).review_flag
    assert list(ControlMeasure.objects.get().risks.all()) == [risk]
    assert objects["risk.fmea_row"].hazard == objects["risk.hazard"]
