"""Photos of needs: checked to be real images, re-encoded (dropping EXIF data such as the
location), stored under the instance folder with random names, served only by the app."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import abort
from flask import current_app
from flask import send_file
from flask_babel import gettext as _
from PIL import Image
from PIL import ImageOps
from PIL import UnidentifiedImageError
from sqlalchemy import event
from sqlalchemy.orm import Session

from coordination.core.errors import InvalidInput
from coordination.extensions import db

ALLOWED = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560


def upload_folder() -> Path:
    folder = Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_photo(data: bytes, field: str = "photos") -> dict:
    """Check and store one photo; returns the NeedPhoto column values. Raises InvalidInput."""
    if len(data) > current_app.config["PHOTO_MAX_BYTES"]:
        raise InvalidInput(_("Please correct the marked fields."), fields={
            field: _("A photo may be at most %(n)d MB.", n=current_app.config["PHOTO_MAX_BYTES"] // 2**20)})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in ALLOWED or probe.width * probe.height > MAX_PIXELS:
                raise UnidentifiedImageError
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            if kind == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=kind, **({"quality": 85} if kind in ("JPEG", "WEBP") else {}))
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(_("Please correct the marked fields."), fields={
            field: _("Only JPEG, PNG or WebP photos can be uploaded.")}) from None
    content_type, extension = ALLOWED[kind]
    name = f"{secrets.token_hex(16)}.{extension}"
    path = upload_folder() / name
    path.write_bytes(out.getvalue())
    db.session.info.setdefault("written_files", []).append(path)
    return {"stored_name": name, "content_type": content_type, "size": len(out.getvalue()),
            "width": width, "height": height}


def photo_path(stored_name: str) -> Path:
    return upload_folder() / stored_name


def photo_response(item):
    """The stored photo ``item`` (a ``StoredPhotoMixin`` row the reader may see), shown inline; 404
    when its file is gone."""
    path = photo_path(item.stored_name)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=item.content_type, max_age=3600)
    response.headers["Content-Disposition"] = "inline"
    return response


@event.listens_for(Session, "after_commit")
def _keep_files(session) -> None:
    session.info.pop("written_files", None)


@event.listens_for(Session, "after_soft_rollback")
def _remove_files(session, previous_transaction) -> None:
    """A change that rolls back leaves no photo behind."""
    if previous_transaction.parent is not None:
        return  # a savepoint: the outer transaction may still commit
    for path in session.info.pop("written_files", []):
        Path(path).unlink(missing_ok=True)
