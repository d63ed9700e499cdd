"""The demo street's volunteers: the skills list, the four teams of the Jiangong area's
communities linked to its office buildings, "three shows" profiles of residents and office
workers (some Party members), and their sign-ups, check-ins and hours on projects under way
(through the operations) and on a few delivered ones (their record written as it stands).

Idempotent: the list, teams and profiles are created when missing; the sign-ups only when
there are none yet.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from coordination.accounts.models import User
from coordination.core import audit
from coordination.core.enums import Role
from coordination.core.models.base import clock_set_to
from coordination.extensions import db
from coordination.places.models import Place
from coordination.projects.enums import ProjectStatus
from coordination.projects.models import Project
from coordination.volunteers import operations
from coordination.volunteers import queries
from coordination.volunteers.checkin import local_date
from coordination.volunteers.enums import CheckInMethod
from coordination.volunteers.enums import SignupStatus
from coordination.volunteers.models import ServicePoint
from coordination.volunteers.models import VolunteerSignup
from coordination.volunteers.models import VolunteerSkill
from coordination.volunteers.models import VolunteerTeam

SKILLS = [
    ("law", "法律咨询", "Legal advice"), ("elderly", "助老服务", "Care for older people"),
    ("shanghainese", "沪语教学", "Teaching Shanghainese"), ("smartphone", "智能手机教学", "Teaching smartphone use"),
    ("health", "义诊健康", "Free clinics and health"), ("repair", "维修", "Repairs"),
    ("arts", "文艺", "Arts and performance"), ("counselling", "心理疏导", "Counselling"),
    ("finance", "金融知识", "Financial literacy"), ("childcare", "少儿托管", "Childcare"),
]

# community → (team name, [(slot, office building, service point)])
TEAMS = {
    "福山居民区": ("福山居民区流动志愿服务队", [(1, "建工大厦", "建工大厦党员服务点")]),
    "市新居民区": ("市新居民区流动志愿服务队", [(1, "国际航运金融大厦", "航运金融大厦党员服务点")]),
    "陈家门居民区": ("陈家门居民区流动志愿服务队", [(1, "航科大厦", "航科大厦党员服务点")]),
    "松山居民区": ("松山居民区流动志愿服务队", [(1, "建工大厦", "建工大厦二楼党员服务点"),
                                       (2, "航科大厦", "航科大厦一楼党员服务点")]),
}

# username → (Party organisation or None, skills, willingness, availability)
PROFILES = {
    "resident": ("福山居民区党总支第二支部", ["助老服务", "沪语教学", "编织"], "愿意陪伴独居老人聊天，也可以教新上海人说上海话。",
                 "工作日上午"),
    "worker": ("建工大厦楼宇联合党总支", ["智能手机教学", "文艺"], "午休时间可以到社区教老人用手机，也能参加文艺演出。", "工作日午休、周六上午"),
}
# the generated residents and workers of the full demo: every third one a Party member
GENERATED = [
    (["维修"], "会修水电、换灯泡，愿意为独居老人上门小修小补。"),
    (["法律咨询"], "可以提供婚姻家事、劳动合同方面的法律咨询。"),
    (["义诊健康"], "退休医生，愿意参加社区义诊和健康讲座。"),
    (["心理疏导", "助老服务"], "愿意倾听，陪伴有需要的老人和家庭。"),
    (["智能手机教学"], "可以教老人用微信、手机挂号和视频通话。"),
    (["金融知识", "法律咨询"], "愿意开展防诈骗和金融知识宣传。"),
    (["少儿托管", "文艺"], "暑期可以帮忙照看孩子、组织兴趣活动。"),
    (["沪语教学"], "土生土长的上海人，愿意教白领说上海话。"),
]
ORGS = ["福山居民区党总支", "建工大厦楼宇联合党总支", "陈家门居民区党支部", "航运金融党支部"]


def load_demo_volunteers(out=print) -> None:
    """The skills, teams and profiles when missing; sign-ups and hours when there are none."""
    load_reference()
    created = _profiles()
    signed = _signups() if db.session.scalar(select(VolunteerSignup.id).limit(1)) is None else 0
    out(f"Demo volunteers loaded ({created} new profiles, {signed} sign-ups).")


def load_reference() -> None:
    """The skills list and the Jiangong area's four teams with their service points (when missing)."""
    from coordination.demo import _ensure  # the package imports this module first

    for position, (code, name, name_en) in enumerate(SKILLS):
        _ensure(VolunteerSkill, {"code": code}, name=name, name_en=name_en, position=position)
    places = {p.name: p for p in db.session.scalars(select(Place))}
    for community, (team_name, points) in TEAMS.items():
        if community not in places:
            continue
        team = _ensure(VolunteerTeam, {"community_id": places[community].id}, name=team_name,
                       description=f"{community}党员和居民、驻区楼宇白领组成的流动志愿服务队。")
        for slot, building, point in points:
            _ensure(ServicePoint, {"team_id": team.id, "slot": slot}, building_id=places[building].id, name=point)


