"""Sign-ins under way: state, nonce and PKCE verifier, server-side, single use, short-lived.

A sign-in starts with a random ``state``; the browser keeps it in a cookie and the table keeps
its SHA-256 with the nonce and the PKCE verifier the IdP round trip will be checked against.
It finishes once: the row is deleted by the request that finishes it (a conditional DELETE,
so two requests racing with one state cannot both win), and it must come back from the same
browser (the cookie) within ``LOGIN_TTL_S``. The dev sign-in form uses the same rows, so its
hidden ``state`` is that form's CSRF token.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import delete
from sqlmodel import Field, Session, SQLModel, col

from gateway.ui.errors import LoginStateInvalid

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

LOGIN_TTL_S = 600  # a person at the IdP's sign-in page (password, second factor) is done by then
STATE_BYTES = 32
MAX_STATE_CHARS = 64  # base64url of STATE_BYTES is 43 characters; longer is junk
# RFC 7636 §4.1: a verifier of 43-128 characters; 64 random bytes give 86.
VERIFIER_BYTES = 64


class LoginFlow(StrEnum):
    OIDC = "oidc"
    DEV = "dev"


class PendingLoginRow(SQLModel, table=True):
    __tablename__ = "ui_pending_logins"

    state_sha256: str = Field(primary_key=True)
    flow: str
    nonce: str
    code_verifier: str
    return_to: str
    expires_at: str = Field(index=True)


@dataclass(frozen=True)
class PendingLogin:
    state: str
    flow: LoginFlow
    nonce: str
    code_verifier: str
    return_to: str

    @property
    def code_challenge(self) -> str:
        """The PKCE S256 challenge: BASE64URL(SHA256(verifier)), unpadded."""
        digest = hashlib.sha256(self.code_verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _state_hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


class PendingLogins:
    def __init__(self, db: Engine) -> None:
        self._db = db

    def begin(self, flow: LoginFlow, return_to: str) -> PendingLogin:
        """A new sign-in; its ``state`` goes to the browser's cookie and the request."""
        now = dt.datetime.now(dt.UTC)
        self._forget_expired(now)
        login = PendingLogin(
            state=secrets.token_urlsafe(STATE_BYTES),
            flow=flow,
            nonce=secrets.token_urlsafe(STATE_BYTES),
            code_verifier=secrets.token_urlsafe(VERIFIER_BYTES),
            return_to=return_to,
        )
        row = PendingLoginRow(
            state_sha256=_state_hash(login.state),
            flow=str(flow),
            nonce=login.nonce,
            code_verifier=login.code_verifier,
            return_to=return_to,
            expires_at=_iso(now + dt.timedelta(seconds=LOGIN_TTL_S)),
        )
        with Session(self._db) as session:
            session.add(row)
            session.commit()
        return login

    def finish(self, state: str | None, browser_state: str | None, flow: LoginFlow) -> PendingLogin:
        """Take the sign-in ``state`` names, once; it must be the one this browser began.

        Raises:
            LoginStateInvalid: no state, not this browser's, unknown, already used, of another
                flow, or expired.
        """
        if not state or len(state) > MAX_STATE_CHARS or not browser_state:
            raise LoginStateInvalid("the sign-in's state is missing: start again")
        # Constant time: the cookie is a secret the comparison must not leak byte by byte.
        if not hmac.compare_digest(state.encode(), browser_state.encode()):
            raise LoginStateInvalid("this sign-in was not started by this browser")
        with Session(self._db) as session:
            row = session.get(PendingLoginRow, _state_hash(state))
            taken = session.exec(  # type: ignore[call-overload]
                delete(PendingLoginRow).where(
                    col(PendingLoginRow.state_sha256) == _state_hash(state)
                )
            ).rowcount
            session.commit()
        if row is None or taken != 1:
            raise LoginStateInvalid("this sign-in is unknown or was already used: start again")
        if row.flow != flow:
            raise LoginStateInvalid("this sign-in was started for another way of signing in")
        if dt.datetime.fromisoformat(row.expires_at) <= dt.datetime.now(dt.UTC):
            raise LoginStateInvalid("this sign-in took too long: start again")
        return PendingLogin(state, LoginFlow(row.flow), row.nonce, row.code_verifier, row.return_to)

    def _forget_expired(self, now: dt.datetime) -> None:
        with Session(self._db) as session:
            session.exec(  # type: ignore[call-overload]
                delete(PendingLoginRow).where(col(PendingLoginRow.expires_at) <= _iso(now))
            )
            session.commit()
