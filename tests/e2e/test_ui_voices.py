"""A voice owner in a real browser (Debian's Chromium, headless, through playwright) against a
served gateway: the statement recorded through a fake microphone, the result, the signed
record downloaded, the voice revoked with one confirmed click.

Chromium's fake microphone plays (and loops) a WAV file named at launch. The statement it must
hear is only known once the page shows it, so the test writes the file after reading the
statement and before pressing Record: Chromium opens the file when a capture starts, and the
page stops its capture after each recording. The speech is eSpeak NG's, one "person" for the
statement and the references, so speaker verification finds them the same.
"""

from __future__ import annotations

import json
import wave
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import DESKTOP, PHONE, launched_chromium, screenshot
from tests.e2e.conftest import Served, serve
from tests.factories import REFERENCE_TEXTS, spoken_wav

OWNER = "vic"
SPARE_S = 1.0  # recording a little past the statement's end: the recorder starts late


def _seconds(wav_bytes: bytes) -> float:
    with wave.open(BytesIO(wav_bytes)) as reader:
        return reader.getnframes() / reader.getframerate()


@pytest.fixture(scope="module")
def microphone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fake microphone's file: a spoken sentence until a test writes the statement."""
    path = tmp_path_factory.mktemp("microphone") / "microphone.wav"
    path.write_bytes(spoken_wav(REFERENCE_TEXTS[2]))
    return path


@pytest.fixture(scope="module")
def browser(microphone: Path) -> Iterator[Any]:
    """Chromium whose microphone plays ``microphone`` (granted without a prompt)."""
    with launched_chromium(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone}",
    ) as launched:
        yield launched


@pytest.fixture(scope="module")
def dev_gateway(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("voices-gateway")
    served = serve(root / "data", root, {"CONSENTGATE_AUTH_MODE": "dev"})
    yield served
    served.stop()


def _sign_in(page: Any, gateway: Served) -> None:
    page.goto(f"{gateway.url}/ui/voices")
    page.get_by_label("User id").fill(OWNER)
    page.get_by_label("Voice user").check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{gateway.url}/ui/voices")


def _record_statement(page: Any, microphone: Path) -> None:
    """Feed the statement on screen to the microphone, then record it: a false start, then
    again, the whole statement (the page keeps the last take only)."""
    statement = page.get_by_test_id("statement").inner_text()
    spoken = spoken_wav(statement)
    microphone.write_bytes(spoken)
    recorder = page.locator("[data-recorder=statement]")
    state = page.get_by_test_id("statement-state")
    for button, seconds in (("Record", 1.0), ("Record again", _seconds(spoken) + SPARE_S)):
        recorder.get_by_role("button", name=button, exact=True).click()
        state.filter(has_text="Recording").wait_for()
        page.wait_for_timeout(seconds * 1000)
        recorder.get_by_role("button", name="Stop").click()
        state.filter(has_text="Recorded").wait_for()
        assert (
            recorder.locator("audio").count() == 1
        )  # the take to play back; a new one replaces it


def test_a_voice_user_enrols_by_recording_downloads_the_record_and_revokes(
    page: Any, dev_gateway: Served, microphone: Path, tmp_path: Path
) -> None:
    _sign_in(page, dev_gateway)
    assert page.evaluate("MediaRecorder.isTypeSupported('audio/webm;codecs=opus')")
    page.get_by_role("link", name="Enrol a voice").click()
    page.set_viewport_size(PHONE)
    screenshot(page, "test_ui_voices_scope_phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_label("Language of the statement").select_option("en")
    page.get_by_label("People (user ids)").fill("colin")
    page.get_by_label("Training").check()
    page.get_by_label("Most uses").fill("20")
    page.get_by_role("button", name="Show my statement").click()
    assert "I, vic, am aware" in page.get_by_test_id("statement").inner_text()

    _record_statement(page, microphone)
    references = [tmp_path / f"reference-{i}.wav" for i in range(2)]
    for path, text in zip(references, REFERENCE_TEXTS, strict=False):
        path.write_bytes(spoken_wav(text))
    page.get_by_label("Or upload reference recordings").set_input_files(references)
    screenshot(page, "test_ui_voices_statement_recorded")
    page.get_by_role("button", name="Enrol my voice").click()

    result = page.get_by_test_id("enrolment-result")
    result.wait_for(timeout=90_000)
    screenshot(page, "test_ui_voices_enrolment_result")
    status = page.get_by_test_id("voice-status").inner_text()
    assert status in ("Active", "Waiting for review")
    consent_id = page.get_by_test_id("consent-id").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the signed consent record").click()
    saved = tmp_path / "record.json"
    download.value.save_as(saved)
    record = json.loads(saved.read_text())["record"]
    assert record["consent_id"] == consent_id
    statement_audio = [a for a in record["audio"] if a["kind"] == "statement"]
    assert [a["mime_type"] for a in statement_audio] == ["audio/webm"]  # the microphone's
    assert record["scope"]["subjects"] == ["colin"] and record["scope"]["max_uses"] == 20

    page.get_by_role("link", name="Open the voice").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke consent").click()
    page.wait_for_url("**?revoked=1")
    assert page.get_by_test_id("voice-status").inner_text() == "Revoked"
    page.set_viewport_size(PHONE)
