"""The content screens after the rules: a classifier when one is configured (standard profile).

``engines.text_classifier`` knows models, not policy; this adapter turns its hit into the
policies' ``ScreenHit`` so the rules and the classifier answer through one interface, and the
audit entry names which one blocked.
"""

from __future__ import annotations

from engines import ModelLoader
from gateway.settings import Settings
from policies import ContentScreen, ScreenHit


class ClassifierScreen:
    """``policies.ContentScreen`` over ``engines.text_classifier.TextClassifierScreen``."""

    def __init__(self, source: str, loader: ModelLoader, threshold: float) -> None:
        from engines.text_classifier import TextClassifierScreen

        self._classifier = TextClassifierScreen(source, loader, threshold=threshold)
        self.name = self._classifier.name

    def screen(self, text: str, language: str) -> ScreenHit | None:
        """Raises what the classifier raises (unavailable, failed): the check fails closed."""
        hit = self._classifier.screen(text, language)
        if hit is None:
            return None
        return ScreenHit(category=hit.label, rule=hit.label, score=hit.score)


def content_screens(settings: Settings, loader: ModelLoader) -> tuple[ContentScreen, ...]:
    if not settings.content_classifier:
        return ()
    return (
        ClassifierScreen(
            settings.content_classifier, loader, settings.content_classifier_threshold
        ),
    )
