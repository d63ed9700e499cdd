"""The people of the full demo street beside the one account per role: the Dongchang area's
council, committees, units and accounts, contacts for the other units, and the residents and
office workers who submit needs, support them, answer surveys and vote in the selection.

Everything is created through the same helpers as the rest of the demo and is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date

from sqlalchemy import select

from coordination.accounts import operations as accounts
from coordination.accounts.models import User
from coordination.core.enums import Role
from coordination.extensions import db
from coordination.places.enums import CouncilPosition
from coordination.places.enums import PartyOrgKind
from coordination.places.enums import PlaceKind
from coordination.places.enums import UnitType
from coordination.places.models import Association
from coordination.places.models import CouncilMember
from coordination.places.models import MemberUnit
from coordination.places.models import PartyOrganisation
from coordination.places.models import Place
from coordination.places.models import PresidentTerm
from coordination.places.models import ProfessionalCommittee
from coordination.scale.vocab import person_name

DONGCHANG = "东昌片区"
JIANGONG = "建工片区"

# area → (communities, buildings) added to the demo street's places
EXTRA_PLACES = {DONGCHANG: (["东园居民区"], ["船舶大厦"])}

EXTRA_UNITS = [
    ("上海船舶研究设计院", UnitType.INSTITUTION, DONGCHANG, "船舶大厦",
     [("船舶研究设计院党委", PartyOrgKind.COMMITTEE, 176), ("船舶大厦楼宇联合党总支", PartyOrgKind.GENERAL_BRANCH, 58)]),
    ("东昌社会工作服务社", UnitType.SOCIAL_ORGANISATION, DONGCHANG, None,
     [("东昌社会工作服务社党支部", PartyOrgKind.BRANCH, 9)]),
]

DONGCHANG_COMMITTEES = [
    ("为老服务专业委员会", "老年助餐、独居老人探访、社区大管家"),
    ("楼宇党建专业委员会", "白领课堂、午间公益一小时、三进楼宇"),
    ("法律与金融服务专业委员会", "法律咨询进楼宇、防诈骗宣传、金融知识进社区"),
    ("社区更新专业委员会", "加装电梯、楼道照明、楼组微更新"),
]

# username, display name, role, unit name, place name, council position (council members)
ACCOUNTS = [
    ("council6", "东昌理事长 钱丽华", Role.COUNCIL, "上海银行陆家嘴支行", None, CouncilPosition.CHAIR),
    ("council7", "东昌理事 冯志明", Role.COUNCIL, "东昌律师事务所", None, CouncilPosition.VICE_CHAIR),
    ("council8", "东昌理事 蒋慧", Role.COUNCIL, "陆家嘴街道社区学校", None, CouncilPosition.MEMBER),
    ("council9", "东昌理事 韩宇", Role.COUNCIL, "上海船舶研究设计院", None, CouncilPosition.MEMBER),
    ("community2", "东昌社区党委 顾书记", Role.COMMUNITY_COMMITTEE, None, DONGCHANG, None),
    ("unitrep3", "律所联络员 许诺", Role.UNIT_REP, "东昌律师事务所", None, None),
    ("unitrep4", "银行联络员 宋佳", Role.UNIT_REP, "上海银行陆家嘴支行", None, None),
    ("unitrep5", "社区学校联络员 唐明", Role.UNIT_REP, "陆家嘴街道社区学校", None, None),
    ("unitrep6", "设计院联络员 曹越", Role.UNIT_REP, "上海船舶研究设计院", None, None),
    ("unitrep7", "社工服务社联络员 彭晓", Role.UNIT_REP, "东昌社会工作服务社", None, None),
    ("unitrep8", "航运集团联络员 潘婷", Role.UNIT_REP, "国际航运集团有限公司", None, None),
    ("unitrep9", "卫生服务中心联络员 田医生", Role.UNIT_REP, "陆家嘴社区卫生服务中心", None, None),
    ("unitrep10", "公益基金会联络员 袁方", Role.UNIT_REP, "陆家嘴社区公益基金会", None, None),
    ("resident2", "东昌新村居民 沈阿婆", Role.RESIDENT, None, "东昌新村居民区", None),
    ("worker2", "陆家嘴商务广场白领 小陆", Role.WORKER, None, "陆家嘴商务广场", None),
]

GENERATED_RESIDENTS = 38  # resident3 … resident40
GENERATED_WORKERS = 22  # worker3 … worker24


@dataclass
class People:
    """Who acts in the demo's history, by area."""

    users: dict[str, User]
    places: dict[str, Place]
    residents: dict[str, list[User]] = field(default_factory=dict)  # area → residents and workers
    reps: dict[str, list[User]] = field(default_factory=dict)  # area → unit contacts
    community: dict[str, User] = field(default_factory=dict)  # area → community Party committee
    council: dict[str, list[User]] = field(default_factory=dict)  # area → its association's council
    areas: dict[str, list[Place]] = field(default_factory=dict)  # area → its communities and buildings

    def of_place(self, place: Place) -> list[User]:
        return [u for u in self.residents[self.area_of(place)] if u.place_id == place.id]

    def area_of(self, place: Place) -> str:
        return next(name for name, places in self.areas.items() if place in places)


