"""Web pages: download my data, delete my account (both reached from /me)."""

from __future__ import annotations

import json

from flask import Blueprint
from flask import Response
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import logout_user

from coordination.accounts import throttle
from coordination.core.errors import InvalidInput
from coordination.core.permissions import permission_required
from coordination.extensions import db
from coordination.privacy import erasure
from coordination.privacy.export import personal_data
from coordination.privacy.forms import DeleteAccountForm
from coordination.privacy.permissions import can_delete_own_account
from coordination.privacy.permissions import can_download_own_data

bp = Blueprint("privacy", __name__, template_folder="templates")

DOWNLOAD_NAME = "golden-ribbon-my-data.json"


@bp.get("/me/data")
@permission_required(can_download_own_data)
def download():
    """The same document as ``GET /api/v1/me/data``, as a file."""
    body = json.dumps(personal_data(current_user), ensure_ascii=False, indent=2, sort_keys=True)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{DOWNLOAD_NAME}"'})


@bp.route("/me/delete", methods=["GET", "POST"])
@permission_required(can_delete_own_account)
def delete_account():
    form = DeleteAccountForm()
    status = 200
    if form.validate_on_submit():
        try:
            throttle.check(current_user.username)
            erasure.delete_account(current_user, form.password.data)
        except throttle.Throttled as exc:
            db.session.commit()  # keep the attempt records
            form.password.errors.append(exc.message)
            status = 429
        except InvalidInput as exc:
            db.session.rollback()
            if isinstance(exc, erasure.WrongPassword):
                g.pop("login_attempt", None)  # its row went with the rollback
                throttle.failed(current_user.username)
                db.session.commit()
            form.password.errors.append(exc.fields.get("password", exc.message))
            status = 400
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account has been deleted. Thank you for taking part."), "info")
            return redirect(url_for("portal.home"))
    else:
        status = 400 if form.is_submitted() else 200
    return render_template("privacy/delete.html", form=form), status


@bp.app_context_processor
def _privacy_helpers() -> dict:
    return {"can_delete_own_account": can_delete_own_account}
