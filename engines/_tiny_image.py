"""A small Stable Diffusion pipeline built from configs with seeded random weights.

It runs the real diffusers code path (text encoder, UNet, VAE, scheduler) offline in well
under a second on a CPU. Its pictures are noise-like: it exists so the whole gateway can run
where no real weights are reachable (the ``tiny`` profile), never to make useful images.
"""

from __future__ import annotations

import torch
from diffusers import AutoencoderKL, DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel
from tokenizers import pre_tokenizers
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

_BOS, _EOS = "<|startoftext|>", "<|endoftext|>"
_MAX_TOKENS = 77


def byte_level_tokenizer() -> CLIPTokenizer:
    # Every byte is a token, with and without the end-of-word suffix; no merges are needed.
    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    vocab: dict[str, int] = {_BOS: 0, _EOS: 1}
    for char in alphabet:
        vocab[char] = len(vocab)
        vocab[char + "</w>"] = len(vocab)
    return CLIPTokenizer(vocab=vocab, merges=[], model_max_length=_MAX_TOKENS)


def tiny_text_encoder(tokenizer: CLIPTokenizer) -> CLIPTextModel:
    """A two-layer CLIP text encoder (32-d) for the tiny image and video pipelines."""
    return CLIPTextModel(
        CLIPTextConfig(
            vocab_size=len(tokenizer),
            hidden_size=32,
            intermediate_size=37,
            num_attention_heads=4,
            num_hidden_layers=2,
            max_position_embeddings=_MAX_TOKENS,
            bos_token_id=0,
            eos_token_id=1,
            pad_token_id=1,
        )
    ).eval()


def tiny_scheduler() -> DDIMScheduler:
    """Stable Diffusion's DDIM settings."""
    return DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )


def build_tiny_sd_pipeline(seed: int, device: str) -> StableDiffusionPipeline:
    """Build the tiny pipeline; the same ``seed`` always gives the same weights."""
    torch.manual_seed(seed)
    tokenizer = byte_level_tokenizer()
    text_encoder = tiny_text_encoder(tokenizer)
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=1,
        sample_size=8,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        norm_num_groups=8,
    )
    vae = AutoencoderKL(
        block_out_channels=(16, 32),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        latent_channels=4,
        norm_num_groups=8,
    )
    scheduler = tiny_scheduler()
    for module in (unet, vae):
        module.eval()
    pipeline = StableDiffusionPipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipeline.set_progress_bar_config(disable=True)
    return pipeline.to(device)
