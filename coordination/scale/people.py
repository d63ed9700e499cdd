"""The street's places, member units with their Party organisations, and its people."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import select

from coordination.accounts.models import User
from coordination.accounts.models import UserRole
from coordination.accounts.passwords import hash_password
from coordination.core.enums import Role
from coordination.demo import DEMO_PASSWORD
from coordination.demo import _ensure
from coordination.extensions import db
from coordination.needs.models import Category
from coordination.places.enums import PartyOrgKind
from coordination.places.enums import PlaceKind
from coordination.places.enums import UnitType
from coordination.places.models import MemberUnit
from coordination.places.models import PartyOrganisation
from coordination.places.models import Place
from coordination.places.models import ProfessionalCommittee
from coordination.places.models import Street
from coordination.scale import Loader
from coordination.scale import moment
from coordination.scale.vocab import EXTRA_PLACES
from coordination.scale.vocab import UNIT_PREFIXES
from coordination.scale.vocab import UNIT_TRADES
from coordination.scale.vocab import person_name

# Generated usernames: jm… residents, bl… office workers, ll… unit contacts, numbered together
# (the first person is jm0000001 or bl0000001, whichever the draw makes them).
FIRST_PEOPLE = ("jm0000001", "bl0000001")


@dataclass
class Actor:
    id: int
    name: str


@dataclass
class GeneratedStreet:
    places: list[tuple[int, int, str]]  # (place id, area id, name) of communities and buildings
    place_weights: list[float]
    categories: dict[int, int]  # code → id
    committees: list[int]
    units: list[tuple[int, int, str]]  # (unit id, area id, name)
    reps: dict[int, list[tuple[int, str]]]  # area id → [(unit id, rep user id)] …
    rep_weights: dict[int, list[float]]
    rep_of_unit: dict[int, Actor]
    people: list[int]  # resident and worker user ids
    people_names: list[str]
    staff: Actor
    council: list[Actor]
    community: Actor
    street: Actor
    unit_names: dict[int, str] = field(default_factory=dict)


def already_seeded() -> bool:
    return db.session.scalar(select(User.id).where(User.username.in_(FIRST_PEOPLE)).limit(1)) is not None


def _actor(username: str) -> Actor:
    user = db.session.scalar(select(User).where(User.username == username))
    return Actor(user.id, user.display_name)


def _places(rng) -> list[Place]:
    street = db.session.scalar(select(Street).order_by(Street.id))
    for area_name, (communities, buildings) in EXTRA_PLACES.items():
        area = _ensure(Place, {"name": area_name, "kind": PlaceKind.AREA, "area_id": None}, street_id=street.id)
        for name in communities:
            _ensure(Place, {"name": name, "area_id": area.id}, kind=PlaceKind.COMMUNITY, street_id=street.id)
        for name in buildings:
            _ensure(Place, {"name": name, "area_id": area.id}, kind=PlaceKind.BUILDING, street_id=street.id)
    db.session.flush()
    return db.session.scalars(select(Place).where(Place.kind != PlaceKind.AREA).order_by(Place.id)).all()


def load(loader: Loader, rng, *, needs: int, projects: int) -> GeneratedStreet:
    places = _places(rng)
    area_ids = sorted({p.area_id for p in places})
    # Member units: ~2 per project (10,000 for the full street), a contact for one in five.
    unit_types = [UnitType.COMPANY] * 6 + [UnitType.INSTITUTION, UnitType.AGENCY, UnitType.SOCIAL_ORGANISATION]
    buildings = [p for p in places if p.kind == PlaceKind.BUILDING]
    units = [(u.id, u.area_id, u.name) for u in db.session.scalars(select(MemberUnit).order_by(MemberUnit.id))]
    for index in range(max(20, projects * 2)):
        unit_id = loader.new_id(MemberUnit)
        building = rng.choice(buildings) if rng.random() < 0.7 else None
        area_id = building.area_id if building else rng.choice(area_ids)
        name = (f"{UNIT_PREFIXES[index % len(UNIT_PREFIXES)]}{rng.choice(UNIT_TRADES)}"
                f"（{index + 1:05d}）")
        created = moment(rng.random() * 0.3)
        loader.add(MemberUnit, {
            "id": unit_id, "name": name, "short_name": None, "unit_type": rng.choice(unit_types),
            "area_id": area_id, "building_id": building.id if building else None, "address": None,
            "description": None, "contact_name": person_name(index * 7 + 3),
            "contact_phone": f"021{rng.randint(50000000, 69999999)}", "active": True,
            "created_at": created, "updated_at": created})
        for org in range(1 + (rng.random() < 0.2)):
            loader.add(PartyOrganisation, {
                "id": loader.new_id(PartyOrganisation), "unit_id": unit_id,
                "name": f"{name}{'党总支' if org else '党支部'}",
                "kind": PartyOrgKind.GENERAL_BRANCH if org else PartyOrgKind.BRANCH,
                "member_count": min(400, int(rng.paretovariate(1.4) * 4)), "created_at": created,
                "updated_at": created})
        units.append((unit_id, area_id, name))

    password = hash_password(DEMO_PASSWORD)  # one hash: every generated account shares the demo password

    def user(username, display, role, place_id=None, unit_id=None) -> int:
        user_id = loader.new_id(User)
        created = moment(rng.random() * 0.8)
        loader.add(User, {
            "id": user_id, "username": username, "display_name": display, "password_hash": password,
            "real_name": display, "phone": None, "email": None, "place_id": place_id, "unit_id": unit_id,
            "locale": None, "active": True, "last_login_at": None, "created_at": created, "updated_at": created})
        loader.add(UserRole, {"id": loader.new_id(UserRole), "user_id": user_id, "role": role})
        return user_id

    reps: dict[int, list] = {area: [] for area in area_ids}
    rep_of_unit: dict[int, Actor] = {}
    for username in ("unitrep", "unitrep2"):
        rep = db.session.scalar(select(User).where(User.username == username))
        rep_of_unit[rep.unit_id] = Actor(rep.id, rep.display_name)
    for index, (unit_id, _area, name) in enumerate(units[10::5]):
        if unit_id not in rep_of_unit:
            display = f"{name[:12]}联络员 {person_name(index * 11 + 5)}"
            rep_of_unit[unit_id] = Actor(user(f"ll{index + 1:07d}", display, Role.UNIT_REP, unit_id=unit_id), display)
    for unit_id, area_id, name in units:
        if unit_id in rep_of_unit:
            reps.setdefault(area_id, []).append((unit_id, rep_of_unit[unit_id].id))
    rep_weights = {area: [rng.paretovariate(1.1) for _ in pairs] for area, pairs in reps.items()}

    # Residents and office workers: one for every five needs (20,000 for the full street).
    communities = [p for p in places if p.kind == PlaceKind.COMMUNITY]
    people, names = [], []
    for index in range(max(300, needs // 5)):
        resident = rng.random() < 0.65
        place = rng.choice(communities if resident else buildings)
        display = f"{place.name[:4]}{'居民' if resident else '白领'} {person_name(index)}"
        prefix = "jm" if resident else "bl"
        people.append(user(f"{prefix}{index + 1:07d}", display, Role.RESIDENT if resident else Role.WORKER,
                           place_id=place.id))
        names.append(display)
    loader.flush()

    committees = db.session.scalars(select(ProfessionalCommittee.id).order_by(ProfessionalCommittee.id)).all()
    council = db.session.scalars(select(User).where(User.role_links.any(role=Role.COUNCIL)).order_by(User.id)).all()
    street = GeneratedStreet(
        places=[(p.id, p.area_id, p.name) for p in places],
        place_weights=[rng.paretovariate(1.2) for _ in places],
        categories={c.code: c.id for c in db.session.scalars(select(Category))},
        committees=list(committees), units=units, reps=reps, rep_weights=rep_weights, rep_of_unit=rep_of_unit,
        people=people, people_names=names, staff=_actor("staff"),
        council=[Actor(u.id, u.display_name) for u in council], community=_actor("community"),
        street=_actor("street"), unit_names={unit_id: name for unit_id, _a, name in units})
    return street
