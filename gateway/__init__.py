"""The consentgate gateway: FastAPI app, settings, auth, routes and the request pipeline."""

__version__ = "0.1.0"
