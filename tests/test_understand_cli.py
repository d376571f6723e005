"""`tutor understand`: the JSON-lines contract of DESIGN.md section 6, as a script uses it."""

import json

from conftest import run_tutor

PHOTO = {
    "choices": [
        {"key": "1", "text": "在窗边自然光下拍"},
        {"key": "2", "text": "晚上开闪光灯拍"},
    ],
    "intents": ["next", "back", "repeat", "yes", "no"],
}


def ask(*lines: object, args: tuple[str, ...] = (), env: dict | None = None):
    stdin = "".join(
        (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
    )
    return run_tutor("understand", *args, stdin=stdin, env=env)


def test_one_answer_line_per_question_line_with_the_contract_fields():
    result = ask(
        {"voice": "zh", "expect": PHOTO, "text": "第二个"},
        {"voice": "zh-southwest", "expect": PHOTO, "text": "要得"},
        {"voice": "zh", "expect": PHOTO, "text": "今天天气好"},
    )
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(a["decision"], a["intent"], a["key"]) for a in answers] == [
        ("accept", "choice", "2"),
        ("accept", "yes", None),
        ("reject", None, None),
    ]
    for answer in answers:
        assert set(answer) == {"decision", "intent", "key", "score", "alternatives"}
        assert 0.0 <= answer["score"] <= 1.0


def test_text_and_aliases_may_be_language_tables():
    expect = {
        "choices": [
            {"key": "1", "text": {"zh": "塑料袋", "ko": "비닐봉지"}, "aliases": {"ko": ["봉지"]}},
            {"key": "2", "text": {"zh": "纸箱", "ko": "종이 상자"}},
        ]
    }
    result = ask({"voice": "ko-yanbian", "expect": expect, "text": "봉지"})
    assert json.loads(result.stdout)["key"] == "1"


def test_explain_says_which_matcher_decided():
    result = ask({"voice": "zh", "expect": PHOTO, "text": "第二个"}, args=("--explain",))
    answer = json.loads(result.stdout)
    assert answer["explain"][0].startswith("number 1.00 choice/2")


def test_a_bad_line_gets_an_error_line_and_a_nonzero_exit_but_the_rest_is_answered():
    result = ask(
        "not json",
        {"voice": "klingon", "expect": PHOTO, "text": "x"},
        {"voice": "zh", "expect": {"choices": "nope"}, "text": "x"},
        {"voice": "zh", "expect": PHOTO, "text": "第一个"},
        env={"TUTOR_LANG": "ko"},
    )
    assert result.returncode == 1
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a.get("line") for a in answers[:3]] == [1, 2, 3]
    assert all("error" in a for a in answers[:3])
    assert answers[3]["key"] == "1"
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 3
    assert "번째 줄" in result.stderr


def test_bytes_that_are_not_utf8_and_lone_surrogates_do_not_end_the_stream():
    import subprocess
    import sys

    from conftest import ROOT

    raw = (
        b'{"voice":"zh","text":"\xb2\xbb"}\n{"voice":"\\ud800"}\n'
        b'{"voice":"zh","text":"\xe7\xac\xac\xe4\xb8\x80\xe4\xb8\xaa","expect":'
        b'{"choices":[{"key":"1","text":"a"}]}}\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "understand"], input=raw, capture_output=True, cwd=ROOT
    )
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 3 and "Traceback" not in result.stderr.decode()
    assert json.loads(lines[2])["key"] == "1"


def test_repeated_digits_are_not_collapsed():
    many = {"choices": [{"key": str(i), "text": f"选项{i}"} for i in range(1, 15)]}
    answers = [
        json.loads(x)
        for x in ask(
            {"voice": "zh", "expect": many, "text": "11"},
            {"voice": "zh", "expect": many, "text": "第11个"},
        ).stdout.splitlines()
    ]
    assert [a["key"] for a in answers] == ["11", "11"]


def test_junk_aliases_and_duplicate_keys_are_errors_not_answers():
    bad = [
        {"voice": "zh", "expect": {"choices": [{"text": "a", "aliases": [None]}]}, "text": "none"},
        {
            "voice": "zh",
            "expect": {"choices": [{"key": "a", "text": "苹果"}, {"key": "a", "text": "梨"}]},
            "text": "梨",
        },
    ]
    answers = [json.loads(x) for x in ask(*bad).stdout.splitlines()]
    assert all("error" in a for a in answers)
