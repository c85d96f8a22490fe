"""All settings in one place: environment variables prefixed CONSENTGATE_, then consentgate.toml.

Build them with ``get_settings()`` (cached); tests build their own ``Settings(...)``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

MAX_CLOCK_SKEW_S = 60  # RFC 7519 leaves leeway to us; more than a minute hides broken clocks

TINY_IMAGE_MODELS = {"consentgate/tiny-sd": "tiny:0"}
STANDARD_IMAGE_MODELS = {"stabilityai/sd-turbo": "stabilityai/sd-turbo"}
TINY_VOICE_CLONE_MODELS = {"consentgate/tiny-vits": "tiny-vits:0"}
STANDARD_VOICE_CLONE_MODELS = {"coqui/XTTS-v2": "coqui/XTTS-v2"}
TINY_MUSIC_MODELS = {"consentgate/tiny-musicgen": "tiny-musicgen:0"}
STANDARD_MUSIC_MODELS = {"facebook/musicgen-small": "facebook/musicgen-small"}
TINY_VIDEO_MODELS = {"consentgate/tiny-t2v": "tiny-t2v:0"}
STANDARD_VIDEO_MODELS = {"Wan-AI/Wan2.1-T2V-1.3B-Diffusers": "Wan-AI/Wan2.1-T2V-1.3B-Diffusers"}
# Calibrated on eSpeak NG voices (docs/voice-consent.md): same voice ≥ 0.918, different
# variants 0.54–0.94. Real recordings score lower for the same person: calibrate on yours.
DEFAULT_SPEAKER_THRESHOLD = 0.85


class Profile(StrEnum):
    TINY = "tiny"  # small random-weight models built locally: runs anywhere, offline
    STANDARD = "standard"  # real models: needs their weights (hub or local paths)


class AuthMode(StrEnum):
    OIDC = "oidc"
    DEV = "dev"


class Environment(StrEnum):
    DEV = "dev"
    PRODUCTION = "production"


class LogFormat(StrEnum):
    TEXT = "text"  # for a person at a terminal (make run)
    JSON = "json"  # one object a line, for a log collector


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CONSENTGATE_", toml_file="consentgate.toml", extra="ignore"
    )

    environment: Environment = Environment.DEV
    data_dir: Path = Path("./data")
    profile: Profile = Profile.TINY
    organisation: str = "consentgate dev organisation"
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("CONSENTGATE_DATABASE_URL", "DATABASE_URL")
    )

    auth_mode: AuthMode = AuthMode.DEV
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    roles_claim: str = "roles"
    clock_skew_s: int = Field(default=30, ge=0, le=MAX_CLOCK_SKEW_S)
    jwks_cache_s: int = Field(default=600, ge=1)
    jwks_min_refetch_s: float = Field(default=30.0, ge=0)
    # The web workspace (/ui) signs in as an OIDC client of the same issuer: code + PKCE,
    # endpoints from its discovery document, redirect /ui/callback.
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = Field(default=None, repr=False)  # client_secret_basic
    oidc_scopes: str = "openid profile email"
    # A workspace session ends after this long without a request (a screen left unattended),
    # at the latest this long after sign-in (one working day), and never after its ID token.
    ui_session_idle_s: int = Field(default=1800, ge=60, le=86_400)
    ui_session_max_s: int = Field(default=43_200, ge=300, le=7 * 86_400)
    # Secure cookies even over http: for a TLS proxy whose scheme uvicorn is not told of.
    ui_secure_cookies: bool = False

    policy_dir: Path | None = None
    licences_file: Path | None = None

    c2pa_cert_file: Path | None = None
    c2pa_chain_file: Path | None = None
    c2pa_key_file: Path | None = None
    c2pa_trust_anchors_file: Path | None = None
    c2pa_thumbnails: bool = False

    audit_checkpoint_every: int = Field(default=100, ge=1)
    # Prompts kept beside audit entries are redacted once this many days old (0: kept for
    # ever); the entries, their prompt hashes and the chain stay. Checked at start and hourly.
    audit_prompt_retention_days: int = Field(default=365, ge=0, le=36500)
    audit_retention_interval_s: float = Field(default=3600.0, gt=0)

    master_key: str | None = Field(default=None, repr=False)  # base64 of 32 bytes
    master_key_file: Path | None = None
    speaker_threshold: float = Field(default=DEFAULT_SPEAKER_THRESHOLD, gt=0.0, le=1.0)
    asr_model: str | None = None  # Whisper hub id or directory; checks the spoken phrase
    # A text classifier (hub id or directory) screening clone texts after the content rules,
    # for paraphrases; none in the tiny profile (docs/content-rules.md).
    content_classifier: str | None = None
    content_classifier_threshold: float = Field(default=0.5, gt=0.0, le=1.0)

    device: str | None = None
    image_models: dict[str, str] | None = None
    image_default_model: str | None = None
    voice_clone_models: dict[str, str] | None = None
    voice_clone_default_model: str | None = None
    music_models: dict[str, str] | None = None
    music_default_model: str | None = None
    video_models: dict[str, str] | None = None
    video_default_model: str | None = None

    job_workers: int = Field(default=1, ge=1, le=16)
    # Admission control (gateway/admission.py): per engine kind, overrides of the profile's
    # ceilings, e.g. {"video": {"max_work": 1e9, "sync_max_work": 0}}.
    admission_ceilings: dict[str, dict[str, float]] = Field(default_factory=dict)
    # Generation lanes (gateway/executor.py): per kind, concurrent generations, waiting ones,
    # and the time limit of one generation.
    engine_slots: int = Field(default=1, ge=1, le=64)
    # Image requests for the same model, size, steps and guidance that arrive within the wait
    # share one pipeline run (up to the maximum); 1 turns batching off.
    image_batch_max: int = Field(default=8, ge=1, le=64)
    image_batch_wait_ms: float = Field(default=5.0, ge=0, le=1000)
    # Where engines run: in this process, or on a Ray Serve pool (gateway/engine_pool.py).
    engine_backend: Literal["inprocess", "ray"] = "inprocess"
    ray_address: str | None = None  # join this cluster; none: start a local one and deploy
    ray_num_cpus: float = Field(default=1.0, ge=0)  # per replica
    ray_num_gpus: float = Field(default=0.0, ge=0)  # per replica: 1 holds a GPU
    # Replicas per family as (min, max) for Serve's autoscaling, e.g. {"image": [1, 4]}.
    ray_replicas: dict[str, tuple[int, int]] = Field(default_factory=dict)
    ray_connect_timeout_s: float = Field(default=120.0, gt=0)
    engine_pool_key: str | None = Field(default=None, repr=False)  # base64 of 32 bytes
    engine_queue: int = Field(default=4, ge=0, le=1000)
    engine_time_limit_s: float = Field(default=600.0, gt=0, le=86_400)
    # Requests per minute (token buckets; bursts up to the same number). Per subject: what
    # one person or service may ask; per client address: bounds callers without a token too.
    rate_limit_subject_per_minute: int = Field(default=600, ge=1)
    rate_limit_client_per_minute: int = Field(default=3000, ge=1)
    # A comment line on an idle event stream, so proxies (often 30-60 s idle limits) keep it.
    sse_keepalive_s: float = Field(default=15.0, gt=0, le=300)
    hub_downloads: bool | None = None  # fetch hub weights; default: on in standard, off in tiny
    # Observability: /metrics needs no token and holds no user data; turn it off where the
    # port is reachable by more than the scraper (or restrict the path at the proxy).
    metrics_enabled: bool = True
    log_format: LogFormat = LogFormat.TEXT
    # OpenTelemetry: spans go to this OTLP/HTTP endpoint (e.g. http://collector:4318/v1/traces)
    # from the gateway and from each engine-pool replica; none: no tracing at all.
    otlp_traces_endpoint: str | None = None
    otel_service_name: str = "consentgate-gateway"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.auth_mode is AuthMode.OIDC:
            missing = [
                name
                for name in ("oidc_issuer", "oidc_audience", "oidc_jwks_url")
                if not getattr(self, name)
            ]
            if missing:
                raise ValueError(f"auth_mode=oidc needs {', '.join(missing)}")
        if self.environment is Environment.PRODUCTION:
            if self.auth_mode is AuthMode.DEV:
                raise ValueError("auth_mode=dev trusts a local key and is refused in production")
            if not (self.c2pa_cert_file and self.c2pa_key_file and self.c2pa_trust_anchors_file):
                raise ValueError("production needs the organisation's C2PA certificate and key")
            if not (self.master_key or self.master_key_file):
                raise ValueError("production needs a master key for voice data")
        return self

    @property
    def resolved_hub_downloads(self) -> bool:
        if self.hub_downloads is not None:
            return self.hub_downloads
        return self.profile is Profile.STANDARD

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'consentgate.db'}"

    @property
    def resolved_policy_dir(self) -> Path:
        from policies import DEFAULT_POLICY_DIR

        return self.policy_dir or DEFAULT_POLICY_DIR

    @property
    def resolved_licences_file(self) -> Path:
        return self.licences_file or self.resolved_policy_dir / "licences.yaml"

    @property
    def resolved_image_models(self) -> dict[str, str]:
        if self.image_models is not None:
            return self.image_models
        return TINY_IMAGE_MODELS if self.profile is Profile.TINY else STANDARD_IMAGE_MODELS

    @property
    def resolved_voice_clone_models(self) -> dict[str, str]:
        if self.voice_clone_models is not None:
            return self.voice_clone_models
        if self.profile is Profile.TINY:
            return TINY_VOICE_CLONE_MODELS
        return STANDARD_VOICE_CLONE_MODELS

    @property
    def resolved_voice_clone_default_model(self) -> str:
        return self.voice_clone_default_model or next(iter(self.resolved_voice_clone_models))

    def _by_profile(self, configured: dict[str, str] | None, tiny: dict, standard: dict) -> dict:
        if configured is not None:
            return configured
        return tiny if self.profile is Profile.TINY else standard

    @property
    def resolved_music_models(self) -> dict[str, str]:
        return self._by_profile(self.music_models, TINY_MUSIC_MODELS, STANDARD_MUSIC_MODELS)

    @property
    def resolved_music_default_model(self) -> str:
        return self.music_default_model or next(iter(self.resolved_music_models))

    @property
    def resolved_video_models(self) -> dict[str, str]:
        return self._by_profile(self.video_models, TINY_VIDEO_MODELS, STANDARD_VIDEO_MODELS)

    @property
    def resolved_video_default_model(self) -> str:
        return self.video_default_model or next(iter(self.resolved_video_models))

    @property
    def video_defaults(self) -> tuple[int, int, int, int]:
        """(width, height, frames, steps) for requests that leave them unset."""
        return (64, 64, 8, 10) if self.profile is Profile.TINY else (832, 480, 33, 30)

    @property
    def image_defaults(self) -> tuple[int, int, float]:
        """(side, steps, guidance) for requests that leave them unset: small on ``tiny`` so a
        CPU answers in well under a second; sd-turbo's own settings on ``standard``."""
        return (64, 10, 7.5) if self.profile is Profile.TINY else (512, 4, 0.0)

    @property
    def resolved_image_default_model(self) -> str:
        return self.image_default_model or next(iter(self.resolved_image_models))


@lru_cache
def get_settings() -> Settings:
    return Settings()
