"""repair_mojibake: ftfy, the lost-byte ``â`` rule and emoji remnants (no Django needed)."""

import pytest

from articles.importer.repair import repair_mojibake
from tests.seeds import seed_bytes

# --- the lost-byte rule, one test per branch (invented sentences) -----------------------------


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("We havenât tried it.", "We haven’t tried it."),
        ("Itâs late.", "It’s late."),
        ("The dogâs bowl is empty.", "The dog’s bowl is empty."),
        ("Iâm sure sheâd agree, weâll see, theyâre here, weâve won.",
         "I’m sure she’d agree, we’ll see, they’re here, we’ve won."),
        ("The lampâthe old oneâstill works, itâs fine.",
         "The lamp—the old one—still works, it’s fine."),
        ("It ran 1990â2000 âhereâ.", "It ran 1990–2000 “here”."),
        ("It was late â but fine.", "It was late — but fine."),
        ("She said âhello thereâ to me.", "She said “hello there” to me."),
        ("âQuoted at the start.â", "“Quoted at the start.”"),
        ("(âin bracketsâ) too", "(“in brackets”) too"),
        ("The fileâs name was âReadme v2â.", "The file’s name was “Readme v2”."),
        ("A series (âPart Oneâ) ended.", "A series (“Part One”) ended."),
        ("Called the âcloudâ, mostly.", "Called the “cloud”, mostly."),
        ("He wrote âendâ", "He wrote “end”"),
    ],
)
def test_lost_byte_rule(damaged, repaired):
    assert repair_mojibake(damaged) == repaired


@pytest.mark.parametrize("text", ["The lampâthe old one.", "It ran 1990â2000 here."])
def test_no_signature_means_no_change(text):
    # An â only ever seen inside words may be real (French, Romanian…): without an â at a
    # word edge or in an English contraction, the lost-byte rule does not run.
    assert repair_mojibake(text) == text


def test_typographic_punctuation_closes_the_gate():
    # Text that already has a real ’ was not damaged this way; its â stays.
    text = "It’s a âtest."
    assert repair_mojibake(text) == text


def test_contraction_needs_word_end():
    # "â" + "the" is not "'t" + "he": the t is followed by a letter, so it is a dash.
    assert repair_mojibake("Move fastâthen stop âsoonâ.") == "Move fast—then stop “soon”."


# --- emoji remnants ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("- đž A Made-Up Title", "- A Made-Up Title"),
        ("đž A Made-Up Title\nNext line", "A Made-Up Title\nNext line"),
        ("Good news đž\nMore text", "Good news\nMore text"),
        ("ðŸ Party time", "Party time"),
    ],
)
def test_emoji_remnant_dropped(damaged, repaired):
    assert repair_mojibake(damaged) == repaired


@pytest.mark.parametrize(
    "clean",
    [
        "The price is 20 000 đ per bowl.",  # Vietnamese đồng sign, alone
        "Granica, međa i đak.",  # Croatian words with đ
        "Đorđe went home.",
    ],
)
def test_legitimate_d_stroke_kept(clean):
    assert repair_mojibake(clean) == clean


# --- clean text and legitimate â --------------------------------------------------------------


@pytest.mark.parametrize(
    "clean",
    [
        "We ate pâté at the château, then gâteau at the théâtre.",
        "Il a mangé du pâté; qu'il parlât encore, cela ne change rien.",
        "Nu știu cât costă pâine în România.",
        "She doesn’t think “models” are magic — not yet, anyway.",
        "A café in Zürich served crème brûlée… twice.",
        "Plain ASCII text, with 'straight' quotes and \"doubles\" - fine.",
        "Vietnamese âm nhạc is lovely.",
        "Line one\nLine two with naïve résumé\n",
        "",
    ],
)
def test_clean_text_unchanged(clean):
    assert repair_mojibake(clean) == clean


def test_legitimate_a_circumflex_survives_inside_damaged_text():
    damaged = "The chefâs pâté was âgreatâ, and the châteauâs wine too."
    assert repair_mojibake(damaged) == "The chef’s pâté was “great”, and the château’s wine too."


def test_quotes_around_a_protected_word():
    assert repair_mojibake("We saw the âchâteauâ today.") == "We saw the “château” today."


def test_intact_mojibake_fixed_by_ftfy():
    assert repair_mojibake("It doesnâ€™t matter.") == "It doesn’t matter."


@pytest.mark.parametrize(
    "text",
    [
        "We havenât seen âitâ â yet.",
        "- đž Title\nđž Title\nItâs the lampâthe one.",
        "pâté and château",
        "She doesn’t think “models” are magic — not yet.",
        "âchâteauâ and donât 1990â2000",
    ],
)
def test_idempotent(text):
    once = repair_mojibake(text)
    assert repair_mojibake(once) == once


# --- the real seed -----------------------------------------------------------------------------


def test_seed_003_fully_repaired():
    text = seed_bytes("003").decode("utf-8")
    repaired = repair_mojibake(text)
    assert "â" not in repaired
    assert "đ" not in repaired
    assert repair_mojibake(repaired) == repaired
    for phrase in (
        "haven’t seen Part 2-1",
        "“Human Data is Key to AI: Alex Wang from Scale AI”.",
        "inference—the",
        "“It’s important",
        "Moore’s law",
        "“Floating Point Operations per Second”)",
        "no end in sight — but",
        "predictions—also",
    ):
        assert phrase in repaired, phrase
    assert repaired.splitlines()[3] == "Scale Is All You Need? Part 2-2"
