"""A small text-to-video diffusion pipeline built from configs with seeded random weights.

Real diffusers code (CLIP text encoder, 3-D UNet, VAE per frame, DDIM), shrunk so that eight
64×64 frames take well under a second on a CPU: the VAE downsamples by 4, so the UNet works on
16×16 latents. Its frames are noise-like: it exists to run the path offline.
"""

from __future__ import annotations

import torch
from diffusers import AutoencoderKL, TextToVideoSDPipeline, UNet3DConditionModel

from engines._tiny_image import byte_level_tokenizer, tiny_scheduler, tiny_text_encoder


def build_tiny_t2v_pipeline(seed: int, device: str) -> TextToVideoSDPipeline:
    torch.manual_seed(seed)
    tokenizer = byte_level_tokenizer()
    text_encoder = tiny_text_encoder(tokenizer)
    unet = UNet3DConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=1,
        sample_size=16,
        in_channels=4,
        out_channels=4,
        down_block_types=("CrossAttnDownBlock3D", "DownBlock3D"),
        up_block_types=("UpBlock3D", "CrossAttnUpBlock3D"),
        cross_attention_dim=32,
        attention_head_dim=4,
        norm_num_groups=8,
    )
    vae = AutoencoderKL(
        block_out_channels=(16, 32, 32),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 3,
        up_block_types=("UpDecoderBlock2D",) * 3,
        latent_channels=4,
        norm_num_groups=8,
    )
    scheduler = tiny_scheduler()
    for module in (unet, vae):
        module.eval()
    pipeline = TextToVideoSDPipeline(
        vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet, scheduler=scheduler
    )
    pipeline.set_progress_bar_config(disable=True)
    return pipeline.to(device)
