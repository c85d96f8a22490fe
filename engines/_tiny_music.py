"""A small MusicGen (transformers) built from configs with seeded random weights.

Same architecture as facebook/musicgen-small — T5 text encoder, EnCodec at 32 kHz with four
codebooks at 50 Hz, a codebook-interleaving decoder — shrunk so a second of audio takes a
fraction of a second on a CPU. Its output is model-shaped noise, not music.
"""

from __future__ import annotations

import string

import torch
from transformers import (
    EncodecConfig,
    EncodecFeatureExtractor,
    MusicgenConfig,
    MusicgenDecoderConfig,
    MusicgenForConditionalGeneration,
    MusicgenProcessor,
    T5Config,
    T5Tokenizer,
)

SAMPLE_RATE = 32_000
CODEBOOK_SIZE = 64
NUM_CODEBOOKS = 4
# EnCodec picks its codebook count from the bandwidth: 4 × 50 Hz × log2(64) bits = 1.2 kbps.
BANDWIDTH_KBPS = NUM_CODEBOOKS * 50 * 6 / 1000


def _tokenizer() -> T5Tokenizer:
    # A Unigram vocabulary of single characters (and word-initial letters) is enough offline.
    pieces = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0)]
    pieces += [(c, -3.0) for c in string.ascii_letters + string.digits + string.punctuation]
    pieces += [("▁" + c, -2.5) for c in string.ascii_lowercase]
    return T5Tokenizer(vocab=pieces, extra_ids=0)


def build_tiny_musicgen(
    seed: int, device: str
) -> tuple[MusicgenForConditionalGeneration, MusicgenProcessor]:
    torch.manual_seed(seed)
    tokenizer = _tokenizer()
    text = T5Config(
        vocab_size=len(tokenizer),
        d_model=32,
        d_kv=8,
        d_ff=64,
        num_layers=2,
        num_heads=4,
        decoder_start_token_id=0,
        pad_token_id=0,
        eos_token_id=1,
    )
    audio = EncodecConfig(
        sampling_rate=SAMPLE_RATE,
        audio_channels=1,
        num_filters=4,
        codebook_size=CODEBOOK_SIZE,
        codebook_dim=16,
        hidden_size=16,
        upsampling_ratios=[8, 5, 4, 4],
        target_bandwidths=[BANDWIDTH_KBPS],
        num_lstm_layers=1,
        use_causal_conv=False,
        normalize=False,
    )
    decoder = MusicgenDecoderConfig(
        vocab_size=CODEBOOK_SIZE,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        ffn_dim=64,
        num_codebooks=NUM_CODEBOOKS,
        max_position_embeddings=4096,
        pad_token_id=CODEBOOK_SIZE,
        bos_token_id=CODEBOOK_SIZE,
    )
    config = MusicgenConfig(
        text_encoder=text.to_dict(), audio_encoder=audio.to_dict(), decoder=decoder.to_dict()
    )
    model = MusicgenForConditionalGeneration(config).eval().to(device)
    processor = MusicgenProcessor(
        feature_extractor=EncodecFeatureExtractor(feature_size=1, sampling_rate=SAMPLE_RATE),
        tokenizer=tokenizer,
    )
    return model, processor
