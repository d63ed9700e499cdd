"""Administrators manage places, units, the association, categories and indicators."""

from sqlalchemy import func
from sqlalchemy import select

from coordination.core.models import AuditRecord
from coordination.places.models import MemberUnit
from coordination.places.models import Place
from tests.conftest import csrf_token


def post_form(client, url, **data):
    data["csrf_token"] = csrf_token(client, url)
    return client.post(url, data=data)


def test_admin_adds_a_community_that_then_appears_for_registration(client_as, client, db):
    admin = client_as("admin")
    area_id = db.session.scalar(select(Place.id).where(Place.kind == "area"))
    response = post_form(admin, "/admin/places/new", kind="community", name="崂山居民区",
                         street_id="1", area_id=str(area_id), address="崂山路100号", active="y")
    assert response.status_code == 302
    place = db.session.scalar(select(Place).where(Place.name == "崂山居民区"))
    assert place.area_id == area_id
    assert any(item["name"] == "崂山居民区" for item in client.get("/api/v1/places").json["items"])
    assert "崂山居民区" in client.get("/register").get_data(as_text=True)
    entry = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "places.create",
                                                        AuditRecord.object_id == place.id))
    assert entry.details["name"] == "崂山居民区"


def test_a_community_needs_an_area(client_as, db):
    admin = client_as("admin")
    before = db.session.scalar(select(func.count()).select_from(Place))
    response = post_form(admin, "/admin/places/new", kind="community", name="无片区居民区",
                         street_id="1", area_id="0")
    assert response.status_code == 400
    assert 'id="area_id-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Place)) == before


def test_unit_names_are_unique(client_as, db):
    admin = client_as("admin")
    area_id = db.session.scalar(select(Place.id).where(Place.kind == "area"))
    response = post_form(admin, "/admin/units/new", name="东昌律师事务所", unit_type="company",
                         area_id=str(area_id), building_id="0")
    assert response.status_code == 400
    assert 'id="name-error"' in response.get_data(as_text=True)


def test_editing_a_unit_is_audited_without_personal_data(client_as, db):
    admin = client_as("admin")
    unit = db.session.scalar(select(MemberUnit).order_by(MemberUnit.id))
    url = f"/admin/units/{unit.id}/edit"
    response = post_form(admin, url, name=unit.name, unit_type="company", area_id=str(unit.area_id),
                         building_id=str(unit.building_id or 0), contact_name="新联络人",
                         contact_phone="13912345678", active="y")
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "units.update",
                                                        AuditRecord.object_id == unit.id))
    assert entry.details["contact_phone"][1] == "***"
    assert "13912345678" not in str(entry.details)


def test_admin_grants_roles_and_a_unit(client_as, db):
    from coordination.accounts.models import User
    from coordination.core.enums import Role

    admin = client_as("admin")
    unit_id = db.session.scalar(select(MemberUnit.id).order_by(MemberUnit.id.desc()))
    response = post_form(admin, "/admin/users/new", username="newrep", display_name="新联络员",
                         password="Jinse-Niudai-7", roles=["unit_rep", "staff"], unit_id=str(unit_id),
                         place_id="0", active="y")
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "newrep"))
    assert user.roles == {Role.UNIT_REP, Role.STAFF} and user.unit_id == unit_id


def test_a_unit_rep_must_have_a_unit(client_as, db):
    admin = client_as("admin")
    response = post_form(admin, "/admin/users/new", username="norep", display_name="无单位",
                         password="Jinse-Niudai-7", roles=["unit_rep"], unit_id="0", place_id="0")
    assert response.status_code == 400
    assert 'id="unit_id-error"' in response.get_data(as_text=True)


def test_an_admin_cannot_remove_their_own_admin_role(client_as, db):
    from coordination.accounts.models import User

    admin = client_as("admin")
    me = db.session.scalar(select(User).where(User.username == "admin"))
    response = post_form(admin, f"/admin/users/{me.id}/edit", display_name="管理员",
                         roles=["staff"], unit_id="0", place_id="0", active="y")
    assert response.status_code == 400
    db.session.expire_all()
    assert "admin" in {r.value for r in db.session.get(User, me.id).roles}


