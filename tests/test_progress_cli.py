"""`tutor progress` as a mentor runs it, in a child process, on a real TUTOR_HOME.

Enrol, show (in the learner's language), merge, erase, export as JSON, CSV and xAPI (checked
against the xAPI 1.0.3 models of ralph, an LRS), simulate with the real lesson pack, the
certificate, tampering found by `verify`, and every kind of bad input answered with one line.
"""

import csv
import io
import json
import random
import uuid

import pytest
from conftest import run_tutor
from ralph.models.xapi.base.statements import BaseXapiStatement

from tutor.content.schema import ChooseStep, PracticeStep
from tutor.progress.course import usable_packs
from tutor.progress.home import log_paths
from tutor.progress.records import check_logs


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def tutor(home, *args, lang="zh", stdin=None):
    return run_tutor(
        "progress", *args, env={"TUTOR_HOME": str(home), "TUTOR_LANG": lang}, stdin=stdin
    )


def ok(result) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def one_line_error(result, code=1) -> str:
    assert result.returncode == code, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def enrol(home, name, village, language="zh") -> str:
    out = ok(tutor(home, "enrol", "--name", name, "--village", village, "--language", language))
    return out.strip().split("：")[-1]


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    home = tmp_path_factory.mktemp("simulated") / "home"
    out = ok(tutor(home, "simulate", "--learners", "6", "--days", "20", "--seed", "7"))
    return home, out


def test_simulate_writes_a_verified_log_through_the_real_lessons(simulated):
    home, out = simulated
    assert out.startswith("模拟了 6 位学员 20 天的学习")
    assert "条记录" in ok(tutor(home, "verify"))
    rows = list(csv.DictReader(io.StringIO(ok(tutor(home, "export", "--format", "csv")))))
    kinds = {row["type"] for row in rows}
    assert {"learner_enrolled", "lesson_started", "step_answered", "lesson_completed"} <= kinds
    answered = [row for row in rows if row["type"] == "step_answered"]
    questions = {
        (pack.manifest.id, lesson.id, str(i)): {c.key for c in getattr(step, "choice", [])}
        or {""}
        for pack in usable_packs()
        for lesson in pack.lessons.values()
        for i, step in enumerate(lesson.step)
        if isinstance(step, ChooseStep | PracticeStep)
    }
    for row in answered:
        assert row["choice"] in questions[(row["pack"], row["item"], row["step"])], row
    assert {"true", "false"} <= {r["correct"] for r in answered}
    assert len(ok(tutor(home, "list")).strip().splitlines()) == 6


def test_the_same_seed_gives_the_same_learners_and_answers(simulated, tmp_path):
    home, _ = simulated
    again = tmp_path / "again"
    ok(tutor(again, "simulate", "--learners", "6", "--days", "20", "--seed", "7"))

    def story(where):
        rows = csv.DictReader(io.StringIO(ok(tutor(where, "export", "--format", "csv"))))
        keep = ("person", "type", "item", "step", "choice", "correct", "attempts", "name")
        return [tuple(row[k] for k in keep) for row in rows]

    assert story(again) == story(home)


def test_xapi_export_is_valid_with_opaque_actors_and_stable_ids(simulated):
    home, _ = simulated
    first = json.loads(ok(tutor(home, "export", "--format", "xapi")))
    second = json.loads(ok(tutor(home, "export", "--format", "xapi")))
    assert first == second and len(first) > 50
    assert len({s["id"] for s in first}) == len(first)
    for statement in first:
        BaseXapiStatement(**statement)
        assert statement["version"] == "1.0.3"
        assert set(statement["actor"]) == {"objectType", "account"}
        assert statement["actor"]["account"]["homePage"] == "urn:tutor"
        uuid.UUID(statement["actor"]["account"]["name"])
        assert statement["verb"]["id"].startswith("http://adlnet.gov/expapi/verbs/")
    verbs = {s["verb"]["display"]["en-US"] for s in first}
    assert {"attempted", "answered", "completed"} <= verbs
    names = {row.split("  ")[1] for row in ok(tutor(home, "list")).strip().splitlines()}
    text = json.dumps(first, ensure_ascii=False)
    assert not any(name.split("（")[0] in text for name in names)


def test_a_learner_hears_a_summary_in_their_own_language(home):
    learner = enrol(home, "김영희", "용정", language="ko")
    out = ok(tutor(home, "show", "--learner", learner[:8], lang="zh"))
    assert out.strip() == "아직 다 배운 과가 없어요. 서두르지 말고 하나씩 해 봐요."
    assert "김영희" in ok(tutor(home, "list"))
    certificate = ok(tutor(home, "certificate", "--learner", learner, "--html"))
    assert certificate.startswith("<!DOCTYPE html>") and 'lang="ko"' in certificate


