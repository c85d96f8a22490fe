"""The text-classifier screen, on tiny BERT classifiers saved to directories and loaded back
through the real ``from_pretrained`` path (no hub is reachable here)."""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path

import pytest
import torch

from engines import EngineUnavailable, ModelLoader
from engines._tiny_text_classifier import MAX_POSITIONS, build_tiny_text_classifier
from engines.errors import EngineFailed
from engines.text_classifier import (
    DEFAULT_THRESHOLD,
    ClassifierHit,
    ClassifierMisconfigured,
    TextClassifierScreen,
)

TEXTS = [
    ("Please read me the six-digit code from your phone.", "en"),
    ("Shall we have lunch by the river on Sunday?", "en"),
    ("Hãy chuyển tiền vào tài khoản này ngay.", "vi"),
    ("請告訴我你剛收到的驗證碼。", "zh-Hant"),
    ("โอนเงินเข้าบัญชีนี้ด่วน", "th"),
    ("", "en"),
]

SENSITIVE = [
    "Tell me the code that was just texted to you.",
    "Read me the six digits on your phone right now.",
    "What is your online banking password?",
    "Send the money to the new account today.",
    "Wire ten thousand dollars to this account immediately.",
    "Approve the payment when the bank app asks you.",
    "Confirm the transfer in your banking app for me.",
    "Give me your PIN so I can sort this out.",
    "Tell me the verification code the bank sent you.",
    "Move our savings to the account I am texting you.",
    "Please share your login password with me.",
    "Accept the payment request that just popped up.",
    "Read out the one-time passcode from the message.",
    "Transfer the deposit to this account before noon.",
    "I need the security code on the back of your card.",
    "Pay the invoice to the new bank details I sent.",
    "Send me your password so I can fix the account.",
    "Buy gift cards and read me the numbers on the back.",
    "Authorise the wire transfer as soon as they call.",
    "Tell me your card number and the expiry date.",
]
BENIGN = [
    "Happy birthday, I hope you have a wonderful day.",
    "Dinner is at seven, see you at the restaurant.",
    "The weather is lovely, shall we walk to the park?",
    "I finished the book you lent me last week.",
    "The children loved the museum trip yesterday.",
    "Remember to water the tomatoes this evening.",
    "The train is running ten minutes late again.",
    "Thank you for the flowers, they are beautiful.",
    "Let us watch the football match on Saturday.",
    "Grandma says the soup recipe needs more garlic.",
    "The concert starts at eight in the town hall.",
    "I am taking the dog for a long walk now.",
    "Our holiday photos from the beach are online.",
    "The new bakery on the corner sells great bread.",
    "Please bring an umbrella, it may rain later.",
    "The meeting about the garden was moved to Friday.",
    "I love the song you played in the car.",
    "We painted the kitchen a light shade of blue.",
    "The cat has been sleeping on the sofa all day.",
    "Call me when you arrive at the station, love you.",
]


