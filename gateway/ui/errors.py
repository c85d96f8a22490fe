"""Refusals of the web workspace's own checks: sessions, CSRF and sign-in. Each leaf has a stable
code and its status; they are recorded and answered through the gateway's one refusal path
(an ID token the IdP signed wrongly is refused with the API's own ``token_*`` codes).

UiError
 ├── SessionMissing        (session_missing)       401  no session cookie, or an unknown one
 ├── SessionExpired        (session_expired)       401  idle too long, too old, or its ID token
 ├── CsrfFailed            (csrf_failed)           403  a form without this session's token
 ├── LoginStateInvalid     (login_state_invalid)   400  unknown, used, expired or another
 │                                                      browser's sign-in state
 ├── LoginNonceInvalid     (login_nonce_invalid)   400  the ID token is not this sign-in's
 ├── LoginCodeInvalid      (login_code_invalid)    400  no code, or the IdP would not redeem it
 ├── LoginRefused          (login_refused)         403  the IdP answered the sign-in with an error
 ├── SignInUnconfigured    (sign_in_unconfigured)  503  OIDC mode without a client id
 └── IdpUnavailable        (idp_unavailable)       503  discovery or token endpoint unusable
"""

from __future__ import annotations

from gateway.errors import GatewayError


class UiError(GatewayError):
    """Raised with a reason only: each leaf carries its code and status."""

    code = "ui_refused"

    def __init__(self, reason: str) -> None:
        super().__init__(type(self).code, reason)


class SessionMissing(UiError):
    code = "session_missing"
    status = 401


class SessionExpired(UiError):
    code = "session_expired"
    status = 401


class CsrfFailed(UiError):
    code = "csrf_failed"
    status = 403


class LoginStateInvalid(UiError):
    code = "login_state_invalid"
    status = 400


class LoginNonceInvalid(UiError):
    code = "login_nonce_invalid"
    status = 400


class LoginCodeInvalid(UiError):
    code = "login_code_invalid"
    status = 400


class LoginRefused(UiError):
    code = "login_refused"
    status = 403


class SignInUnconfigured(UiError):
    code = "sign_in_unconfigured"
    status = 503


class IdpUnavailable(UiError):
    code = "idp_unavailable"
    status = 503
