"""Everything a running gateway holds, built once from Settings at start-up."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audit import AuditLog, CheckpointFile, CheckpointKey
from consent import (
    ChallengeBook,
    ConsentRegistry,
    Enroller,
    MasterKey,
    PhraseVerifier,
    RecordSigner,
    SpeakerEncoder,
    VoiceVault,
)
from engines import Engine as GenerationEngine
from engines import ImageEngine, ModelLoader
from engines.music import MusicEngine
from engines.speech import SpeechEngine
from engines.video import VideoEngine
from engines.voice_clone import VoiceCloneEngine
from gateway.artifacts import ArtifactStore
from gateway.auth import HttpJwks, KeySource, StaticJwks, TokenVerifier
from gateway.content_screens import content_screens
from gateway.db import make_engine
from gateway.dev_identity import DEV_AUDIENCE, DEV_ISSUER, DevIdentity
from gateway.engine_pool import EnginePool, pool_key, pooled
from gateway.inputs import InputStore
from gateway.metrics import observe_entries
from gateway.settings import AuthMode, Settings
from policies import (
    AccessPolicy,
    ContentRules,
    ContentScreen,
    LicenceRules,
    RoleMapper,
    StatementBook,
)
from policies.language import LanguageCheck
from watermark import ManifestSigner, ensure_dev_credentials, load_credentials

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

_log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    db: Engine
    verifier: TokenVerifier
    roles: RoleMapper
    access: AccessPolicy
    licences: LicenceRules
    signer: ManifestSigner
    audit: AuditLog
    artifacts: ArtifactStore
    # The in-process engines, or their stand-ins on the Ray Serve pool (gateway/engine_pool.py).
    image_engine: GenerationEngine
    speech_engine: GenerationEngine
    voice_clone_engine: GenerationEngine
    music_engine: GenerationEngine
    video_engine: GenerationEngine
    inputs: InputStore
    statements: StatementBook
    content_rules: ContentRules
    content_screens: tuple[ContentScreen, ...]  # after the rules: a classifier, if configured
    languages: LanguageCheck
    challenges: ChallengeBook
    enroller: Enroller
    consents: ConsentRegistry
    record_signer: RecordSigner
    dev_identity: DevIdentity | None
    engine_pool: EnginePool | None = None  # set with CONSENTGATE_ENGINE_BACKEND=ray


def _verifier(settings: Settings, roles: RoleMapper) -> tuple[TokenVerifier, DevIdentity | None]:
    dev_identity = None
    keys: KeySource
    if settings.auth_mode is AuthMode.DEV:
        dev_identity = DevIdentity.load_or_create(settings.data_dir)
        keys = StaticJwks(dev_identity.jwks())
        issuer, audience = DEV_ISSUER, DEV_AUDIENCE
    else:
        assert settings.oidc_jwks_url and settings.oidc_issuer and settings.oidc_audience
        keys = HttpJwks(settings.oidc_jwks_url, settings.jwks_cache_s, settings.jwks_min_refetch_s)
        issuer, audience = settings.oidc_issuer, settings.oidc_audience
    verifier = TokenVerifier(
        keys=keys,
        issuer=issuer,
        audience=audience,
        roles_claim=settings.roles_claim,
        leeway_s=settings.clock_skew_s,
        map_roles=roles.map,
    )
    return verifier, dev_identity


def _signer(settings: Settings) -> ManifestSigner:
    if settings.c2pa_cert_file and settings.c2pa_key_file and settings.c2pa_trust_anchors_file:
        credentials = load_credentials(
            settings.c2pa_cert_file,
            settings.c2pa_key_file,
            settings.c2pa_trust_anchors_file,
            settings.c2pa_chain_file,
        )
    else:
        credentials = ensure_dev_credentials(settings.data_dir / "c2pa", settings.organisation)
    return ManifestSigner(credentials, thumbnails=settings.c2pa_thumbnails)


def _master_key(settings: Settings) -> MasterKey:
    if settings.master_key:
        return MasterKey.from_base64(settings.master_key)
    return MasterKey.load_or_create(
        settings.master_key_file or settings.data_dir / "keys/master.key"
    )


def phrase_verifier(
    settings: Settings, loader: ModelLoader, statements: StatementBook
) -> PhraseVerifier:
    """Whisper when a model is configured (the standard profile's recogniser, every language
    it knows); otherwise pocketsphinx, offline, English only: enrolments in other languages
    wait for a compliance review."""
    if settings.asr_model:
        from engines.transcription import WhisperPhraseVerifier

        return WhisperPhraseVerifier(settings.asr_model, loader)
    from engines.phrase_sphinx import SphinxPhraseVerifier

    return SphinxPhraseVerifier(statements.phrase_words)


def build_services(settings: Settings, loader: ModelLoader | None = None) -> Services:
    """Create the data dir, database, keys and rules; engines load their models lazily.

    ``loader`` lets several gateways in one process (tests) share loaded models.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # prompts, keys, audio
    db = make_engine(settings.resolved_database_url)
    policy_dir = settings.resolved_policy_dir
    roles = RoleMapper(policy_dir / "roles.yaml")
    verifier, dev_identity = _verifier(settings, roles)
    audit_dir = settings.data_dir / "audit"
    audit = AuditLog(
        db,
        CheckpointKey.load_or_create(audit_dir / "checkpoint-key.pem"),
        CheckpointFile(audit_dir / "checkpoints.jsonl"),
        checkpoint_every=settings.audit_checkpoint_every,
        on_append=observe_entries,  # every entry is a decision: counted for /metrics
    )
    loader = loader or ModelLoader(
        device=settings.device, hub_downloads=settings.resolved_hub_downloads
    )
    pool = None
    if settings.engine_backend == "ray":
        pool = EnginePool(settings, pool_key(settings))
        pool.start()  # connects in the background; refusals answer at once until it has
    vault = VoiceVault(_master_key(settings), settings.data_dir / "voices")
    record_signer = RecordSigner.load_or_create(settings.data_dir / "keys/consent-record-key.pem")
    statements = StatementBook(policy_dir / "consent_statements.yaml")
    return Services(
        settings=settings,
        db=db,
        verifier=verifier,
        roles=roles,
        access=AccessPolicy(policy_dir / "model.conf", policy_dir / "policy.csv"),
        licences=LicenceRules(settings.resolved_licences_file),
        signer=_signer(settings),
        audit=audit,
        artifacts=ArtifactStore(db, settings.data_dir / "artifacts"),
        image_engine=pooled(
            ImageEngine(
                settings.resolved_image_models,
                loader,
                batch_max=settings.image_batch_max,
                batch_wait_s=settings.image_batch_wait_ms / 1000,
            ),
            pool,
        ),
        speech_engine=pooled(SpeechEngine(), pool),
        voice_clone_engine=pooled(
            VoiceCloneEngine(settings.resolved_voice_clone_models, loader), pool
        ),
        music_engine=pooled(MusicEngine(settings.resolved_music_models, loader), pool),
        video_engine=pooled(VideoEngine(settings.resolved_video_models, loader), pool),
        inputs=InputStore(db, settings.data_dir / "inputs"),
        statements=statements,
        content_rules=ContentRules(policy_dir / "content_rules.yaml"),
        content_screens=content_screens(settings, loader),
        languages=LanguageCheck(),
        challenges=ChallengeBook(db),
        enroller=Enroller(
            db,
            vault,
            SpeakerEncoder(loader.device),
            record_signer,
            settings.speaker_threshold,
            settings.organisation,
            phrase_verifier(settings, loader, statements),
        ),
        consents=ConsentRegistry(db, vault),
        record_signer=record_signer,
        dev_identity=dev_identity,
        engine_pool=pool,
    )