@pytest.fixture(scope="module")
def loader() -> ModelLoader:
    return ModelLoader(hub_downloads=False)


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One directory per tiny model, built once for the module."""
    root = tmp_path_factory.mktemp("text_classifiers")
    return {
        "sensitive": build_tiny_text_classifier(root / "sensitive", bias={"sensitive": 8.0}),
        "benign": build_tiny_text_classifier(root / "benign", bias={"benign": 8.0}),
        "no_length": build_tiny_text_classifier(
            root / "no_length", bias={"sensitive": 8.0}, model_max_length=None
        ),
        "unlabelled": build_tiny_text_classifier(
            root / "unlabelled", labels=("LABEL_0", "LABEL_1")
        ),
        "nan": build_tiny_text_classifier(root / "nan", bias={"sensitive": math.nan}),
    }


def test_biased_to_sensitive_hits_every_text(models: dict[str, Path], loader: ModelLoader) -> None:
    source = str(models["sensitive"])
    screen = TextClassifierScreen(source, loader)
    assert source in screen.name and screen.name.startswith("classifier:")
    for text, language in TEXTS:
        hit = screen.screen(text, language)
        assert isinstance(hit, ClassifierHit)
        assert hit.label == "sensitive"
        assert DEFAULT_THRESHOLD <= hit.score <= 1.0 + 1e-6
        assert hit.score > 0.99  # sigmoid(8) ≈ 0.9997: the decision follows the model's score


def test_biased_to_benign_hits_nothing(models: dict[str, Path], loader: ModelLoader) -> None:
    screen = TextClassifierScreen(str(models["benign"]), loader)
    assert all(screen.screen(text, language) is None for text, language in TEXTS)


def test_threshold_is_compared_with_the_sensitive_score(
    models: dict[str, Path], loader: ModelLoader
) -> None:
    # The benign-biased model scores "sensitive" near 1 - sigmoid(8) ≈ 0.0003.
    source = str(models["benign"])
    assert TextClassifierScreen(source, loader, threshold=1e-6).screen("hello", "en") is not None
    assert TextClassifierScreen(source, loader, threshold=0.01).screen("hello", "en") is None


def test_sensitive_labels_can_be_overridden_and_ignore_case(
    models: dict[str, Path], loader: ModelLoader
) -> None:
    screen = TextClassifierScreen(str(models["benign"]), loader, sensitive_labels={"BENIGN"})
    hit = screen.screen("Shall we have lunch?", "en")
    assert hit is not None and hit.label == "benign"


def test_a_model_without_a_sensitive_label_is_refused_at_load(
    models: dict[str, Path], loader: ModelLoader
) -> None:
    screen = TextClassifierScreen(str(models["unlabelled"]), loader)
    with pytest.raises(ClassifierMisconfigured, match=r"no sensitive label.*LABEL_0"):
        screen.load()
    with pytest.raises(ClassifierMisconfigured):  # every later screen fails closed too
        screen.screen("Tell me the code.", "en")
    assert issubclass(ClassifierMisconfigured, EngineUnavailable)


def test_a_model_with_only_sensitive_labels_is_refused(
    models: dict[str, Path], loader: ModelLoader
) -> None:
    labels = {"benign", "sensitive"}
    screen = TextClassifierScreen(str(models["sensitive"]), loader, sensitive_labels=labels)
    with pytest.raises(ClassifierMisconfigured, match="only sensitive labels"):
        screen.load()


def test_a_missing_model_is_unavailable(tmp_path: Path, loader: ModelLoader) -> None:
    # hub_downloads is off: a hub id not in the local cache fails at once, without network.
    for source in (str(tmp_path), "consentgate/no-such-classifier"):
        with pytest.raises(EngineUnavailable, match="could not be loaded"):
            TextClassifierScreen(source, loader).screen("hello", "en")


@pytest.mark.parametrize("model", ["sensitive", "no_length"])
def test_long_text_is_truncated(models: dict[str, Path], loader: ModelLoader, model: str) -> None:
    text = ("Please read me the code from your phone. " * 2_500)[:100_000]
    assert len(text) == 100_000
    screen = TextClassifierScreen(str(models[model]), loader)
    assert screen.screen(text, "en") is not None
    # Without truncation the 64-entry position table would overflow: prove the text is long.
    tokenizer = loader.get(f"text_classifier:{models[model]}", lambda device: None).tokenizer
    assert len(tokenizer(text)["input_ids"]) > MAX_POSITIONS


def test_max_tokens_caps_the_window(models: dict[str, Path], loader: ModelLoader) -> None:
    screen = TextClassifierScreen(str(models["sensitive"]), loader, max_tokens=8)
    assert screen.screen("word " * 1_000, "en") is not None


@pytest.mark.parametrize("threshold", [0.0, -0.1, 1.5, math.nan, math.inf])
def test_threshold_outside_0_1_is_refused(threshold: float, loader: ModelLoader) -> None:
    with pytest.raises(ValueError, match="threshold"):
        TextClassifierScreen("unused", loader, threshold=threshold)


def test_other_arguments_are_validated(loader: ModelLoader) -> None:
    with pytest.raises(ValueError, match="at least one"):
        TextClassifierScreen("unused", loader, sensitive_labels=set())
    with pytest.raises(ValueError, match="not one str"):
        TextClassifierScreen("unused", loader, sensitive_labels="sensitive")
    with pytest.raises(ValueError, match="max_tokens"):
        TextClassifierScreen("unused", loader, max_tokens=1)
    TextClassifierScreen("unused", loader, threshold=1.0)  # 1.0 is allowed: only certainty


def test_a_non_finite_score_fails_closed(models: dict[str, Path], loader: ModelLoader) -> None:
    screen = TextClassifierScreen(str(models["nan"]), loader)
    with pytest.raises(EngineFailed, match="non-finite"):
        screen.screen("hello", "en")


def test_inference_failures_propagate(
    models: dict[str, Path], loader: ModelLoader, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = TextClassifierScreen(str(models["sensitive"]), loader)
    model = loader.get(f"text_classifier:{models['sensitive']}", lambda device: None).model

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("device lost")

    monkeypatch.setattr(model, "forward", broken)
    with pytest.raises(RuntimeError, match="device lost"):
        screen.screen("hello", "en")


def test_concurrent_screens_share_one_model(models: dict[str, Path], loader: ModelLoader) -> None:
    screen = TextClassifierScreen(str(models["sensitive"]), loader)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for text, language in TEXTS:
                assert screen.screen(text * 50, language) is not None
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_a_briefly_trained_model_separates_what_it_learnt(
    tmp_path: Path, loader: ModelLoader
) -> None:
    examples = [(text, "sensitive") for text in SENSITIVE] + [(text, "benign") for text in BENIGN]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the budget below is for one core
    try:
        started = time.perf_counter()
        directory = build_tiny_text_classifier(tmp_path / "trained", examples=examples, steps=300)
        elapsed = time.perf_counter() - started
    finally:
        torch.set_num_threads(threads)
    assert elapsed < 20, f"training took {elapsed:.1f} s"
    screen = TextClassifierScreen(str(directory), loader)
    assert all(screen.screen(text, "en") is not None for text in SENSITIVE)
    assert all(screen.screen(text, "en") is None for text in BENIGN)
