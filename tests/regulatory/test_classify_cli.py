"""`samsvar classify --regime mdr|ivdr FILE`: JSON in, JSON out; exit 2 on bad input.

The command only calls the pure engine, so these tests need no database.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samsvar.regulatory.classification import classify
from tests.core.cli import run_samsvar, samsvar_env

PUMP = {
    "invasiveness": "non_invasive",
    "contact": "intact_skin",
    "active": True,
    "active_type": "therapeutic",
    "administers_or_removes_substances": True,
    "substance_administration_potentially_hazardous": True,
}
METER = {"product_type": "instrument", "use_setting": "self_test"}


def run(*args, stdin=None):
    out = io.StringIO()
    call_command("classify", *args, stdout=out, stderr=io.StringIO(), stdin=stdin)
    return out.getvalue()


def write(tmp_path, data, name="profiles.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_one_profile_in_one_result_out(tmp_path):
    output = json.loads(run("--regime", "mdr", write(tmp_path, PUMP)))
    assert output == classify("mdr", PUMP).to_dict()
    assert output["class"] == "IIb"
    assert output["rules"][0]["rule"] == "Rule 12"


def test_an_array_gives_results_in_the_same_order(tmp_path):
    profiles = [METER, {"product_type": "assay_reagent", "use_setting": "professional_lab"}]
    output = json.loads(run("--regime", "ivdr", write(tmp_path, profiles)))
    assert [item["class"] for item in output] == ["C", "B"]
    assert json.loads(run("--regime", "ivdr", write(tmp_path, []))) == []


def test_standard_input(tmp_path):
    output = json.loads(run("--regime", "ivdr", "-", stdin=io.StringIO(json.dumps(METER))))
    assert output["class"] == "C"
    assert output["decided_by"].startswith("Rule 4(a)")


def test_an_invalid_profile_gives_an_error_in_its_place_and_exit_2(tmp_path):
    profiles = [PUMP, {"invasivness": "non_invasive"}, {"invasiveness": "non_invasive"}]
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("classify", "--regime", "mdr", write(tmp_path, profiles), stdout=out)
    assert caught.value.returncode == 2
    assert "1 profile is invalid" in str(caught.value)
    output = json.loads(out.getvalue())
    assert output[0]["class"] == "IIb"
    assert output[1] == {"error": "unknown attribute 'invasivness' (did you mean 'invasiveness'?)"}
    assert output[2]["class"] == "I"


def test_a_single_invalid_profile(tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "classify",
            "--regime",
            "mdr",
            write(tmp_path, {"invasiveness": "body_orifice", "duration": "forever"}),
            stdout=out,
        )
    assert caught.value.returncode == 2
    assert json.loads(out.getvalue()) == {
        "error": "duration: 'forever' is not one of transient, short_term, long_term"
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "{not json",
            "is not valid JSON: Expecting property name enclosed in double quotes at line 1",
        ),
        ("", "is not valid JSON"),
        ('"mdr"', "must hold a JSON object (one profile) or an array of profiles"),
        ('{"active": true, "active": false}', "names attribute 'active' twice"),
    ],
)
def test_bad_files_exit_2_with_the_reason(tmp_path, content, message):
    with pytest.raises(CommandError) as caught:
        run("--regime", "mdr", write(tmp_path, content))
    assert caught.value.returncode == 2
    assert message in str(caught.value)


def test_unreadable_files_exit_2(tmp_path):
    with pytest.raises(CommandError) as caught:
        run("--regime", "mdr", str(tmp_path / "missing.json"))
    assert caught.value.returncode == 2
    assert "cannot read" in str(caught.value) and "missing.json" in str(caught.value)
    with pytest.raises(CommandError, match="cannot read"):
        run("--regime", "mdr", str(tmp_path))
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CommandError, match="not UTF-8"):
        run("--regime", "mdr", str(binary))


def test_explain_prints_readable_text(tmp_path):
    text = run("--regime", "mdr", "--explain", write(tmp_path, PUMP))
    assert text.splitlines()[0] == "Class IIb"
    assert "Rule 12, potentially hazardous: class IIb." in text
    assert "Decided by: Rule 12, potentially hazardous" in text
    variants = run(
        "--regime",
        "mdr",
        "--explain",
        write(
            tmp_path,
            {
                "invasiveness": "surgically_invasive",
                "duration": "transient",
                "reusable_surgical_instrument": True,
                "sterile": True,
            },
        ),
    )
    assert variants.splitlines()[0] == "Class I (sterile, reusable surgical instrument)"


def test_explain_for_an_array_with_an_error(tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "classify",
            "--regime",
            "ivdr",
            "--explain",
            write(tmp_path, [METER, {"product_type": "x", "use_setting": "self_test"}]),
            stdout=out,
        )
    text = out.getvalue()
    assert "Profile 1 of 2\nClass C" in text
    assert "Profile 2 of 2\nInvalid profile: product_type: 'x' is not one of" in text


def test_regime_is_required_and_closed(tmp_path):
    with pytest.raises(CommandError, match="--regime"):
        run(write(tmp_path, PUMP))
    with pytest.raises(CommandError, match="invalid choice"):
        run("--regime", "mdd", write(tmp_path, PUMP))


def test_the_real_command_exits_2_without_a_traceback(tmp_path):
    env = samsvar_env(tmp_path / "data")
    done = run_samsvar("classify", "--regime", "mdr", "-", env=env, input="[{}]")
    assert done.returncode == 2, done.stderr
    assert json.loads(done.stdout) == [{"error": "missing attribute 'invasiveness'"}]
    assert "Traceback" not in done.stderr
    assert "1 profile is invalid" in done.stderr
    done = run_samsvar("classify", "--regime", "mdr", "-", env=env, input="{oops")
    assert done.returncode == 2
    assert "not valid JSON" in done.stderr and "Traceback" not in done.stderr
    done = run_samsvar("classify", "--regime", "mdr", "-", env=env, input=json.dumps(PUMP))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["class"] == "IIb"
