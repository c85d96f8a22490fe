"""Calibrate the enrolment threshold: resemblyzer similarities on eSpeak NG voices.

Each "speaker" is an eSpeak NG voice variant. For each, two reference recordings and a
statement (other text) are synthesised; the statement is compared with the centroid of the
references, as enrolment does. Same speaker: a variant's statement vs its own references.
Different speakers: every other variant's statement vs those references.

eSpeak variants are weak stand-ins for different people (several differ only slightly in
formants, e.g. f2/f5 and m1/m3), so the different-speaker side is pessimistic here and real
recordings of one person score lower than eSpeak's same-voice pairs: calibrate on your own.

    .venv/bin/python bench/speaker_similarity.py [--language en]
"""

from __future__ import annotations

import argparse
import itertools

import numpy as np

from consent.audio import SAMPLE_RATE
from consent.speaker import SpeakerEncoder
from engines._espeak import Espeak, EspeakVoice
from engines.audio import decode_mono, encode_wav

VARIANTS = [
    "m1",
    "m2",
    "m3",
    "m4",
    "m7",
    "f1",
    "f2",
    "f3",
    "f4",
    "f5",
    "Alex",
    "Andy",
    "Annie",
    "Denis",
    "Lee",
    "Mike",
    "Nguyen",
]
TEXTS = {
    "en": [
        "The quarterly report is ready for review by the finance team.",
        "Please remember to wear safety glasses on the factory floor.",
        "I am aware that recordings of my voice will be used to create a synthetic version of "
        "my voice. I consent to its use for internal training. My phrase is amber river cloud.",
    ],
    "cmn": [
        "本季度的报告已经准备好，请财务团队审阅。",
        "在工厂车间内请记得佩戴安全眼镜。",
        "本人知悉公司将使用我的声音录音，建立并使用我声音的合成版本。我同意用于内部培训。我的验证词语是：森林、老鹰。",
    ],
}
THRESHOLDS = (0.75, 0.80, 0.83, 0.85, 0.87, 0.90)


def percentiles(values: list[float]) -> str:
    return "".join(f"{np.percentile(values, p):>8.3f}" for p in (0, 5, 50, 95, 100))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--language", default="en", choices=sorted(TEXTS))
    args = parser.parse_args()
    espeak, encoder = Espeak(), SpeakerEncoder()

    def embed(text: str, variant: str) -> np.ndarray:
        wav = encode_wav(
            espeak.synthesise(text, EspeakVoice(args.language, variant)), Espeak.sample_rate
        )
        return encoder.embed(decode_mono(wav, SAMPLE_RATE))

    references, statements = {}, {}
    for variant in VARIANTS:
        refs = [embed(text, variant) for text in TEXTS[args.language][:2]]
        centroid = np.mean(refs, axis=0)
        references[variant] = centroid / np.linalg.norm(centroid)
        statements[variant] = embed(TEXTS[args.language][2], variant)

    same = [float(statements[v] @ references[v]) for v in VARIANTS]
    different = [
        float(statements[b] @ references[a]) for a, b in itertools.permutations(VARIANTS, 2)
    ]
    print(
        f"resemblyzer cosine, statement vs centroid of 2 references, eSpeak NG "
        f"'{args.language}', {len(VARIANTS)} voice variants"
    )
    print(f"{'pairs':<22}{'n':>6}{'min':>8}{'p5':>8}{'p50':>8}{'p95':>8}{'max':>8}")
    print(f"{'same speaker':<22}{len(same):>6}{percentiles(same)}")
    print(f"{'different speakers':<22}{len(different):>6}{percentiles(different)}")
    print()
    print(f"{'threshold':<12}{'false reject':>14}{'false accept':>14}")
    for threshold in THRESHOLDS:
        false_reject = np.mean(np.array(same) < threshold)
        false_accept = np.mean(np.array(different) >= threshold)
        print(f"{threshold:<12.2f}{false_reject:>14.1%}{false_accept:>14.1%}")
    worst = sorted(
        (
            (float(statements[b] @ references[a]), a, b)
            for a, b in itertools.permutations(VARIANTS, 2)
        ),
        reverse=True,
    )[:5]
    print("\nclosest different pairs: " + ", ".join(f"{a}/{b} {s:.3f}" for s, a, b in worst))


if __name__ == "__main__":
    main()
