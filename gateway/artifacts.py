"""Generated artifacts: signed bytes on disk under the data dir, one row each in the database.

Only the requester, or a role allowed to read others' artifacts (compliance officers,
admins), gets the bytes back; everyone else is told it does not exist.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Field, Session, SQLModel, col, select

from audit.tables import SEQ_TYPE

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
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
    audit_seq: int = Field(sa_type=SEQ_TYPE)
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
        """The artifact, or None if its row or its file is gone (a crash, see gateway.recovery:
        answered as not found, never as a 500 for a missing file)."""
        with Session(self._engine) as session:
            row = session.get(ArtifactRow, artifact_id)
        if row is None or not (self._directory / row.file_name).is_file():
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

    def missing(self, artifact_ids: Sequence[str]) -> dict[str, str]:
        """Of these ids, those whose row or file is gone, and what: ``row`` (the file was
        renamed into place but its row never committed), ``file`` (absent, or not the size the
        row says: not the signed bytes), or ``row and file`` (a ``.partial`` left by a write
        cut short is not the file). One query for all the ids."""
        if not artifact_ids:
            return {}
        with Session(self._engine) as session:
            rows = session.exec(select(ArtifactRow).where(col(ArtifactRow.id).in_(artifact_ids)))
            stored = {row.id: (row.file_name, row.size) for row in rows}
        gone: dict[str, str] = {}
        for artifact_id in artifact_ids:
            if artifact_id not in stored:
                files = self._directory.glob(f"{_plain(artifact_id)}.*")
                on_disk = any(path.suffix != ".partial" for path in files)
                gone[artifact_id] = "row" if on_disk else "row and file"
                continue
            file_name, size = stored[artifact_id]
            try:
                if (self._directory / file_name).stat().st_size != size:
                    gone[artifact_id] = "file"
            except FileNotFoundError:
                gone[artifact_id] = "file"
        return gone


def _plain(artifact_id: str) -> str:
    # Ids are ULIDs; anything else (glob characters, a path) matches no stored file.
    return artifact_id if artifact_id.isalnum() else "-"
