"""The workspace through the app: a gateway in OIDC mode whose issuer is the test IdP (discovery,
authorize and token endpoints over real HTTP), or one in dev auth mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from engines import ModelLoader
from gateway.app import create_app
from gateway.services import Services, build_services
from gateway.settings import AuthMode, Settings
from tests.factories import AUDIENCE, IdentityProvider
from tests.integration.ui.workspace import CLIENT_ID, CLIENT_SECRET, CONFIDENTIAL_CLIENT_ID


@pytest.fixture(scope="session")
def oidc_idp_server() -> Iterator[IdentityProvider]:
    provider = IdentityProvider()
    provider.add_key("RS256", "rsa-1")
    provider.start()
    provider.serve_issuer()
    provider.add_user("ann", ["employee"], "Ann Lee")
    provider.add_user("vic", ["consentgate-voice-users"], "Vic Chen")  # an IdP group
    provider.add_user("rhea", ["compliance_officer"], "Rhea Lin")
    for base in ("http://testserver", "https://testserver"):
        provider.register_client(CLIENT_ID, f"{base}/ui/callback")
        provider.register_client(CONFIDENTIAL_CLIENT_ID, f"{base}/ui/callback", CLIENT_SECRET)
    yield provider
    provider.stop()


@pytest.fixture
def oidc_idp(oidc_idp_server: IdentityProvider) -> Iterator[IdentityProvider]:
    """The session's IdP, with this test's changes undone afterwards."""
    yield oidc_idp_server
    oidc_idp_server.auto_approve = None
    oidc_idp_server.id_token_claims = {}
    oidc_idp_server.id_token_ttl_s = 600


@pytest.fixture
def oidc_settings(tmp_path: Path, oidc_idp: IdentityProvider) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        auth_mode=AuthMode.OIDC,
        oidc_issuer=oidc_idp.issuer,
        oidc_audience=AUDIENCE,
        oidc_jwks_url=oidc_idp.jwks_url,
        oidc_client_id=CLIENT_ID,
        jwks_min_refetch_s=0,
    )


@pytest.fixture
def oidc_services(oidc_settings: Settings, model_loader: ModelLoader) -> Services:
    return build_services(oidc_settings, loader=model_loader)


@pytest.fixture
def ui(oidc_services: Services) -> Iterator[TestClient]:
    """A browser on a gateway in OIDC mode (redirects are followed by hand)."""
    with TestClient(create_app(services=oidc_services), follow_redirects=False) as client:
        yield client


@pytest.fixture
def dev_services(tmp_path: Path, model_loader: ModelLoader) -> Services:
    settings = Settings(data_dir=tmp_path / "dev-data", auth_mode=AuthMode.DEV)
    return build_services(settings, loader=model_loader)


@pytest.fixture
def dev_ui(dev_services: Services) -> Iterator[TestClient]:
    """A browser on a gateway in dev auth mode."""
    with TestClient(create_app(services=dev_services), follow_redirects=False) as client:
        yield client
