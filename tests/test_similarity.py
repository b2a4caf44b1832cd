"""Pure tests of the tokeniser and the TF-IDF cosine used for related stories (no database)."""

from __future__ import annotations

import math

import pytest

from articles.connect.similarity import (
    cosine,
    document_frequencies,
    term_counts,
    tfidf,
    tokenize,
    top_related,
)


def test_tokenize_lowercases_keeps_model_names_and_drops_numbers_and_stop_words():
    text = "GPT-4 and o1-preview beat Llama-3.1 in 2024 by 97.5% — DeepMind\u2019s DiLoCo is the way."
    assert tokenize(text) == ["gpt-4", "o1-preview", "beat", "llama-3.1", "deepmind", "diloco"]


@pytest.mark.parametrize("text", ["", "the and of", "2024 97.5 3", "a b c"])
def test_tokenize_nothing_left(text):
    assert tokenize(text) == []


def test_term_counts_over_several_parts():
    assert term_counts(["Distributed training", "distributed TRAINING of models"]) == {
        "distributed": 2, "training": 2, "models": 1,
    }


def test_tfidf_is_normalised_and_rare_terms_weigh_more():
    docs = [{"training": 1, "diloco": 1}, {"training": 1, "robots": 1}, {"training": 1, "kettles": 1}]
    df = document_frequencies(docs)
    assert df == {"training": 3, "diloco": 1, "robots": 1, "kettles": 1}
    weights = tfidf(docs[0], df, len(docs))
    assert math.isclose(sum(w * w for w in weights.values()), 1.0)
    assert weights["diloco"] > weights["training"]
    assert tfidf({}, df, 3) == {}


def test_tfidf_weights_are_sublinear_in_the_count():
    df = {"a1": 1, "b1": 1}
    weights = tfidf({"a1": 4, "b1": 1}, df, 2)
    assert math.isclose(weights["a1"] / weights["b1"], 1 + math.log(4))


def test_cosine_and_top_related():
    df = {"diloco": 2, "training": 3, "robots": 1, "kettles": 1}
    a = tfidf({"diloco": 2, "training": 1}, df, 3)
    b = tfidf({"diloco": 1, "training": 1}, df, 3)
    c = tfidf({"robots": 1, "kettles": 1}, df, 3)
    assert math.isclose(cosine(a, a), 1.0)
    assert cosine(a, c) == 0.0
    assert math.isclose(cosine(a, b), cosine(b, a))
    assert top_related(a, {2: b, 3: c}, limit=5, threshold=0.1) == [(2, pytest.approx(cosine(a, b)))]
    assert top_related(a, {2: b, 3: c}, limit=0, threshold=0.0) == []
