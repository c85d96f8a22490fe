"""A text classifier that screens what a cloned voice is asked to say, for what rules miss.

Rules catch keywords and their disguises; a paraphrase of "read me the code you just got"
needs a model. In the standard profile an operator may configure a Hugging Face
sequence-classification model (a local directory or a hub id, e.g. a fine-tuned XLM-R); the
tiny profile configures none.

A text is a hit when the softmax probabilities of the model's sensitive labels, summed, reach
``threshold``. The model must name its labels (``config.id2label``): one without a sensitive
label, or with nothing but sensitive labels, cannot answer the question and is refused at
load. Every failure raises, loading or inference, so the caller can fail closed; this module
never turns an error into "not sensitive".

Only the first tokens of a text that fit the model are classified (bounded work per text);
the rules still see the whole text.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from engines.errors import EngineFailed, EngineUnavailable
from engines.loader import ModelLoader

DEFAULT_SENSITIVE_LABELS = frozenset({"sensitive", "fraud", "unsafe"})
DEFAULT_THRESHOLD = 0.5
DEFAULT_MAX_TOKENS = 512  # XLM-R's window; also caps models whose tokenizer names no length
# A tokenizer without a recorded length reports a huge sentinel (int(1e30)), not None.
_NO_LENGTH = 1_000_000


class ClassifierMisconfigured(EngineUnavailable):
    """The model loaded but cannot say "sensitive": its labels do not fit the screen."""

    code = "classifier_misconfigured"


@dataclass(frozen=True)
class ClassifierHit:
    """The model judged the text sensitive: its most probable sensitive label, and the
    summed probability of all sensitive labels (the value compared with the threshold)."""

    label: str
    score: float


@dataclass(frozen=True)
class _Loaded:
    """One model and its tokenizer, shared through the loader by every screen on a source."""

    model: Any
    tokenizer: Any
    max_tokens: int
    # Fast tokenizers change their Rust truncation state on each call: concurrent calls
    # with truncation can fail with "Already borrowed", so calls are serialised.
    tokenizer_lock: threading.Lock


def _token_limit(model: Any, tokenizer: Any, cap: int) -> int:
    """The most tokens one forward pass may take: the tokenizer's length, the position
    table and ``cap``, whichever is smallest (a model may record only some of them)."""
    limits = [cap]
    if 0 < tokenizer.model_max_length < _NO_LENGTH:
        limits.append(int(tokenizer.model_max_length))
    positions = getattr(model.config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        limits.append(positions)
    return min(limits)


class TextClassifierScreen:
    """Screens a text with a sequence-classification model; standard profile (needs weights).

    The model is loaded through ``loader`` on first use (or by ``load()`` at start-up, to
    find a misconfigured model before the first request).
    """

    def __init__(
        self,
        source: str,
        loader: ModelLoader,
        *,
        sensitive_labels: Collection[str] = DEFAULT_SENSITIVE_LABELS,
        threshold: float = DEFAULT_THRESHOLD,
        max_tokens: int = DEFAULT_MAX_TOKENS,
    ) -> None:
        """``sensitive_labels`` are matched against ``config.id2label`` ignoring case;
        ``threshold`` is in (0, 1]; ``max_tokens`` caps the tokens classified per text.

        Raises ValueError for an empty label set, a threshold outside (0, 1] or a cap < 2.
        """
        if isinstance(sensitive_labels, str):
            raise ValueError("sensitive_labels must be a collection of label names, not one str")
        wanted = frozenset(label.casefold() for label in sensitive_labels)
        if not wanted:
            raise ValueError("sensitive_labels must name at least one label")
        if not 0.0 < threshold <= 1.0:  # also refuses NaN
            raise ValueError(f"threshold must be in (0, 1], not {threshold!r}")
        if max_tokens < 2:
            raise ValueError(f"max_tokens must be at least 2, not {max_tokens!r}")
        self.name = f"classifier:{source}"
        self.threshold = threshold
        self._source = source
        self._loader = loader
        self._wanted = wanted
        self._max_tokens = max_tokens
        self._sensitive: list[int] | None = None

    def _build(self, device: str) -> _Loaded:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        local_only = Path(self._source).is_dir() or not self._loader.hub_downloads
        try:
            tokenizer = AutoTokenizer.from_pretrained(self._source, local_files_only=local_only)
            model = AutoModelForSequenceClassification.from_pretrained(
                self._source, local_files_only=local_only, dtype=torch.float32
            )
        except (OSError, ValueError) as exc:
            raise EngineUnavailable(
                f"text classifier could not be loaded from {self._source!r}"
            ) from exc
        model = model.eval().to(device)
        limit = _token_limit(model, tokenizer, self._max_tokens)
        return _Loaded(model, tokenizer, limit, threading.Lock())

    def _sensitive_ids(self, model: Any) -> list[int]:
        """Indices of the sensitive labels. Raises ClassifierMisconfigured (fail closed)."""
        id2label: dict[int, str] = dict(model.config.id2label or {})
        labels = {int(index): str(name) for index, name in id2label.items()}
        if len(labels) < 2 or set(labels) != set(range(len(labels))):
            raise ClassifierMisconfigured(
                f"text classifier {self._source!r} must name two or more labels 0..n-1 in "
                f"config.id2label, not {labels!r}"
            )
        sensitive = sorted(i for i, name in labels.items() if name.casefold() in self._wanted)
        if not sensitive:
            raise ClassifierMisconfigured(
                f"text classifier {self._source!r} has no sensitive label: its labels are "
                f"{sorted(labels.values())}, the screen looks for {sorted(self._wanted)}"
            )
        if len(sensitive) == len(labels):
            raise ClassifierMisconfigured(
                f"text classifier {self._source!r} has only sensitive labels "
                f"{sorted(labels.values())}: it would block every text"
            )
        return sensitive

    def _get(self) -> tuple[_Loaded, list[int]]:
        loaded: _Loaded = self._loader.get(f"text_classifier:{self._source}", self._build)
        if self._sensitive is None:
            self._sensitive = self._sensitive_ids(loaded.model)
        return loaded, self._sensitive

    def load(self) -> None:
        """Load the model now. Raises EngineUnavailable, ClassifierMisconfigured."""
        self._get()

    def screen(self, text: str, language: str) -> ClassifierHit | None:
        """A hit when the text is sensitive, else None. ``language`` is not used: the model
        is expected to be multilingual. Raises EngineUnavailable, ClassifierMisconfigured,
        EngineFailed (the model gave no usable score) and whatever inference raises."""
        loaded, sensitive = self._get()
        with loaded.tokenizer_lock:
            encoded = loaded.tokenizer(
                text, truncation=True, max_length=loaded.max_tokens, return_tensors="pt"
            )
        device = loaded.model.device
        inputs = {key: value.to(device) for key, value in encoded.items()}
        with torch.inference_mode():
            logits = loaded.model(**inputs).logits
        probabilities = logits[0].float().softmax(dim=-1).cpu()
        if probabilities.shape != (len(loaded.model.config.id2label),):
            raise EngineFailed(
                f"text classifier {self._source!r} gave logits {tuple(logits.shape)}"
            )
        score = float(probabilities[sensitive].sum())
        if not math.isfinite(score):  # NaN would compare below any threshold: fail closed
            raise EngineFailed(f"text classifier {self._source!r} gave a non-finite score")
        if score < self.threshold:
            return None
        best = max(sensitive, key=lambda index: float(probabilities[index]))
        return ClassifierHit(label=str(loaded.model.config.id2label[best]), score=score)
