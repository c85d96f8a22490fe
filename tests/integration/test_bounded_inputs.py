"""Bounded inputs (issue 7): audio decoded only as far as needed, junk refused at upload, texts
with nothing to speak refused before they cost a consent use, scope names bounded."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from fastapi.testclient import TestClient

from audit import AuditEntry
from gateway.services import Services
from tests.factories import (
    REFERENCE_TEXTS,
    IdentityProvider,
    approve_if_pending,
    bearer,
    sample_media,
    spoken_wav,
)

ROOT = Path(__file__).resolve().parents[2]
HOUR_S = 3600
# Decoding the melody keeps at most MAX_MELODY_S (10 s) at 32 kHz: 1.3 MB of float32. 64 MB
# leaves room for FFmpeg's own buffers; decoding the hour whole needs over 400 MB.
MELODY_DECODE_RSS_BOUND = 64 * 1024 * 1024
UPLOAD_DEADLINE_S = 10.0  # generous on a shared 2-core machine; the probe stops after 60 s
_JUNK = bytes(range(256)) * 16


def silent_flac(seconds: float, rate: int = 48_000) -> bytes:
    """Silence in FLAC's largest blocks: an hour at 48 kHz fits in about 46 KB."""
    buffer = io.BytesIO()
    block = 65_535
    total = int(seconds * rate)
    with av.open(buffer, "w", format="flac") as out:
        stream = out.add_stream("flac", rate=rate)
        stream.layout = "mono"
        stream.codec_context.options = {"compression_level": "12", "frame_size": str(block)}
        for start in range(0, total, block):
            silence = np.zeros((1, min(block, total - start)), np.int16)
            frame = av.AudioFrame.from_ndarray(silence, format="s16", layout="mono")
            frame.sample_rate, frame.pts = rate, start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def hour_of_silence() -> bytes:
    data = silent_flac(HOUR_S)
    assert len(data) < 100_000
    return data


def _last(services: Services) -> AuditEntry:
    entry = services.audit.get(services.audit.head()[0])
    assert entry is not None
    return entry


def _upload(client: TestClient, idp: IdentityProvider, data: bytes) -> Any:
    return client.post(
        "/v1/inputs",
        files={"file": ("melody.flac", data, "audio/flac")},
        data={"licence": "cc-by"},
        headers=bearer(idp.token("alice")),
    )


# 1 and 5. The melody of an hour-long FLAC is decoded only as far as MAX_MELODY_S.

_MEASURE_MELODY_DECODE = textwrap.dedent(
    """
    import json, resource, sys
    from engines.audio import decode_mono
    from engines.music import MAX_MELODY_S

    data = open(sys.argv[1], "rb").read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    melody = decode_mono(data, 32_000, max_seconds=MAX_MELODY_S)  # as MusicEngine.generate does
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"growth_kib": after - before, "samples": len(melody)}))
    """
)


def test_melody_decode_of_an_hour_keeps_memory_bounded(
    tmp_path: Path, hour_of_silence: bytes
) -> None:
    path = tmp_path / "hour.flac"
    path.write_bytes(hour_of_silence)
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE_MELODY_DECODE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=True,
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["samples"] == 10 * 32_000
    assert measured["growth_kib"] * 1024 < MELODY_DECODE_RSS_BOUND, measured


def test_an_hour_of_silence_is_refused_at_upload_quickly(
    client: TestClient, services: Services, idp: IdentityProvider, hour_of_silence: bytes
) -> None:
    started = time.monotonic()
    response = _upload(client, idp, hour_of_silence)
    elapsed = time.monotonic() - started
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "input_too_long"
    assert elapsed < UPLOAD_DEADLINE_S
    entry = _last(services)
    assert (entry.action, entry.decision, entry.code) == ("upload", "deny", "input_too_long")


# 2. Every input is decoded (bounded) at upload; junk with audio magic bytes is refused.


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"", 415, "input_unsupported"),
        (b"plain text, not audio", 415, "input_unsupported"),
        (b"fLaC" + _JUNK, 422, "input_invalid"),
        (b"RIFF\x24\x10\x00\x00WAVE" + _JUNK, 422, "input_invalid"),
        (b"RIFF\x24\x10\x00\x00WAVEfmt " + _JUNK, 422, "input_invalid"),
        (b"ID3" + _JUNK, 422, "input_invalid"),
        (b"OggS" + _JUNK, 422, "input_invalid"),
        (b"\xff\xfb" + _JUNK, 422, "input_invalid"),
        (sample_media("audio/wav")[:44], 422, "input_invalid"),  # a header, no samples
    ],
)
def test_junk_with_audio_magic_is_refused_and_audited(
    client: TestClient,
    services: Services,
    idp: IdentityProvider,
    data: bytes,
    status: int,
    code: str,
) -> None:
    response = _upload(client, idp, data)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    entry = _last(services)
    assert (entry.action, entry.decision, entry.code) == ("upload", "deny", code)


@pytest.mark.parametrize("mime_type", ["audio/wav", "audio/flac", "audio/mpeg"])
def test_real_audio_is_accepted_as_its_sniffed_type(
    client: TestClient, idp: IdentityProvider, mime_type: str
) -> None:
    response = _upload(client, idp, sample_media(mime_type))
    assert response.status_code == 201, response.text
    assert response.json()["mime_type"] == mime_type


