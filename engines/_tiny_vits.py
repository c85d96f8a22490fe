"""A small multi-speaker Coqui VITS built from a config with seeded random weights.

It takes a 256-d speaker embedding (resemblyzer's d-vector) as its speaker input, so the
voice-clone path runs end to end offline. Its output is noise shaped by the model, not speech.
Text is fed as UTF-8 bytes (ids 1..256), which needs no phonemiser and covers every language.
"""

from __future__ import annotations

import torch
from TTS.config.shared_configs import BaseAudioConfig
from TTS.tts.configs.vits_config import VitsConfig
from TTS.tts.models.vits import Vits, VitsArgs

SAMPLE_RATE = 16_000
D_VECTOR_DIM = 256
VOCABULARY = 257  # UTF-8 bytes + padding
_HIDDEN = 32


def build_tiny_vits(seed: int, device: str) -> Vits:
    torch.manual_seed(seed)
    args = VitsArgs(
        num_chars=VOCABULARY,
        hidden_channels=_HIDDEN,
        hidden_channels_ffn_text_encoder=64,
        num_heads_text_encoder=2,
        num_layers_text_encoder=2,
        num_layers_flow=2,
        num_layers_posterior_encoder=2,
        resblock_type_decoder="2",
        resblock_kernel_sizes_decoder=[3],
        resblock_dilation_sizes_decoder=[[1, 3]],
        upsample_rates_decoder=[8, 8, 4],
        upsample_initial_channel_decoder=64,
        upsample_kernel_sizes_decoder=[16, 16, 8],
        use_d_vector_file=True,
        d_vector_dim=D_VECTOR_DIM,
        use_speaker_embedding=False,
        init_discriminator=False,
        use_sdp=False,
    )
    audio = BaseAudioConfig(sample_rate=SAMPLE_RATE, hop_length=256, win_length=1024, num_mels=80)
    model = Vits(VitsConfig(model_args=args, audio=audio, use_phonemes=False))
    # The config's character set is replaced by raw UTF-8 bytes (see the module docstring).
    model.text_encoder.emb = torch.nn.Embedding(VOCABULARY, _HIDDEN)
    torch.nn.init.normal_(model.text_encoder.emb.weight, 0.0, _HIDDEN**-0.5)
    return model.eval().to(device)


def text_ids(text: str, max_tokens: int) -> torch.Tensor:
    return torch.tensor([[byte + 1 for byte in text.encode("utf-8")[:max_tokens]]])
