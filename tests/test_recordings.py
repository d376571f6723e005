"""Recorded voice packs: import, coverage, recording sessions, and playing them before TTS.

Audio is real (sox and espeak-ng make it, sox checks it); the only stand-ins are the
microphone and the sound card.
"""

import subprocess
import threading
from pathlib import Path

import pytest
from conftest import ROOT, run_tutor

from tutor.commands.recordings import run_record
from tutor.content.strings import load_catalog
from tutor.content.voices import load_profiles
from tutor.speech.capture import DeviceMicrophone, MicrophoneUnavailable
from tutor.speech.playback import FolderPlayback, wav_seconds
from tutor.speech.recordings import open_voice_pack
from tutor.speech.speaker import TtsSpeaker
from tutor.speech.spoken import all_strings

PROFILES, _ = load_profiles(ROOT / "voices")
WHY = "starter/photos/why.text"
WHY_ZH = "买家看不到、摸不到你的东西，只能看照片。"


def make_pack(folder: Path, consent: bool = True, language: str = "zh", profile: str = "zh"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text(
        f'id = "{folder.name}"\nlanguage = "{language}"\nprofile = "{profile}"\n'
        f'speaker = "王阿姨"\nconsent = {str(consent).lower()}\nreview = "draft"\n',
        encoding="utf-8",
    )
    return folder


def tone(
    path: Path, seconds: float = 1.0, volume: float = 0.5, rate: int = 44100, channels: int = 2
) -> Path:
    """A real WAV file: a sine tone, by default stereo at 44.1 kHz as a phone records."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shape = ["-r", str(rate), "-c", str(channels), "-b", "16"]
    sound = ["synth", str(seconds), "sine", "440", "vol", str(volume)]
    subprocess.run(
        ["sox", "-n", *shape, str(path), *sound],
        check=True,
        timeout=30,
    )
    return path


def spoken(path: Path, text: str = "ni3 hao3") -> Path:
    subprocess.run(["espeak-ng", "-v", "cmn-latn-pinyin", "-w", str(path), text], check=True)
    return path


def _soxi(path: Path, flag: str) -> str:
    return subprocess.run(["soxi", flag, str(path)], capture_output=True, text=True).stdout.strip()


def test_import_converts_good_files_and_names_each_bad_one(tmp_path):
    pack = make_pack(tmp_path / "wang")
    source = tmp_path / "from-phone"
    tone(source / "app.welcome.wav")
    tone(source / "starter" / "photos" / "why.text.wav")
    tone(source / "app.runner_pending.wav", seconds=0.1)
    tone(source / "starter" / "title.wav", volume=0.0)
    tone(source / "no.such.sentence.wav")
    (source / "starter" / "description.wav").write_text("not sound")
    (source / "starter" / "photos" / "title.mp3").write_bytes(b"ID3")
    result = run_tutor("voices", "record", str(pack), "--import", str(source))
    assert result.returncode == 1
    problems = result.stdout.strip().splitlines()[:-1]
    assert sorted(line.split(": ", 1)[1] for line in problems) == [
        "0.1 s long, expected 0.3 to 60 s",
        "no sentence 'no.such.sentence' in language zh",
        "not a WAV file",
        "not a WAV file",
        "silent (is the microphone muted?)",
    ]
    assert result.stdout.strip().splitlines()[-1] == "导入了 2 条录音，5 个问题。"
    for string_id in ("app.welcome", WHY):
        wav = pack / f"{string_id}.wav"
        assert _soxi(wav, "-r") == "16000" and _soxi(wav, "-c") == "1"
        assert abs(float(_soxi(wav, "-D")) - 1.0) < 0.05
    assert (pack / f"{WHY}.txt").read_text(encoding="utf-8") == WHY_ZH


def test_coverage_lists_what_is_missing_and_counts_it(tmp_path):
    pack = make_pack(tmp_path / "wang")
    total = len(all_strings("zh"))
    before = run_tutor("voices", "coverage", str(pack))
    assert before.returncode == 0
    assert len(before.stdout.strip().splitlines()) == total
    assert f"{WHY}\t{WHY_ZH}" in before.stdout.splitlines()
    assert before.stderr.strip() == f"已录 0/{total} 句（0%），缺 {total} 句，要重录 0 句。"

    source = tmp_path / "from-phone"
    tone(source / "app.welcome.wav")
    tone(source / "starter" / "photos" / "why.text.wav")
    assert run_tutor("voices", "record", str(pack), "--import", str(source)).returncode == 0
    (pack / f"{WHY}.txt").write_text("旧的句子", encoding="utf-8")
    after = run_tutor("voices", "coverage", str(pack), env={"TUTOR_LANG": "ko"})
    assert after.returncode == 0
    lines = after.stdout.strip().splitlines()
    assert len(lines) == total - 1
    assert lines[-1] == f"{WHY}\t{WHY_ZH}\t(문장이 바뀌어서 다시 녹음해야 함)"
    percent = 100 // total
    assert after.stderr.strip() == (
        f"녹음 1/{total}개 ({percent}%), 없는 것 {total - 2}개, 다시 녹음할 것 1개."
    )


def test_a_pack_without_consent_is_neither_filled_nor_played(tmp_path):
    pack = make_pack(tmp_path / "wang", consent=False)
    source = tmp_path / "from-phone"
    tone(source / "app.welcome.wav")
    result = run_tutor("voices", "record", str(pack), "--import", str(source))
    assert result.returncode == 1
    assert "consent" in result.stderr and not (pack / "app.welcome.wav").exists()
    tone(pack / "app.welcome.wav")
    assert open_voice_pack(str(pack)).find("app.welcome", "x") is None


@pytest.mark.parametrize(
    ("manifest", "reason"),
    [
        (None, "no pack.toml"),
        (
            'id = "x"\nlanguage = "zh"\nspeaker = "王"\nreview = "draft"\n',
            "consent: Field required",
        ),
        (
            'id = "x"\nlanguage = "fr"\nspeaker = "王"\nconsent = true\nreview = "draft"\n',
            "language",
        ),
    ],
)
def test_a_broken_pack_is_one_line_and_exit_1(tmp_path, manifest, reason):
    pack = tmp_path / "broken"
    pack.mkdir()
    if manifest:
        (pack / "pack.toml").write_text(manifest, encoding="utf-8")
    for command in ("coverage", "record"):
        result = run_tutor("voices", command, str(pack))
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1 and reason in result.stderr


def test_recording_without_a_microphone_says_so_and_fails(tmp_path):
    try:
        DeviceMicrophone().open()
        pytest.skip("this machine has a microphone")
    except MicrophoneUnavailable:
        pass
    result = run_tutor("voices", "record", str(make_pack(tmp_path / "wang")), stdin="")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "找不到麦克风，不能录音。插上耳麦再试，或者用 --import 导入录好的文件。"
    )


class FakeMicrophone:
    """The microphone edge: each take is real speech from espeak-ng, or silence when muted."""

    def __init__(self, muted_takes: set[int]):
        self.takes = 0
        self.muted_takes = muted_takes

    def open(self) -> None:
        """A microphone is always there."""

    def start(self) -> None:
        self.takes += 1

    def stop(self, wav: Path) -> None:
        if self.takes in self.muted_takes:
            tone(wav, volume=0.0, rate=16000, channels=1)
        else:
            spoken(wav, f"di4 {self.takes} ci4")


def test_a_session_records_hears_back_redoes_skips_and_quits(tmp_path, capsys):
    pack = make_pack(tmp_path / "wang")
    first, second, third = list(all_strings("zh"))[:3]
    answers = iter(
        [
            *("", "", "r", "", "", ""),  # first: record, hear, redo, record, hear, keep
            "s",  # second: skip
            *("", "", "q"),  # third: a muted take is refused; then quit
        ]
    )
    microphone = FakeMicrophone(muted_takes={3})
    sink = FolderPlayback(tmp_path / "heard", speed=20)
    status = run_record(
        str(pack), None, load_catalog("zh"), microphone, sink, lambda _: next(answers)
    )
    assert status == 0
    assert (pack / f"{first}.wav").is_file() and not (pack / f"{second}.wav").exists()
    assert not (pack / f"{third}.wav").exists()
    assert microphone.takes == 3 and len(sink.played) == 2
    # The kept take is the second one, converted to 16 kHz.
    assert _soxi(pack / f"{first}.wav", "-r") == "16000"
    out = capsys.readouterr().out
    assert "这段录音不能用：silent" in out and out.strip().endswith("这次录了 1 句。")


def test_the_end_of_input_ends_a_session_cleanly(tmp_path):
    pack = make_pack(tmp_path / "wang")

    def closed(_: str) -> str:
        raise EOFError

    status = run_record(
        str(pack), None, load_catalog("zh"), FakeMicrophone(set()), FolderPlayback(tmp_path), closed
    )
    assert status == 0 and list(pack.glob("*.wav")) == []


def _speaker(pack_root: Path, sink: FolderPlayback, profile: str = "zh") -> TtsSpeaker:
    return TtsSpeaker(
        PROFILES[profile],
        load_catalog("zh"),
        playback=sink,
        voice_pack=open_voice_pack(str(pack_root)),
        show=lambda _: None,
        warn=lambda _: None,
    )


def test_a_recording_is_played_instead_of_tts_while_its_text_is_current(tmp_path):
    pack = make_pack(tmp_path / "wang")
    source = tmp_path / "from-phone"
    tone(source / "starter" / "photos" / "why.text.wav", seconds=1.5)
    run_tutor("voices", "record", str(pack), "--import", str(source))
    sink = FolderPlayback(tmp_path / "heard", speed=20)
    speaker = _speaker(pack, sink)
    try:
        speaker.say(WHY_ZH, WHY)
        speaker.say("买家只能看照片。", WHY)  # the lesson text changed: TTS again
        speaker.say(WHY_ZH)  # no string id: TTS
        speaker.set_rate(75)
        speaker.say(WHY_ZH, WHY)  # "slower": the recording at half speed
        assert speaker.wait(30)
    finally:
        speaker.close()
    recorded = (pack / f"{WHY}.wav").read_bytes()
    copies = [p.copy for p in sink.played]
    assert [c.read_bytes() == recorded for c in copies] == [True, False, False, False]
    assert _soxi(copies[1], "-r") == "22050"
    assert abs(wav_seconds(copies[3]) - 3.0) < 0.2


def test_a_pack_plays_only_for_its_language_and_dialect(tmp_path):
    southwest = open_voice_pack(str(make_pack(tmp_path / "sw", profile="zh-southwest")))
    standard = open_voice_pack(str(make_pack(tmp_path / "std", profile="zh")))
    assert southwest.suits(PROFILES["zh-southwest"]) and not southwest.suits(PROFILES["zh"])
    assert standard.suits(PROFILES["zh-southwest"]) and not standard.suits(PROFILES["ug"])
    with pytest.raises(ValueError):
        _speaker(tmp_path / "sw", FolderPlayback(tmp_path / "x"), profile="zh")
    result = run_tutor("say", "--voice", "ug", "--recordings", str(tmp_path / "std"), "x")
    assert result.returncode == 1 and "ug" in result.stderr


def test_say_to_a_file_copies_the_recording_when_there_is_one(tmp_path):
    pack = make_pack(tmp_path / "wang")
    tone(tmp_path / "in" / "app.welcome.wav")
    run_tutor("voices", "record", str(pack), "--import", str(tmp_path / "in"))
    out = tmp_path / "out.wav"
    result = run_tutor("say", "--recordings", str(pack), "--id", "app.welcome", "--to", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (pack / "app.welcome.wav").read_bytes()


def test_every_sentence_id_is_unique_and_stable():
    ids = list(all_strings("zh"))
    assert len(ids) == len(set(ids))
    assert "app.welcome" in ids and WHY in ids
    assert "starter/photos/light.choice[1].feedback" in ids
    assert "starter/title" in ids and "starter/skill[2].name" in ids
    assert not any(i.startswith(("cli.", "check.")) or "aliases" in i for i in ids)


def test_the_folder_playback_stops_when_told(tmp_path):
    sink = FolderPlayback(tmp_path / "heard")
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    sink.play(tone(tmp_path / "long.wav", seconds=5, rate=16000, channels=1), cancel)
    assert sink.played[0].interrupted and sink.played[0].seconds < 1