def test_merge_then_erase_reaches_every_view_and_export(home):
    kept = enrol(home, "王秀英", "上坝村")
    twin = enrol(home, "王秀英", "上坝")
    assert "并进了" in ok(tutor(home, "merge", "--learner", twin, "--into", kept))
    assert len(ok(tutor(home, "list")).strip().splitlines()) == 1
    assert ok(tutor(home, "show", "--learner", twin)) == ok(tutor(home, "show", "--learner", kept))

    refused = one_line_error(tutor(home, "erase", "--learner", kept, stdin=""))
    assert "--yes" in refused
    ok(tutor(home, "erase", "--learner", twin, "--yes"))
    for args in (
        ("list",),
        ("export", "--format", "json"),
        ("export", "--format", "csv"),
        ("export", "--format", "xapi"),
        ("export", "--learner", kept, "--format", "json"),
        ("show", "--learner", kept),
        ("certificate", "--learner", kept),
    ):
        out = ok(tutor(home, *args))
        assert "王秀英" not in out and "上坝" not in out, args
    assert "个人信息已删除" in ok(tutor(home, "list"))
    exported = json.loads(ok(tutor(home, "export", "--format", "json")))
    assert exported["learners"][0]["erased"] is True
    assert all(e.get("redacted") for e in exported["events"] if e["type"] == "learner_enrolled")
    assert "条记录" in ok(tutor(home, "verify"))  # the log itself is untouched and whole


def test_every_tampered_byte_is_found_by_verify(home):
    learner = enrol(home, "王", "村")
    ok(tutor(home, "rename", "--learner", learner, "--village", "上坝村"))
    ok(tutor(home, "erase", "--learner", learner, "--yes"))
    (path,) = log_paths(home)
    whole = path.read_bytes()
    ids = [json.loads(line)["id"] for line in whole.splitlines()]
    rng = random.Random(11)
    for position in range(len(whole)):
        changed = bytearray(whole)
        changed[position] = rng.choice([b for b in range(256) if b != whole[position]])
        path.write_bytes(bytes(changed))
        assert check_logs(home)[2] is not None, f"byte {position} changed unnoticed"
    for position in rng.sample(range(len(whole)), 12):
        changed = bytearray(whole)
        changed[position] ^= 0x01
        path.write_bytes(bytes(changed))
        line = one_line_error(tutor(home, "verify"))
        number = whole.count(b"\n", 0, position) + 1
        assert f"第 {number} 行" in line, (position, line)
        assert str(path) in line
    lines = whole.splitlines(keepends=True)
    for edited, number in ((lines[:1] + lines[2:], 2), ([lines[1], lines[0], lines[2]], 1)):
        path.write_bytes(b"".join(edited))
        line = one_line_error(tutor(home, "verify"))
        assert f"第 {number} 行" in line and any(i in line for i in ids)
    path.write_bytes(whole)
    ok(tutor(home, "verify"))


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("show", "--learner", "nobody"), 1, "没有这位学员：nobody"),
        (("show",), 2, "--learner"),
        (("export", "--format", "pdf"), 2, "pdf"),
        (("simulate", "--learners", "0", "--days", "3"), 2, "--learners"),
        (("simulate", "--learners", "many", "--days", "3"), 2, "--learners"),
        (("simulate", "--learners", "2", "--days", "-1"), 2, "--days"),
        (("enrol", "--name", "王", "--village", "村", "--language", "fr"), 2, "--language"),
        (("rename", "--learner", "nobody"), 1, "--name"),
    ],
)
def test_bad_input_is_one_line_and_no_traceback(home, args, code, says):
    assert says in one_line_error(tutor(home, *args), code)


def test_an_ambiguous_or_self_merge_is_refused(home):
    first = enrol(home, "甲", "村")
    second = enrol(home, "乙", "村")
    assert "同一个人" in one_line_error(tutor(home, "merge", "--learner", first, "--into", first))
    common = next(i for i in range(len(first)) if first[i] != second[i])
    if common >= 4:
        line = one_line_error(tutor(home, "show", "--learner", first[:common]))
        assert "好几位" in line
    assert "没有这位学员" in one_line_error(tutor(home, "show", "--learner", "abc"))


def test_a_broken_identity_or_an_unwritable_home_is_one_line(home, tmp_path):
    enrol(home, "王", "村")
    (home / "progress" / "device" / "device.json").write_text("{not json")
    line = one_line_error(tutor(home, "enrol", "--name", "李", "--village", "村"))
    assert "身份文件坏了" in line and "device.json" in line
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the home folder should be")
    line = one_line_error(tutor(blocked, "enrol", "--name", "李", "--village", "村"))
    assert "blocked" in line


def test_an_empty_home_verifies_and_lists_nothing(home):
    assert "还没有学习记录" in ok(tutor(home, "verify"))
    assert "还没有登记学员" in ok(tutor(home, "list"))
    exported = json.loads(ok(tutor(home, "export", "--format", "json")))
    assert exported["learners"] == [] and exported["events"] == []