def test_phone_numbers_are_masked_on_public_pages(client, client_as, db):
    unit = db.session.scalar(select(MemberUnit).order_by(MemberUnit.id))
    public = client.get(f"/units/{unit.id}").get_data(as_text=True)
    assert unit.contact_phone not in public and unit.contact_phone[-4:] in public
    staff = client_as("staff").get(f"/units/{unit.id}").get_data(as_text=True)
    assert unit.contact_phone in staff


def test_indicator_weights_are_summed_per_dimension(client_as):
    html = client_as("admin").get("/admin/indicators/").get_data(as_text=True)
    assert "100.00%" in html


def test_an_area_sits_under_no_other_area(client_as, db):
    admin = client_as("admin")
    area_id = db.session.scalar(select(Place.id).where(Place.kind == "area"))
    before = db.session.scalar(select(func.count()).select_from(Place))
    response = post_form(admin, "/admin/places/new", kind="area", name="子片区", street_id="1",
                         area_id=str(area_id))
    assert response.status_code == 400
    assert 'id="area_id-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Place)) == before


def test_a_president_term_cannot_end_before_it_starts(client_as, db):
    from coordination.places.models import Association
    from coordination.places.models import PresidentTerm

    admin = client_as("admin")
    association = db.session.scalar(select(Association).order_by(Association.id))
    unit_id = db.session.scalar(select(MemberUnit.id).where(MemberUnit.area_id == association.area_id))
    before = db.session.scalar(select(func.count()).select_from(PresidentTerm))
    response = post_form(admin, "/admin/president-terms/new", association_id=str(association.id),
                         unit_id=str(unit_id), president_name="王理事长", starts_on="2026-03-01",
                         ends_on="2026-02-01")
    assert response.status_code == 400
    assert 'id="ends_on-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PresidentTerm)) == before


def test_a_place_name_is_used_once_in_its_area(client_as, db):
    admin = client_as("admin")
    taken = db.session.scalar(select(Place).where(Place.kind == "community"))
    before = db.session.scalar(select(func.count()).select_from(Place))
    response = post_form(admin, "/admin/places/new", kind="community", name=taken.name,
                         street_id="1", area_id=str(taken.area_id))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page
    assert "这个名称在所选片区已经使用" in page
    assert db.session.scalar(select(func.count()).select_from(Place)) == before


def test_a_committee_name_is_used_once_in_its_association(client_as, db):
    from coordination.places.models import ProfessionalCommittee

    admin = client_as("admin")
    taken = db.session.scalar(select(ProfessionalCommittee))
    response = post_form(admin, "/admin/committees/new", association_id=str(taken.association_id),
                         name=taken.name, convener_unit_id="0")
    assert response.status_code == 400
    assert 'id="name-error"' in response.get_data(as_text=True)


def test_a_person_sits_once_on_a_council(client_as, db):
    from coordination.places.models import CouncilMember

    admin = client_as("admin")
    seat = db.session.scalar(select(CouncilMember))
    response = post_form(admin, "/admin/council/new", association_id=str(seat.association_id),
                         user_id=str(seat.user_id), unit_id="0", position="member")
    assert response.status_code == 400
    assert 'id="user_id-error"' in response.get_data(as_text=True)


def test_an_indicator_name_is_used_once_in_its_dimension(client_as, db):
    from coordination.evaluation.models import Indicator

    admin = client_as("admin")
    taken = db.session.scalar(select(Indicator))
    response = post_form(admin, "/admin/indicators/new", dimension=taken.dimension.value,
                         name=taken.name, name_en="Another name", weight="5", position="9", active="y")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page
    assert "该维度下已有同名的指标" in page
    assert 'id="name_en-error"' not in page
