"""The understanding layer, one matcher and one policy rule at a time, with real profiles."""

import pytest
from understand_helpers import hear

from tutor.understand.policy import ACCEPT_AT, CONFIRM_AT, MARGIN, decide

PHOTO = ["在窗边自然光下拍", "晚上开闪光灯拍", "在灯泡底下拍"]
PHOTO_KO = ["창가 자연광에서 찍기", "밤에 플래시 켜고 찍기", "전구 밑에서 찍기"]
PHOTO_UG = [
    "دېرىزە يېنىدا تەبىئىي يورۇقتا تارتىش",
    "كەچتە چاقماق چىراغ ئېچىپ تارتىش",
    "لامپۇچكا ئاستىدا تارتىش",
]


def acted(decision) -> tuple:
    return decision.decision, decision.intent, decision.key


# Decision policy ------------------------------------------------------------------------


def test_a_clear_lead_is_accepted_a_close_race_is_confirmed_a_weak_match_rejected():
    assert decide(1.0, 0.0) == "accept"
    assert decide(ACCEPT_AT, ACCEPT_AT - MARGIN) == "accept"
    assert decide(1.0, 1.0 - MARGIN / 2) == "confirm"
    assert decide(ACCEPT_AT - 0.01, 0.0) == "confirm"
    assert decide(CONFIRM_AT - 0.01, 0.0) == "reject"


def test_two_choices_named_by_the_same_word_are_confirmed_never_accepted():
    decision = hear("zh", "拍", ["拍", "拍"])
    assert decision.decision == "confirm"


# Normalization ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["１", "第一个。", "  第 一 个 ", "嗯，那个，第一个吧"])
def test_width_punctuation_spaces_and_fillers_do_not_matter(text):
    assert acted(hear("zh", text, PHOTO)) == ("accept", "choice", "1")


def test_traditional_characters_are_read_as_simplified():
    assert acted(hear("zh", "下一個", intents=["next", "back"])) == ("accept", "next", None)


def test_repeated_words_count_once():
    assert acted(hear("zh", "对对对", intents=["yes", "no"])) == ("accept", "yes", None)
    assert acted(hear("zh", "下一个下一个")) == ("accept", "next", None)


def test_korean_polite_endings_and_particles_are_peeled():
    assert acted(hear("ko-yanbian", "다음요")) == ("accept", "next", None)
    assert hear("ko-yanbian", "창가에서요", PHOTO_KO).key == "1"


def test_uyghur_typed_on_an_arabic_keyboard_still_matches():
    arabic_keyboard = "ھەئە".replace("ھ", "ه")
    assert acted(hear("ug", arabic_keyboard, intents=["yes", "no"])) == ("accept", "yes", None)


# Number words -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2", "二", "贰", "第二", "第二个", "二号", "选二", "两号"])
def test_mandarin_number_forms(text):
    assert acted(hear("zh", text, PHOTO)) == ("accept", "choice", "2")


@pytest.mark.parametrize("text", ["두 번째", "두번째", "2번", "둘째"])
def test_korean_number_forms(text):
    assert acted(hear("ko-yanbian", text, PHOTO_KO)) == ("accept", "choice", "2")


@pytest.mark.parametrize("text", ["ئىككىنچى", "ئىككىنچىسى", "2"])
def test_uyghur_number_forms(text):
    assert acted(hear("ug", text, PHOTO_UG)) == ("accept", "choice", "2")


def test_the_last_and_the_middle_one():
    assert acted(hear("zh", "最后一个", PHOTO)) == ("accept", "choice", "3")
    assert acted(hear("zh", "中间那个", PHOTO)) == ("accept", "choice", "2")
    assert hear("zh", "中间那个", [*PHOTO, "别的"]).decision == "reject"


def test_counting_from_the_end():
    four = [*PHOTO, "别的"]
    assert acted(hear("zh", "倒数第二个", four)) == ("accept", "choice", "3")
    assert acted(hear("ko-yanbian", "뒤에서 두 번째", [*PHOTO_KO, "다른 것"])) == (
        "accept",
        "choice",
        "3",
    )


def test_a_number_the_prompt_does_not_offer_is_rejected():
    assert hear("zh", "第九个", PHOTO).decision == "reject"
    assert hear("ko-yanbian", "아홉 번째", PHOTO_KO).decision == "reject"


# Dialect words and sounds -----------------------------------------------------------------


def test_dialect_words_of_each_profile():
    assert acted(hear("zh-southwest", "要得", intents=["yes", "no"]))[:2] == ("accept", "yes")
    assert acted(hear("zh-southwest", "莫得", intents=["yes", "no"]))[:2] == ("accept", "no")
    assert acted(hear("zh-northeast", "嗯呐", intents=["yes", "no"]))[:2] == ("accept", "yes")
    assert acted(hear("zh-southwest", "咋整"))[:2] == ("accept", "help")


def test_a_dialect_word_means_nothing_to_another_profile():
    assert hear("zh", "莫得", intents=["yes", "no"]).decision != "accept"


