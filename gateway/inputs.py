"""Uploaded inputs (a melody, an audio prompt): stored once, referred to by id, each with the
licence its uploader declared. Only the uploader may use an input."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Field, Session, SQLModel

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

MAX_INPUT_BYTES = 10 * 1024 * 1024  # a 30 s stereo WAV at 48 kHz is about 6 MB


class InputRow(SQLModel, table=True):
    __tablename__ = "inputs"

    id: str = Field(primary_key=True)
    owner: str = Field(index=True)
    sha256: str = Field(index=True)
    mime_type: str
    size: int
    licence: str | None
    licence_id: str | None
    file_name: str
    created_at: str


@dataclass(frozen=True)
class StoredInput:
    id: str
    owner: str
    sha256: str
    mime_type: str
    licence: str | None
    licence_id: str | None
    path: Path

    def read(self) -> bytes:
        return self.path.read_bytes()

    def audit_view(self) -> dict[str, str | None]:
        """What the audit entry and the manifest record of an input."""
        return {
            "input_id": self.id,
            "sha256": self.sha256,
            "licence": self.licence,
            "licence_id": self.licence_id,
        }


class InputStore:
    def __init__(self, engine: Engine, directory: Path) -> None:
        self._engine = engine
        self._directory = directory

    def save(self, row: InputRow, data: bytes) -> None:
        self._directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        row.file_name = f"{row.id}.bin"
        fd = os.open(self._directory / row.file_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        with Session(self._engine, expire_on_commit=False) as session:
            session.add(row)
            session.commit()

    def get(self, input_id: str, owner: str) -> StoredInput | None:
        """The input if it exists and belongs to ``owner``; None otherwise (indistinguishable)."""
        with Session(self._engine) as session:
            row = session.get(InputRow, input_id)
        if row is None or row.owner != owner:
            return None
        return StoredInput(
            id=row.id,
            owner=row.owner,
            sha256=row.sha256,
            mime_type=row.mime_type,
            licence=row.licence,
            licence_id=row.licence_id,
            path=self._directory / row.file_name,
        )
