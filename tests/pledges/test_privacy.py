"""A person's pledges, follows and ratings in their data document, and what deleting the account
leaves of them: the pledges and ratings stay anonymous, their words and photos go."""

from __future__ import annotations

import io

from sqlalchemy import select

from coordination.pledges.models import Pledge
from coordination.pledges.models import PledgeFollower
from coordination.pledges.models import PledgePhoto
from coordination.pledges.models import PledgeRating
from coordination.privacy.erasure import ERASED_TEXT
from tests.conftest import STRONG_PASSWORD
from tests.conftest import csrf_token
from tests.conftest import login
from tests.factories import png
from tests.pledges.conftest import follow
from tests.pledges.conftest import keep
from tests.pledges.conftest import make
from tests.pledges.conftest import neighbour

WORDS = "柯琪莲每周三在12号楼502室修电器"
COMMENT = "柯琪莲的评价：修得很好"


def test_the_document_holds_the_persons_pledges_follows_and_ratings(client, db, api_token, pledge):
    keep(db, pledge)
    client.post(f"/api/v1/pledges/{pledge.id}/ratings", json={"score": 5, "comment": COMMENT},
                headers=api_token("worker"))
    mine = client.get("/api/v1/me/data", headers=api_token("resident")).json
    [made] = mine["pledges"]
    assert (made["id"], made["title"], made["status"], made["photos"]) == (pledge.id, pledge.title, "kept", 0)
    theirs = client.get("/api/v1/me/data", headers=api_token("worker")).json
    assert [f["pledge_id"] for f in theirs["pledge_follows"]] == [pledge.id]
    [rating] = theirs["pledge_ratings"]
    assert (rating["pledge_id"], rating["score"], rating["comment"], rating["title"]) == (pledge.id, 5, COMMENT, pledge.title)
    assert "rater_id" not in rating and theirs["pledges"] == []


def test_deleting_the_account_erases_the_words_and_keeps_the_figures(client, db, api_token):
    pledger = neighbour(db, "pledger.k")
    rater = neighbour(db, "rater.k", "worker")
    from tests.pledges.conftest import volunteer

    volunteer(db, "pledger.k")
    pledge = make(db, "pledger.k", content=WORDS)
    web = client.application.test_client()
    assert login(web, "pledger.k", STRONG_PASSWORD).status_code == 302
    kept = web.post(f"/pledges/{pledge.id}/keep", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(web, f"/pledges/{pledge.id}"), "note": WORDS, "photos": [(io.BytesIO(png()), "a.png")]})
    assert kept.status_code == 302
    other = make(db, "resident", title="为楼宇白领开设沪语课堂")
    follow(db, pledge, "rater.k")
    follow(db, other, "rater.k", "pledger.k")
    keep(db, other)
    headers = {"Authorization": "Bearer " + client.post("/api/v1/auth/token", json={
        "username": "rater.k", "password": STRONG_PASSWORD}).json["token"]}
    assert client.post(f"/api/v1/pledges/{other.id}/ratings", json={"score": 4, "comment": COMMENT},
                       headers=headers).status_code == 201

    for person in (pledger, rater):
        token = client.post("/api/v1/auth/token", json={"username": person.username, "password": STRONG_PASSWORD})
        response = client.delete("/api/v1/me", json={"password": STRONG_PASSWORD},
                                 headers={"Authorization": "Bearer " + token.json["token"]})
        assert response.status_code == 204
    db.session.expire_all()
    gone = db.session.get(Pledge, pledge.id)
    assert (gone.title, gone.content, gone.fulfilment_note, gone.status.value) == (
        "每月为独居老人上门测血压一次", ERASED_TEXT, ERASED_TEXT, "kept")
    assert db.session.scalars(select(PledgePhoto).where(PledgePhoto.pledge_id == pledge.id)).all() == []
    rating = db.session.scalar(select(PledgeRating).where(PledgeRating.pledge_id == other.id))
    assert (rating.score, rating.comment, rating.rater_id) == (4, ERASED_TEXT, rater.id)
    kept_other = db.session.get(Pledge, other.id)
    assert (kept_other.rating_count, kept_other.rating_sum) == (1, 4)
    assert db.session.scalars(select(PledgeFollower).where(PledgeFollower.user_id.in_([pledger.id, rater.id]))).all() == []
    for url in (f"/pledges/{pledge.id}", f"/pledges/{other.id}", "/pledges", f"/api/v1/pledges/{pledge.id}"):
        body = client.get(url).get_data(as_text=True)
        assert WORDS not in body and COMMENT not in body and "柯琪莲" not in body, url
    assert "已注销用户" in client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
