"""Timings of the voice path in the tiny profile: challenge, enrolment, clone, speech.

Runs the gateway in-process with the embedded defaults (dev auth, SQLite, tiny VITS,
eSpeak NG) in a temporary data dir and prints p50/p95 per operation.

    .venv/bin/python bench/voice.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from engines._espeak import Espeak, EspeakVoice
from engines.audio import encode_wav
from gateway.app import create_app
from gateway.settings import Settings

REFERENCES = (
    "The quarterly safety review starts on Monday morning in the main hall.",
    "Please remember to wear your protective glasses near the cutting machines.",
)
CLONE_TEXT = "Welcome to the new starters session. Please collect your badge at reception."


def speak(text: str, pitch: int) -> bytes:
    return encode_wav(
        Espeak().synthesise(text, EspeakVoice("en", "m3", pitch=pitch)), Espeak.sample_rate
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    timings: dict[str, list[float]] = {}

    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(Settings(data_dir=Path(data_dir)))
        identity = app.state.services.dev_identity
        owner = {"Authorization": f"Bearer {identity.mint('olivia', ['voice_user'])}"}
        colleague = {"Authorization": f"Bearer {identity.mint('colin', ['voice_user'])}"}
        officer = {"Authorization": f"Bearer {identity.mint('carol', ['compliance_officer'])}"}
        expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()
        scope = {"subjects": ["colin"], "purposes": ["internal"], "expires_at": expires}
        with TestClient(app) as client:

            def timed(name: str, url: str, **kwargs: Any) -> dict[str, Any]:
                start = time.perf_counter()
                response = client.post(url, **kwargs)
                timings.setdefault(name, []).append((time.perf_counter() - start) * 1000)
                assert response.status_code in (200, 201), response.text
                return response.json()

            for round_ in range(args.rounds + 1):
                pitch = 40 + round_  # a fresh recording each round (recordings are single-use)
                challenge = timed(
                    "challenge",
                    "/v1/voices/challenge",
                    json={"language": "en", "scope": scope},
                    headers=owner,
                )
                files = [
                    ("references", (f"r{i}.wav", speak(text, pitch), "audio/wav"))
                    for i, text in enumerate(REFERENCES)
                ]
                statement = speak(challenge["statement"], pitch)
                files.append(("statement", ("s.wav", statement, "audio/wav")))
                voice = timed(
                    "enrolment (2 refs + statement)",
                    "/v1/voices",
                    data={"challenge_id": challenge["challenge_id"]},
                    files=files,
                    headers=owner,
                )
                if voice["status"] == "pending_review":  # the phrase was not heard: review it
                    timed(
                        "review (approve)",
                        f"/v1/voices/{voice['voice_id']}/review",
                        json={"decision": "approve", "reason": "heard the statement"},
                        headers=officer,
                    )
                clone = {"voice_id": voice["voice_id"], "text": CLONE_TEXT, "language": "en"}
                timed(
                    "voice clone (tiny VITS)",
                    "/v1/voice-clones",
                    json={**clone, "purpose": "internal"},
                    headers=colleague,
                )
                timed(
                    "speech (eSpeak NG)",
                    "/v1/speech",
                    json={"text": CLONE_TEXT, "language": "en", "purpose": "internal"},
                    headers=owner,
                )
                timed("revoke", f"/v1/voices/{voice['voice_id']}/revoke", headers=owner)
                if round_ == 0:  # the first round loads models: report it apart
                    first = {name: values.pop() for name, values in timings.items()}

    print(f"voice path, tiny profile, CPU, {args.rounds} rounds (+1 warm-up, shown apart)")
    print(f"{'operation':<34}{'first ms':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for name, values in timings.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"{name:<34}{first[name]:>10.1f}{statistics.median(values):>10.1f}{p95:>10.1f}")


if __name__ == "__main__":
    main()
