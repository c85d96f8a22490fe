from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from engines import ModelLoader
from gateway.app import create_app
from gateway.services import Services, build_services
from gateway.settings import AuthMode, Settings
from tests.factories import AUDIENCE, ISSUER, IdentityProvider


@pytest.fixture(scope="session")
def idp() -> Iterator[IdentityProvider]:
    provider = IdentityProvider()
    provider.add_key("RS256", "rsa-1")
    provider.add_key("ES256", "ec-1")
    provider.add_key("EdDSA", "ed-1")
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def model_loader() -> ModelLoader:
    """One loader for the whole run, so the tiny pipeline is built once, as in a process."""
    return ModelLoader(hub_downloads=False)  # as the tiny profile: no hub here


@pytest.fixture
def settings(tmp_path: Path, idp: IdentityProvider) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        auth_mode=AuthMode.OIDC,
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
        oidc_jwks_url=idp.jwks_url,
        jwks_min_refetch_s=0,
        organisation="Acme Test Org",
        image_models={
            "consentgate/tiny-sd": "tiny:0",
            "stabilityai/sd-turbo": "stabilityai/sd-turbo",
            "acme/unlicensed-model": "tiny:1",
        },
        image_default_model="consentgate/tiny-sd",
        voice_clone_models={
            "consentgate/tiny-vits": "tiny-vits:0",
            "coqui/XTTS-v2": "coqui/XTTS-v2",
        },
        voice_clone_default_model="consentgate/tiny-vits",
        music_models={
            "consentgate/tiny-musicgen": "tiny-musicgen:0",
            "facebook/musicgen-small": "facebook/musicgen-small",
        },
        music_default_model="consentgate/tiny-musicgen",
    )


@pytest.fixture
def services(settings: Settings, model_loader: ModelLoader) -> Services:
    return build_services(settings, loader=model_loader)


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as test_client:
        yield test_client