def test_southwestern_n_l_merger_lands_a_misheard_word_as_a_question():
    decision = hear("zh-southwest", "牛下来", ["留下来", "带走"])
    assert decision.decision == "confirm" and decision.key == "1"


def test_flat_and_retroflex_si_shi_lands_as_a_question_not_an_action():
    decision = hear("zh-southwest", "是号", ["一", "二", "三", "四"], intents=["next"])
    assert (decision.decision, decision.key) == ("confirm", "4")


def test_a_korean_recognizer_slip_is_confirmed():
    decision = hear("ko-yanbian", "천처니")
    assert (decision.decision, decision.intent) == ("confirm", "slower")


# Paraphrase and subwords ------------------------------------------------------------------


def test_a_paraphrase_of_a_choice_is_asked_back():
    decision = hear("zh", "窗户边上拍的那个", PHOTO)
    assert (decision.decision, decision.key) == ("confirm", "1")


def test_a_korean_word_with_a_case_ending_meets_its_bare_form():
    for said in ("전구를", "전구요", "전구로요"):
        decision = hear("ko-yanbian", said, ["창가", "플래시", "전구"])
        assert (decision.decision, decision.key) == ("accept", "3"), said


def test_uyghur_verb_endings_meet_the_verb_noun_of_a_choice():
    decision = hear("ug", "تارتىمەن", ["تارتىش", "ساتىش"])
    assert (decision.intent, decision.key) == ("choice", "1")


def test_a_subword_alone_never_acts_without_asking():
    decision = hear("ug", "سېتىلىشتا", ["تۇرپان كىشمىشى", "سېتىلىشتا بىرىنچى"])
    assert decision.decision != "accept"


def test_one_shared_word_of_a_long_unrelated_sentence_is_not_a_choice():
    prices = ["سەككىز كوي پۇل", "ئون ئىككى يۈەن", "يىگىرمە يۈەن"]
    assert hear("ug", "بازاردا ئۆرۈك نەچچە پۇل بولۇۋاتىدۇ", prices).decision == "reject"


# Amounts ----------------------------------------------------------------------------------

PRICES = ["五块一斤", "十二块一斤", "二十块一斤", "五十块一斤"]


def test_the_amount_a_choice_names_lands_on_it():
    decision = hear("zh", "卖五十", PRICES)
    assert (decision.decision, decision.key) == ("confirm", "4")


def test_an_amount_said_with_a_southwestern_flat_tongue_still_lands():
    decision = hear("zh-southwest", "四二块一斤", PRICES)
    assert (decision.decision, decision.key) != ("reject", None)
    assert decision.key == "2"


def test_eggs_named_in_small_talk_are_not_the_egg_tray():
    trays = ["用泡沫格子一个一个装好", "直接倒进纸箱", "装进塑料袋"]
    assert hear("zh", "这鸡蛋是今儿早上才捡的", trays).decision == "reject"


def test_a_one_syllable_korean_word_of_a_choice_said_as_a_word_is_asked_about():
    said = "밑에 짚을 푹신하게 깔아 주고 넣는 거"
    decision = hear("ko-yanbian", said, ["스티로폼", "종이 상자", "짚"])
    assert (decision.decision, decision.key) == ("confirm", "3")


def test_an_amount_no_choice_names_is_not_bent_onto_a_near_one():
    assert hear("zh", "二十五块", PRICES).decision == "reject"


# Clauses ----------------------------------------------------------------------------------


def test_a_clause_that_is_a_command_is_asked_about():
    decision = hear("zh-southwest", "等哈儿，我去看一下锅头", PHOTO)
    assert (decision.decision, decision.intent) == ("confirm", "pause")


def test_clauses_naming_two_things_give_no_clause_evidence():
    decision = hear("zh-southwest", "要得，走下一个", intents=["yes", "next"])
    assert all(e.matcher != "clause" for e in decision.evidence)
    assert decision.intent == "next"


def test_one_phrase_in_two_spellings_is_one_piece_of_support():
    decision = hear("ko-yanbian", "옳소 그렇게 하기오", intents=["yes", "no"])
    assert decision.score < 0.55 + 0.08


# Noise ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["喂喂喂", "今天天气好", "啊", "", "   ", "咳咳", "你吃了没"])
def test_noise_and_small_talk_are_rejected(text):
    assert hear("zh", text, PHOTO).decision == "reject"


@pytest.mark.parametrize("text", ["여보세요", "음", "오늘 날씨 좋네"])
def test_korean_noise_is_rejected(text):
    assert hear("ko-yanbian", text, PHOTO_KO).decision == "reject"


def test_a_command_word_inside_small_talk_is_not_acted_on():
    assert hear("zh", "下面播送天气预报").decision != "accept"
    assert hear("ug", "بۈگۈن ھاۋا ياخشى", intents=["yes", "no"]).decision != "accept"


def test_explanations_name_the_matcher_that_decided():
    decision = hear("zh", "第二个", PHOTO)
    assert decision.evidence[0].matcher == "number"