def _volunteers() -> list[User]:
    users = db.session.scalars(select(User).where(User.active).order_by(User.id)).all()
    return [u for u in users if u.has_role(Role.RESIDENT, Role.WORKER) and u.place_id is not None]


def _profiles() -> int:
    created = 0
    for index, user in enumerate(_volunteers()):
        if queries.profile_of(user) is not None:
            continue
        if user.username in PROFILES:
            org, skills, willingness, availability = PROFILES[user.username]
        elif index % 2:  # half of the generated people show a profile
            skills, willingness = GENERATED[index % len(GENERATED)]
            org = ORGS[index % len(ORGS)] if index % 3 == 0 else None
            availability = "周末" if index % 4 else "工作日晚上"
        else:
            continue
        operations.save_profile(user, operations.ProfileInput(
            willingness=willingness, party_member=org is not None, party_org=org, skills=skills,
            availability=availability, public=True))
        created += 1
    db.session.flush()
    return created


def _lead_rep(project: Project) -> User | None:
    return db.session.scalar(select(User).where(User.unit_id == project.lead_unit_id, User.active)
                             .where(User.role_links.any(role=Role.UNIT_REP)).order_by(User.id).limit(1))


def _signups() -> int:
    profiles = [queries.profile_of(u) for u in _volunteers()]
    profiles = [p for p in profiles if p is not None]
    if not profiles:
        return 0
    now = datetime.now(UTC).replace(microsecond=0)
    projects = db.session.scalars(select(Project).where(Project.lead_unit_id.is_not(None)).order_by(Project.id)).all()
    signed = 0
    for number, project in enumerate(projects):
        rep = _lead_rep(project)
        if rep is None or not project.volunteer_places:
            continue
        team = [profiles[(number + i) % len(profiles)] for i in range(min(3, len(profiles), project.volunteer_places))]
        if project.status == ProjectStatus.CLAIMED:
            signed += _under_way(project, rep, team, now)
        elif number % 3 != 2 and project.completed_at is not None:
            signed += _delivered(project, rep, team)
    db.session.flush()
    return signed


def _under_way(project: Project, rep: User, team: list, now: datetime) -> int:
    """Sign-ups through the operations; the first volunteers checked in, with a day's hours."""
    start = max(project.claimed_at or now, now - timedelta(days=14))
    signed_at = min(start + timedelta(hours=2), now - timedelta(minutes=5))
    served_at = min(signed_at + timedelta(days=2), now - timedelta(minutes=1))
    with clock_set_to(signed_at):
        signups = [operations.sign_up(profile.user, project.id, "可以带上自己的工具。" if i == 1 else None)
                   for i, profile in enumerate(team)]
    with clock_set_to(served_at):
        for i, signup in enumerate(signups[:-1] if len(signups) > 1 else signups):
            operations.check_in(rep, project.id, signup.id)
            operations.record_hours(rep, project.id, signup.id, Decimal("2.5") + i, local_date(served_at),
                                    "按时到岗，服务认真。")
    return len(signups)


def _delivered(project: Project, rep: User, team: list) -> int:
    """A delivered project's record as it stands: who served, checked in by the lead, and their hours."""
    served_at = project.completed_at - timedelta(days=3)
    for i, profile in enumerate(team):
        signup = VolunteerSignup(project_id=project.id, profile_id=profile.id, status=SignupStatus.CHECKED_IN,
                                 checked_in_at=served_at, checked_in_by_id=rep.id,
                                 check_in_method=CheckInMethod.TICK, hours_total=Decimal(0))
        signup.created_at = signup.updated_at = served_at - timedelta(days=5)
        db.session.add(signup)
        db.session.flush()
        audit.record(None, "seed.create", signup)
        operations.credit_hours(signup, Decimal(3 + i % 2), local_date(served_at), unit_id=project.lead_unit_id,
                                recorded_by=rep, note="项目实施期间参加志愿服务。")
    return len(team)
