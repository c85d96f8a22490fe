"""Generated artifacts: signed bytes on disk under the data dir, one row each in the database.

Only the requester, or a role allowed to read others' artifacts (compliance officers,
admins), gets the bytes back; everyone else is told it does not exist.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Field, Session, SQLModel

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "audio/wav": "wav",
    "audio/mpeg": "mp3",
    "audio/flac": "flac",
    "video/mp4": "mp4",
}


class ArtifactRow(SQLModel, table=True):
    __tablename__ = "artifacts"

    id: str = Field(primary_key=True)
    owner: str = Field(index=True)
    mime_type: str
    sha256: str
    size: int
    file_name: str
    audit_seq: int
    manifest_label: str
    created_at: str


@dataclass(frozen=True)
class StoredArtifact:
    id: str
    owner: str
    mime_type: str
    sha256: str
    audit_seq: int
    manifest_label: str
    path: Path


class ArtifactStore:
    def __init__(self, engine: Engine, directory: Path) -> None:
        self._engine = engine
        self._directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def save(self, row: ArtifactRow, data: bytes) -> None:
        """Write the bytes (atomically, by rename) and then the row."""
        row.file_name = f"{row.id}.{_EXTENSIONS.get(row.mime_type, 'bin')}"
        final = self._directory / row.file_name
        partial = final.with_suffix(final.suffix + ".partial")
        partial.write_bytes(data)
        os.replace(partial, final)
        with Session(self._engine) as session:
            session.add(row)
            session.commit()

    def get(self, artifact_id: str) -> StoredArtifact | None:
        with Session(self._engine) as session:
            row = session.get(ArtifactRow, artifact_id)
        if row is None:
            return None
        return StoredArtifact(
            id=row.id,
            owner=row.owner,
            mime_type=row.mime_type,
            sha256=row.sha256,
            audit_seq=row.audit_seq,
            manifest_label=row.manifest_label,
            path=self._directory / row.file_name,
        )
