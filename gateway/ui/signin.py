"""Signing in to the workspace and out of it, audited like every other decision.

Sign-in through the IdP (OIDC code + PKCE) in ``oidc`` auth mode; in ``dev`` mode a form that
mints a dev token with the gateway's dev key and verifies it like any API token. Either way
the session carries the Principal the gateway's verifier built, so its roles are exactly an
API token's. Each sign-in, refused or not, and each sign-out is an audit entry (``sign_in``,
``sign_out``); refusals go through the one refusal path.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from gateway.audit_writer import AuditWriter
from gateway.auth import TokenVerifier
from gateway.context import RequestContext
from gateway.dev_identity import DevIdentity
from gateway.refusals import RefusalPath
from gateway.ui.errors import LoginCodeInvalid, LoginRefused, SignInUnconfigured
from gateway.ui.logins import LoginFlow, PendingLogin, PendingLogins
from gateway.ui.oidc import MAX_IDP_ERROR_CHARS, OidcClient, SignedIn
from gateway.ui.sessions import SessionStore, UiSession

if TYPE_CHECKING:
    from collections.abc import Sequence

MAX_CODE_CHARS = 2048  # codes are opaque but short; a longer one is not sent to the IdP


class SignIn:
    def __init__(
        self,
        sessions: SessionStore,
        logins: PendingLogins,
        writer: AuditWriter,
        refusals: RefusalPath,
        oidc: OidcClient | None,
        dev: tuple[DevIdentity, TokenVerifier] | None,
        session_max_s: int,
    ) -> None:
        self._sessions = sessions
        self._logins = logins
        self._writer = writer
        self._refusals = refusals
        self._oidc = oidc
        self._dev = dev
        self._max_s = session_max_s

    @property
    def offers_oidc(self) -> bool:
        return self._oidc is not None

    @property
    def offers_dev(self) -> bool:
        return self._dev is not None

    def begin_dev(self, return_to: str) -> PendingLogin:
        """A sign-in for the dev form (its state is the form's CSRF token)."""
        return self._logins.begin(LoginFlow.DEV, return_to)

    def begin_oidc(self, ctx: RequestContext, return_to: str, redirect_uri: str) -> tuple[str, str]:
        """The IdP's authorization URL for a new sign-in, and its state (for the cookie).

        Raises (recorded as ``sign_in`` refusals):
            SignInUnconfigured: no OIDC client id is configured.
            IdpUnavailable: the IdP's discovery document is not usable.
        """
        with self._refusals.guard(ctx, "sign_in", details={"method": "oidc"}):
            if self._oidc is None:
                raise SignInUnconfigured("sign-in needs CONSENTGATE_OIDC_CLIENT_ID")
            self._oidc.endpoints()  # before a row is written: an IdP that is down leaves none
            login = self._logins.begin(LoginFlow.OIDC, return_to)
            return self._oidc.authorization_url(login, redirect_uri), login.state

    def finish_oidc(
        self,
        ctx: RequestContext,
        answer: dict[str, str | None],
        browser_state: str | None,
        redirect_uri: str,
    ) -> tuple[str, UiSession, str]:
        """Check the IdP's answer (``state``, ``code`` or ``error``) and open a session: its
        cookie value, the session, and where the browser goes next.

        Raises (recorded as ``sign_in`` refusals): LoginStateInvalid, LoginRefused,
            LoginCodeInvalid, LoginNonceInvalid, IdpUnavailable, AuthError (the ID token).
        """
        with self._refusals.guard(ctx, "sign_in", details={"method": "oidc"}):
            if self._oidc is None:
                raise SignInUnconfigured("sign-in needs CONSENTGATE_OIDC_CLIENT_ID")
            login = self._logins.finish(answer.get("state"), browser_state, LoginFlow.OIDC)
            if answer.get("error"):
                error = str(answer["error"])[:MAX_IDP_ERROR_CHARS]
                raise LoginRefused(f"the identity provider did not sign you in ({error})")
            code = answer.get("code")
            if not code or len(code) > MAX_CODE_CHARS:
                raise LoginCodeInvalid("the identity provider's answer holds no usable code")
            signed_in = self._oidc.redeem(code, login, redirect_uri)
        return (*self._open(ctx, signed_in, "oidc"), login.return_to)

    def finish_dev(
        self,
        ctx: RequestContext,
        state: str | None,
        browser_state: str | None,
        subject: str,
        roles: Sequence[str],
    ) -> tuple[str, UiSession, str]:
        """Sign in as ``subject`` with ``roles`` (dev auth mode only): a dev token is minted
        and verified as an API token would be, so the roles are mapped the same way.

        Raises (recorded as ``sign_in`` refusals): SignInUnconfigured (not dev mode),
            LoginStateInvalid, AuthError (a subject the verifier refuses).
        """
        with self._refusals.guard(ctx, "sign_in", details={"method": "dev"}):
            if self._dev is None:
                raise SignInUnconfigured("the dev sign-in exists in dev auth mode only")
            login = self._logins.finish(state, browser_state, LoginFlow.DEV)
            identity, verifier = self._dev
            token = identity.mint(subject, list(roles), ttl_s=self._max_s, name=subject)
            principal = verifier.verify(token)
            expires_at = dt.datetime.fromtimestamp(principal.claims["exp"], dt.UTC)
        return (*self._open(ctx, SignedIn(principal, expires_at), "dev"), login.return_to)

    def _open(self, ctx: RequestContext, signed_in: SignedIn, method: str) -> tuple[str, UiSession]:
        ctx.principal = signed_in.principal
        session_id, session = self._sessions.open(signed_in.principal, signed_in.expires_at)
        details = {
            "method": method,
            "session": session.id_sha256[:16],  # ties sign-in and sign-out, names no secret
            "session_expires_at": session.expires_at.isoformat(timespec="seconds"),
        }
        self._writer.allow(ctx, "sign_in", "signed in to the workspace", details)
        return session_id, session

    def sign_out(self, ctx: RequestContext, session_id: str, session: UiSession) -> None:
        """End the session now (recorded as ``sign_out``)."""
        self._sessions.close(session_id)
        details = {"session": session.id_sha256[:16]}
        self._writer.allow(ctx, "sign_out", "signed out of the workspace", details)