def _create(username, display_name, roles, unit, place) -> User:
    from coordination.demo import DEMO_PASSWORD  # the package imports this module first
    from coordination.demo import demo_password_hash  # the package imports this module first

    user = db.session.scalar(select(User).filter_by(username=username))
    if user is None:
        user = accounts.create_user(
            None, username=username, password=DEMO_PASSWORD, roles=[r.value for r in roles],
            display_name=display_name, unit_id=unit.id if unit else None, place_id=place.id if place else None,
            check_strength=False,  # the README's shared demo password; only the seed may skip the policy
            password_hash=demo_password_hash(),
        )
    return user


def load_people() -> People:
    """The Dongchang area made complete and the demo's residents and workers (idempotent)."""
    from coordination.demo import _ensure  # the package imports this module first
    from coordination.demo import _get  # the package imports this module first

    places = {p.name: p for p in db.session.scalars(select(Place))}
    for area_name, (communities, buildings) in EXTRA_PLACES.items():
        area = places[area_name]
        for name in communities:
            places[name] = _ensure(Place, {"name": name, "area_id": area.id}, kind=PlaceKind.COMMUNITY,
                                   street_id=area.street_id)
        for name in buildings:
            places[name] = _ensure(Place, {"name": name, "area_id": area.id}, kind=PlaceKind.BUILDING,
                                   street_id=area.street_id)
    for index, (name, unit_type, area, building, orgs) in enumerate(EXTRA_UNITS, start=11):
        if _get(MemberUnit, name=name) is None:
            unit = _ensure(MemberUnit, {"name": name}, unit_type=unit_type, area_id=places[area].id,
                           building_id=places[building].id if building else None,
                           contact_name=f"联络员{index:02d}", contact_phone=f"1380021{index:04d}")
            for org_name, kind, members in orgs:
                _ensure(PartyOrganisation, {"unit_id": unit.id, "name": org_name}, kind=kind, member_count=members)
    units = {u.name: u for u in db.session.scalars(select(MemberUnit))}
    dongchang = _get(Association, area_id=places[DONGCHANG].id)
    for name, description in DONGCHANG_COMMITTEES:
        _ensure(ProfessionalCommittee, {"association_id": dongchang.id, "name": name}, description=description)
    _ensure(PresidentTerm, {"association_id": dongchang.id, "starts_on": date(2025, 1, 1)},
            unit_id=units["东昌律师事务所"].id, president_name="冯志明", ends_on=date(2025, 12, 31))
    _ensure(PresidentTerm, {"association_id": dongchang.id, "starts_on": date(2026, 1, 1)},
            unit_id=units["上海银行陆家嘴支行"].id, president_name="钱丽华", ends_on=date(2026, 12, 31))

    for username, display_name, role, unit_name, place_name, position in ACCOUNTS:
        user = _create(username, display_name, [role], units.get(unit_name), places.get(place_name))
        if position is not None:
            _ensure(CouncilMember, {"association_id": dongchang.id, "user_id": user.id},
                    unit_id=units[unit_name].id, position=position, joined_on=date(2025, 1, 1))

    areas = {area: [p for p in places.values() if p.area_id == places[area].id] for area in (JIANGONG, DONGCHANG)}
    communities = [p for area in areas.values() for p in area if p.kind == PlaceKind.COMMUNITY]
    buildings = [p for area in areas.values() for p in area if p.kind == PlaceKind.BUILDING]
    for number in range(GENERATED_RESIDENTS):
        place = communities[number % len(communities)]
        _create(f"resident{number + 3}", f"{place.name.removesuffix('居民区')}居民 {person_name(number * 7 + 3)}",
                [Role.RESIDENT], None, place)
    for number in range(GENERATED_WORKERS):
        place = buildings[number % len(buildings)]
        _create(f"worker{number + 3}", f"{place.name}白领 {person_name(number * 11 + 5)}", [Role.WORKER], None, place)
    db.session.flush()

    users = {u.username: u for u in db.session.scalars(select(User).order_by(User.id))}
    people = People(users=users, places=places, areas=areas)
    for area, area_places in areas.items():
        ids = {p.id for p in area_places}
        unit_ids = {u.id for u in units.values() if u.area_id == places[area].id}
        people.residents[area] = [u for u in users.values() if u.place_id in ids
                                  and (Role.RESIDENT in u.roles or Role.WORKER in u.roles)]
        people.reps[area] = [u for u in users.values() if Role.UNIT_REP in u.roles and u.unit_id in unit_ids]
        association = _get(Association, area_id=places[area].id)
        member_ids = db.session.scalars(select(CouncilMember.user_id).where(
            CouncilMember.association_id == association.id, CouncilMember.active).order_by(CouncilMember.id)).all()
        people.council[area] = [u for uid in member_ids for u in [db.session.get(User, uid)]]
    people.community = {JIANGONG: users["community"], DONGCHANG: users["community2"]}
    return people


def extra_accounts() -> list[tuple[str, str, str]]:
    """(username, display name, role) of the named accounts added here, for the printed list."""
    return [(username, display, str(role.label)) for username, display, role, *_rest in ACCOUNTS]
