"""Acoustic fingerprints of recordings: what a recording sounds like, in a few bits a frame.

A file's SHA-256 changes with one appended byte, and a speaker embedding cannot tell a copy
from a new take (two takes of one text by one voice score 0.9995), so copies are found by
comparing fingerprints of the decoded 16 kHz mono samples, whatever the container, codec,
gain, sample rate or trim (see consent/copies.py for the search).

The fingerprint (the idea of Haitsma and Kalker's binary audio fingerprint, implemented here
for speech): energies in 33 log-spaced bands from 150 Hz to 4 kHz, per 128 ms frame every
16 ms; per frame, one bit per pair of neighbouring bands saying whether the difference between
their log energies rose or fell since the previous frame, and one flag saying whether the
frame was loud enough to count. Gain cancels out (only differences of log energies are kept),
and so does any resampling or codec that keeps the spectral shape below 4 kHz.

**The fingerprint is not the audio**, and is kept after a voice's audio is shredded so that a
shredded voice's recordings still cannot enrol again. It holds one bit per band pair and
frame, the sign of a second difference: no levels, no spectral detail, no pitch, no phase; it
cannot be played or decoded, and holds nothing a speaker encoder or a cloning engine could use.
Integrating its signs back recovers band-energy contours that correlate about 0.3 with the
real ones (measured on eSpeak speech): too little to rebuild speech from.

Comparing: the recording being checked (the probe) is fingerprinted at ``PHASES`` sub-frame
shifts, so that a trim that is not a multiple of the hop still lines up, and only its stronger
half of bits count (the weak ones flip under any codec). Its score against a stored
fingerprint is the share of those bits that agree, over the best alignment in which enough of
the shorter recording's sound overlaps: about 0.5 for unrelated recordings, near 1.0 for a
copy. Calibrated in docs/voice-consent.md ("Copies caught by content").
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from consent.audio import SAMPLE_RATE

WINDOW = 2048  # 128 ms: a shift of a few ms (resampler delay, codec framing) barely moves it
HOP = 256  # 16 ms, 62.5 frames a second: 250 bytes are stored per second of recording
LOW_HZ, HIGH_HZ = 150.0, 4000.0  # speech's formants; low bit rates cut above 4 kHz first
BANDS = 33  # 32 differences between neighbouring bands: one 32-bit word per frame
PHASES = 4  # probe shifts of 0, 4, 8 and 12 ms: no trim is more than 2 ms off a frame
RELATIVE_FLOOR_DB = 35.0  # frames this far below the loudest are pauses (gain-independent)
ABSOLUTE_FLOOR_DBFS = -65.0  # and digital silence is a pause even in a silent file
STRONG_SHARE = 0.5  # the probe's weaker half of bits flip under lossy codecs: not counted
MIN_OVERLAP_FRAMES = 32  # 0.5 s of sound in common, or chance agreement could look like a copy
MIN_OVERLAP_SHARE = 0.5  # and at least half of the shorter recording's sound
_FORMAT = 1  # version byte of the stored form
_HEADER = struct.Struct("<BI")  # format, frames


@dataclass(frozen=True)
class Fingerprint:
    """A recording's stored fingerprint: one 32-bit word and one "sound" flag per frame."""

    words: np.ndarray  # uint32
    voiced: np.ndarray  # bool

    def to_bytes(self) -> bytes:
        """The stored form: format byte, frame count, packed flags, little-endian words."""
        flags = np.packbits(self.voiced).tobytes()
        words = self.words.astype("<u4").tobytes()
        return _HEADER.pack(_FORMAT, len(self.words)) + flags + words

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        """Read the stored form.

        Raises:
            ValueError: not a fingerprint of this format, or truncated.
        """
        if len(data) < _HEADER.size:
            raise ValueError("a fingerprint is too short")
        version, frames = _HEADER.unpack_from(data)
        flag_bytes = (frames + 7) // 8
        if version != _FORMAT or len(data) != _HEADER.size + flag_bytes + 4 * frames:
            raise ValueError("not a fingerprint of this format")
        flags = np.frombuffer(data, np.uint8, flag_bytes, _HEADER.size)
        words = np.frombuffer(data, "<u4", frames, _HEADER.size + flag_bytes)
        return cls(words.astype(np.uint32), np.unpackbits(flags, count=frames).astype(bool))


@dataclass(frozen=True)
class Shifted:
    """A probe fingerprinted from one sub-frame shift on, with the bits that count."""

    print: Fingerprint
    strong: np.ndarray  # uint32 per frame: the bits in the probe's stronger STRONG_SHARE


@dataclass(frozen=True)
class Probe:
    """A recording being checked: its fingerprint at PHASES sub-frame shifts."""

    shifts: tuple[Shifted, ...]

    @property
    def fingerprint(self) -> Fingerprint:
        """What is stored for this recording (the unshifted fingerprint)."""
        return self.shifts[0].print

    @property
    def sounding_frames(self) -> int:
        return int(self.fingerprint.voiced.sum())


def fingerprint_of(samples: np.ndarray) -> Fingerprint:
    """The stored fingerprint of 16 kHz mono float samples."""
    return _fingerprint(samples)[0]