# 3. Texts with nothing to speak: refused by the schema, before a consent use is counted.

OWNER, COLLEAGUE = "olivia", "colin"


def _voice_user(idp: IdentityProvider, subject: str) -> dict[str, str]:
    return bearer(idp.token(subject, roles=["voice_user"], name=subject.title()))


def _scope(**overrides: Any) -> dict[str, Any]:
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    return {
        "subjects": [COLLEAGUE],
        "purposes": ["internal"],
        "expires_at": expires.isoformat(),
        **overrides,
    }


def _enrolled_voice(client: TestClient, idp: IdentityProvider) -> str:
    challenge = client.post(
        "/v1/voices/challenge",
        json={"language": "en", "scope": _scope()},
        headers=_voice_user(idp, OWNER),
    ).json()
    files = [
        ("references", (f"ref{i}.wav", spoken_wav(text), "audio/wav"))
        for i, text in enumerate(REFERENCE_TEXTS[:2])
    ]
    files.append(("statement", ("statement.wav", spoken_wav(challenge["statement"]), "audio/wav")))
    enrolled = client.post(
        "/v1/voices",
        data={"challenge_id": challenge["challenge_id"]},
        files=files,
        headers=_voice_user(idp, OWNER),
    )
    assert enrolled.status_code == 201, enrolled.text
    approve_if_pending(client, idp, enrolled.json())
    return str(enrolled.json()["voice_id"])


def _clone(client: TestClient, idp: IdentityProvider, voice_id: str, text: str) -> Any:
    return client.post(
        "/v1/voice-clones",
        json={"voice_id": voice_id, "text": text, "language": "en", "purpose": "internal"},
        headers=_voice_user(idp, COLLEAGUE),
    )


def _uses(client: TestClient, idp: IdentityProvider) -> int:
    return int(client.get("/v1/voices", headers=_voice_user(idp, OWNER)).json()[0]["uses"])


_UNSPEAKABLE = [" ", "\t", "\0", "\n\n", "\u200b", "hello\0world", "\x1b[2J"]


def test_clone_texts_with_nothing_to_speak_are_refused_without_a_use(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    voice_id = _enrolled_voice(client, idp)
    for text in _UNSPEAKABLE:
        response = _clone(client, idp, voice_id, text)
        assert response.status_code == 422, (text, response.text)
        assert response.json()["code"] == "invalid_request"
        entry = _last(services)
        assert (entry.decision, entry.code) == ("deny", "invalid_request")
    assert _uses(client, idp) == 0
    for text in ("a", ".", "!?", "中"):  # odd but valid: real audio, one use each
        response = _clone(client, idp, voice_id, text)
        assert response.status_code == 201, (text, response.text)
    assert _uses(client, idp) == 4


@pytest.mark.parametrize("text", _UNSPEAKABLE)
def test_speech_texts_with_nothing_to_speak_are_refused(
    client: TestClient, services: Services, idp: IdentityProvider, text: str
) -> None:
    response = client.post(
        "/v1/speech",
        json={"text": text, "language": "en", "purpose": "internal"},
        headers=bearer(idp.token("alice")),
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_request"
    assert (_last(services).decision, _last(services).code) == ("deny", "invalid_request")


@pytest.mark.parametrize("text", ["a", ".", "!?", "…", "中"])
def test_odd_but_valid_speech_texts_are_spoken(
    client: TestClient, idp: IdentityProvider, text: str
) -> None:
    response = client.post(
        "/v1/speech",
        json={"text": text, "language": "en", "purpose": "internal"},
        headers=bearer(idp.token("alice")),
    )
    assert response.status_code == 201, response.text


# 4. Scope names of a voice challenge are bounded in length and count.


@pytest.mark.parametrize(
    "scope",
    [
        {"subjects": ["x" * 256]},
        {"subjects": ["x" * 10_000]},
        {"groups": ["g" * 256]},
        {"roles": ["r" * 256]},
        {"subjects": [f"user{i}" for i in range(101)]},
        {"groups": [f"group{i}" for i in range(101)]},
        {"subjects": [""]},
        {"subjects": ["   "]},
        {"groups": ["ops\0admin"]},
        {"roles": ["line\nbreak"]},
        {"engines": ["m" * 201]},
    ],
)
def test_oversized_or_odd_scope_names_are_refused(
    client: TestClient, services: Services, idp: IdentityProvider, scope: dict[str, Any]
) -> None:
    response = client.post(
        "/v1/voices/challenge",
        json={"language": "en", "scope": _scope(**scope)},
        headers=_voice_user(idp, OWNER),
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_request"
    assert _last(services).code == "invalid_request"


def test_scope_names_at_the_bounds_are_accepted(client: TestClient, idp: IdentityProvider) -> None:
    scope = _scope(subjects=["s" * 255, *(f"user{i}" for i in range(99))], groups=["g" * 255])
    response = client.post(
        "/v1/voices/challenge",
        json={"language": "en", "scope": scope},
        headers=_voice_user(idp, OWNER),
    )
    assert response.status_code == 201, response.text