def probe(samples: np.ndarray) -> Probe:
    """Fingerprint 16 kHz mono float samples for checking against stored fingerprints."""
    shifts = []
    for phase in range(PHASES):
        shifted, strength = _fingerprint(samples[phase * HOP // PHASES :])
        shifts.append(Shifted(shifted, _strong_mask(strength, shifted.voiced)))
    return Probe(tuple(shifts))


def similarity(candidate: Probe, stored: Fingerprint) -> float:
    """The share of the probe's counted bits that agree with ``stored`` at the best alignment
    and shift; 0.0 when no alignment overlaps enough sound."""
    return max(_best_agreement(shifted, stored) for shifted in candidate.shifts)


def _fingerprint(samples: np.ndarray) -> tuple[Fingerprint, np.ndarray]:
    """The fingerprint of ``samples`` and the strength (|second difference|) of each bit."""
    padded = np.zeros(max(len(samples), WINDOW), np.float32)
    padded[: len(samples)] = samples
    frames = np.lib.stride_tricks.sliding_window_view(padded, WINDOW)[::HOP] * _HANN
    spectrum = np.fft.rfft(frames, axis=1)[:, _FIRST_BIN:_LAST_BIN]
    power = spectrum.real**2 + spectrum.imag**2
    energies = 10 * np.log10(np.add.reduceat(power, _BAND_STARTS, axis=1) + 1e-12)
    across = energies[:, :-1] - energies[:, 1:]
    change = across[1:] - across[:-1]
    level = 10 * np.log10(np.einsum("ij,ij->i", frames, frames) / _FULL_SCALE + 1e-12)
    loud = (level >= level.max() - RELATIVE_FLOOR_DB) & (level >= ABSOLUTE_FLOOR_DBFS)
    return Fingerprint(_pack(change > 0), loud[1:] & loud[:-1]), np.abs(change)


def _strong_mask(strength: np.ndarray, voiced: np.ndarray) -> np.ndarray:
    """Per frame, the bits whose strength is in the recording's stronger STRONG_SHARE."""
    if not voiced.any():
        return np.zeros(len(strength), np.uint32)
    cut = np.quantile(strength[voiced], 1.0 - STRONG_SHARE)
    return _pack(strength >= cut)


def _pack(bits: np.ndarray) -> np.ndarray:
    """Rows of 32 booleans as uint32 words (bit b = column b)."""
    packed = np.packbits(bits, axis=1, bitorder="little")
    return np.ascontiguousarray(packed).view("<u4").reshape(-1).astype(np.uint32)


def _unpack(words: np.ndarray) -> np.ndarray:
    """uint32 words as rows of 32 booleans (the inverse of _pack)."""
    as_bytes = words.astype("<u4").view(np.uint8).reshape(-1, 4)
    return np.unpackbits(as_bytes, axis=1, bitorder="little").astype(bool)


def _best_agreement(shifted: Shifted, stored: Fingerprint) -> float:
    """The best share of agreeing counted bits over every alignment (FFT correlations)."""
    probe_voiced = shifted.print.voiced.astype(np.float64)
    stored_voiced = stored.voiced.astype(np.float64)
    if not probe_voiced.any() or not stored_voiced.any():
        return 0.0
    size = 1 << int(np.ceil(np.log2(len(probe_voiced) + len(stored_voiced))))
    counted = _unpack(shifted.strong) * probe_voiced[:, None]
    signed = np.where(_unpack(shifted.print.words), 1.0, -1.0) * counted
    stored_signed = np.where(_unpack(stored.words), 1.0, -1.0) * stored_voiced[:, None]

    def correlate(left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """out[k] = sum over i of left[i] * right[i + k] (k < 0 wraps to the end)."""
        product = np.conj(np.fft.rfft(left, size, axis=0)) * np.fft.rfft(right, size, axis=0)
        return np.rint(np.fft.irfft(product.sum(axis=1) if product.ndim == 2 else product, size))

    agreeing_minus_not = correlate(signed, stored_signed)
    bits = correlate(counted.sum(axis=1), stored_voiced)
    overlap = correlate(probe_voiced, stored_voiced)
    enough = max(
        MIN_OVERLAP_FRAMES, MIN_OVERLAP_SHARE * min(probe_voiced.sum(), stored_voiced.sum())
    )
    valid = (overlap >= enough) & (bits > 0)
    if not valid.any():
        return 0.0
    return float(((bits[valid] + agreeing_minus_not[valid]) / (2 * bits[valid])).max())


def _band_starts() -> tuple[int, int, np.ndarray]:
    """The rfft bins of LOW_HZ and HIGH_HZ, and where each band starts (from the first)."""
    frequencies = np.fft.rfftfreq(WINDOW, 1 / SAMPLE_RATE)
    edges = np.searchsorted(frequencies, np.geomspace(LOW_HZ, HIGH_HZ, BANDS + 1))
    assert np.all(np.diff(edges) >= 1), "every band holds at least one frequency bin"
    return int(edges[0]), int(edges[-1]), edges[:-1] - edges[0]


_HANN = np.hanning(WINDOW).astype(np.float32)
_FIRST_BIN, _LAST_BIN, _BAND_STARTS = _band_starts()
# A full-scale sine's energy through the window: the reference for ABSOLUTE_FLOOR_DBFS.
_FULL_SCALE = float(np.sum(_HANN.astype(np.float64) ** 2) / 2)
