"""The demo street, modelled on Lujiazui street's Jiangong area (see shared/DOMAIN-NOTES.md).

``flask --app coordination seed demo`` loads it with its history (``load_demo(history=True)``:
both areas complete and years of needs, projects, surveys and selections made by the
operations, see ``history.py``); running it again changes nothing. The tests load the street
alone, or with a handful of needs and projects (``load_demo_needs``, ``load_demo_projects``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from coordination.accounts import operations as accounts
from coordination.accounts.models import User
from coordination.accounts.passwords import hash_password
from coordination.core import audit
from coordination.core.enums import Role
from coordination.core.models.base import clock_set_to
from coordination.demo.pledges import load_demo_pledges
from coordination.demo.volunteers import load_demo_volunteers  # noqa: F401  (the tests load it too)
from coordination.evaluation import operations as evaluation
from coordination.evaluation.enums import IndicatorDimension
from coordination.evaluation.models import Indicator
from coordination.extensions import db
from coordination.needs import operations as needs
from coordination.needs.models import Category
from coordination.needs.models import Need
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
from coordination.places.models import Street
from coordination.projects import operations as project_operations
from coordination.projects.enums import VoteChoice
from coordination.projects.models import Project

DEMO_PASSWORD = "Ribbon-2026"

CATEGORIES = [
    (1, "社会管理事务", "Social management affairs"),
    (2, "社会公共服务", "Social public services"),
    (3, "社会资源整合", "Social resource integration"),
    (4, "社会价值实现", "Social value realisation"),
    (5, "社区文化共享", "Community culture sharing"),
    (6, "社区公共事务", "Community public affairs"),
    (7, "创建评选", "Creation and selection campaigns"),
]

INDICATORS = [
    (IndicatorDimension.PERFORMANCE, "项目目标完成度", "Achievement of project goals", "15"),
    (IndicatorDimension.PERFORMANCE, "受益人数达成率", "Beneficiaries reached against plan", "10"),
    (IndicatorDimension.PERFORMANCE, "项目创新性与示范性", "Innovation and example value", "10"),
    (IndicatorDimension.FUNDS, "预算执行率", "Budget execution", "15"),
    (IndicatorDimension.FUNDS, "资金使用合规性", "Compliance of fund use", "10"),
    (IndicatorDimension.FUNDS, "资金使用效益", "Effect of the funds used", "10"),
    (IndicatorDimension.PROCESS, "过程记录完整性", "Completeness of process records", "10"),
    (IndicatorDimension.PROCESS, "群众参与度", "Participation of residents and workers", "10"),
    (IndicatorDimension.PROCESS, "按期完成情况", "Delivery on schedule", "10"),
]

AREAS = {
    "建工片区": {
        "description": "以建工大厦楼宇综合服务站为中心，联结福山、市新、陈家门、松山四个居民区与周边楼宇。",
        "communities": ["福山居民区", "市新居民区", "陈家门居民区", "松山居民区"],
        "buildings": ["建工大厦", "国际航运金融大厦", "航科大厦"],
    },
    "东昌片区": {
        "description": "东昌路沿线的居民区与商务楼宇。",
        "communities": ["东昌新村居民区", "梅园居民区"],
        "buildings": ["陆家嘴商务广场"],
    },
}

# name, type, area, building, party organisations [(name, kind, members)]
UNITS = [
    ("上海建工集团股份有限公司", UnitType.COMPANY, "建工片区", "建工大厦",
     [("上海建工集团党委", PartyOrgKind.COMMITTEE, 320), ("建工大厦楼宇联合党总支", PartyOrgKind.GENERAL_BRANCH, 86)]),
    ("中交航道勘察设计学院", UnitType.INSTITUTION, "建工片区", "航科大厦",
     [("中交航道勘察设计学院党委", PartyOrgKind.COMMITTEE, 142), ("设计所第一党支部", PartyOrgKind.BRANCH, 38)]),
    ("国际航运集团有限公司", UnitType.COMPANY, "建工片区", "国际航运金融大厦",
     [("国际航运集团党委", PartyOrgKind.COMMITTEE, 215), ("航运金融党支部", PartyOrgKind.BRANCH, 41)]),
    ("航科技术服务有限公司", UnitType.COMPANY, "建工片区", "航科大厦",
     [("航科技术服务有限公司党支部", PartyOrgKind.BRANCH, 27)]),
    ("陆家嘴社区卫生服务中心", UnitType.INSTITUTION, "建工片区", None,
     [("社区卫生服务中心党支部", PartyOrgKind.BRANCH, 46)]),
    ("浦东新区税务局陆家嘴税务所", UnitType.AGENCY, "建工片区", "国际航运金融大厦",
     [("陆家嘴税务所党支部", PartyOrgKind.BRANCH, 33)]),
    ("陆家嘴社区公益基金会", UnitType.SOCIAL_ORGANISATION, "建工片区", None,
     [("公益基金会党支部", PartyOrgKind.BRANCH, 12)]),
    ("东昌律师事务所", UnitType.COMPANY, "东昌片区", "陆家嘴商务广场",
     [("东昌律师事务所党支部", PartyOrgKind.BRANCH, 19)]),
    ("上海银行陆家嘴支行", UnitType.COMPANY, "东昌片区", "陆家嘴商务广场",
     [("上海银行陆家嘴支行党总支", PartyOrgKind.GENERAL_BRANCH, 64)]),
    ("陆家嘴街道社区学校", UnitType.INSTITUTION, "东昌片区", None,
     [("社区学校党支部", PartyOrgKind.BRANCH, 21)]),
]

COMMITTEES = [
    ("社区服务专业委员会", "为老助困、社区大管家等社区服务项目"),
    ("文化宣传专业委员会", "社区文化共享、三进楼宇中的文化进楼宇"),
    ("公益慈善专业委员会", "慈善跑、午间公益一小时、公益集市"),
    ("健康医疗专业委员会", "健康进楼宇、义诊与健康讲座"),
    ("法律服务专业委员会", "法律咨询进楼宇、劳动保障服务"),
    ("青年发展专业委员会", "白领课堂、青年志愿者与结对共建"),
    ("城市管理专业委员会", "微更新、楼组环境与社区公共事务"),
]

# username, display name, roles, unit name (for unit contacts), place name
ACCOUNTS = [
    ("admin", "平台管理员", [Role.ADMIN], None, None),
    ("staff", "促进会秘书处 王敏", [Role.STAFF], None, None),
    ("council", "理事长 陈建国", [Role.COUNCIL], "上海建工集团股份有限公司", None),
    ("council2", "理事 李红", [Role.COUNCIL], "中交航道勘察设计学院", None),
    ("council3", "理事 赵伟", [Role.COUNCIL], "国际航运集团有限公司", None),
    ("council4", "理事 孙丽", [Role.COUNCIL], "陆家嘴社区卫生服务中心", None),
    ("council5", "理事 周强", [Role.COUNCIL], "陆家嘴社区公益基金会", None),
    ("community", "社区党委 刘书记", [Role.COMMUNITY_COMMITTEE], None, None),
    ("street", "街道党工委 吴书记", [Role.STREET_COMMITTEE], None, None),
    ("unitrep", "建工集团联络员 郑洁", [Role.UNIT_REP], "上海建工集团股份有限公司", None),
    ("unitrep2", "设计学院联络员 何磊", [Role.UNIT_REP], "中交航道勘察设计学院", None),
    ("resident", "福山居民 张阿姨", [Role.RESIDENT], None, "福山居民区"),
    ("worker", "建工大厦白领 小林", [Role.WORKER], None, "建工大厦"),
]

COUNCIL_POSITIONS = {"council": CouncilPosition.CHAIR, "council2": CouncilPosition.VICE_CHAIR}


_hashes: dict[str, str] = {}


def demo_password_hash() -> str:
    """One hash of the demo password for every demo account (hashing is slow on purpose)."""

    if DEMO_PASSWORD not in _hashes:
        _hashes[DEMO_PASSWORD] = hash_password(DEMO_PASSWORD)
    return _hashes[DEMO_PASSWORD]


def _get(model, **where):
    return db.session.scalar(select(model).filter_by(**where))


def _ensure(model, where: dict, **values):
    """The row matching ``where``, created with ``values`` (and audited) if missing."""
    obj = _get(model, **where)
    if obj is None:
        obj = model(**where, **values)
        db.session.add(obj)
        db.session.flush()
        audit.record(None, "seed.create", obj)
    return obj


def load_demo(out=print, with_needs: bool = True, history: bool = False) -> None:
    """The street, its units, association and one account per role; then either a few needs and
    projects (``with_needs``) or, with ``history``, the full demo street of ``seed demo``."""
    if not history:
        _load_street(out)
        if with_needs:
            load_demo_needs(out)
            load_demo_projects(out)
            load_demo_volunteers(out)
            load_demo_pledges(out)
        return
    import time
    from datetime import UTC
    from datetime import datetime
    from datetime import timedelta

    # history and people import this package: a cycle inside demo/
    from coordination.demo.history import DAYS
    from coordination.demo.history import load_history
    from coordination.demo.people import load_people

    started = time.perf_counter()
    now = datetime.now(UTC).replace(microsecond=0)
    with clock_set_to(now - timedelta(days=DAYS + 30)):  # the street existed before its history
        _load_street(out)
        people = load_people()
    if db.session.scalar(select(Need.id).limit(1)) is not None:
        out("Demo history already loaded (the database holds needs).")
        return
    counts = load_history(people, now)
    load_demo_volunteers(out)
    load_demo_pledges(out)  # dated today: pledges are kept within months, not years ago
    out(f"Demo history loaded: {counts['needs']} needs and {counts['projects']} projects over {DAYS} days, "
        f"{counts['steps']} steps ({time.perf_counter() - started:.1f}s).")


def _load_street(out) -> None:
    street = _ensure(Street, {"name": "陆家嘴街道"}, district="上海市浦东新区",
                     description="陆家嘴金融城所在街道：80余幢商务楼宇、1万余家企业、20余万白领。")
    places: dict[str, Place] = {}
    for area_name, spec in AREAS.items():
        area = _ensure(Place, {"name": area_name, "kind": PlaceKind.AREA, "area_id": None},
                       street_id=street.id, description=spec["description"])
        places[area_name] = area
        for name in spec["communities"]:
            places[name] = _ensure(Place, {"name": name, "area_id": area.id}, kind=PlaceKind.COMMUNITY,
                                   street_id=street.id)
        for name in spec["buildings"]:
            places[name] = _ensure(Place, {"name": name, "area_id": area.id}, kind=PlaceKind.BUILDING,
                                   street_id=street.id)

    units: dict[str, MemberUnit] = {}
    for index, (name, unit_type, area, building, orgs) in enumerate(UNITS, start=1):
        unit = _get(MemberUnit, name=name)
        if unit is None:
            unit = _ensure(MemberUnit, {"name": name}, unit_type=unit_type, area_id=places[area].id,
                           building_id=places[building].id if building else None,
                           contact_name=f"联络员{index:02d}", contact_phone=f"1380021{index:04d}")
            for org_name, kind, members in orgs:
                _ensure(PartyOrganisation, {"unit_id": unit.id, "name": org_name}, kind=kind,
                        member_count=members)
        units[name] = unit

    for code, name, name_en in CATEGORIES:
        _ensure(Category, {"code": code}, name=name, name_en=name_en)
    for position, (dimension, name, name_en, weight) in enumerate(INDICATORS):
        _ensure(Indicator, {"dimension": dimension, "name": name}, name_en=name_en,
                weight=Decimal(weight), position=position)

    associations = {}
    for area_name in AREAS:
        associations[area_name] = _ensure(
            Association, {"area_id": places[area_name].id}, name=f"{area_name}区域党建促进会",
            founded_on=date(2015, 6, 28),
            description="由片区内居民区党组织、楼宇党组织和驻区单位组成，实行轮值会长制。",
        )
    jiangong = associations["建工片区"]
    for name, description in COMMITTEES:
        _ensure(ProfessionalCommittee, {"association_id": jiangong.id, "name": name}, description=description)
    _ensure(PresidentTerm, {"association_id": jiangong.id, "starts_on": date(2025, 1, 1)},
            unit_id=units["上海建工集团股份有限公司"].id, president_name="陈建国", ends_on=date(2025, 12, 31))
    _ensure(PresidentTerm, {"association_id": jiangong.id, "starts_on": date(2026, 1, 1)},
            unit_id=units["国际航运集团有限公司"].id, president_name="赵伟", ends_on=date(2026, 12, 31))

    created = []
    for username, display_name, roles, unit_name, place_name in ACCOUNTS:
        user = _get(User, username=username)
        if user is None:
            user = accounts.create_user(
                None, username=username, password=DEMO_PASSWORD, roles=[r.value for r in roles],
                display_name=display_name, unit_id=units[unit_name].id if unit_name else None,
                place_id=places[place_name].id if place_name else None,
                check_strength=False,  # the README's shared demo password; only the seed may skip the policy
                password_hash=demo_password_hash(),
            )
            created.append(username)
        if Role.COUNCIL in roles:
            _ensure(CouncilMember, {"association_id": jiangong.id, "user_id": user.id},
                    unit_id=units[unit_name].id if unit_name else None,
                    position=COUNCIL_POSITIONS.get(username, CouncilPosition.MEMBER),
                    joined_on=date(2025, 1, 1))
    out(f"Demo street loaded ({len(created)} new accounts).")


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, display name, roles) of the named demo accounts, both areas."""
    # it imports this package: a cycle inside demo/
    from coordination.demo.people import extra_accounts

    return [(username, display, ", ".join(str(r.label) for r in roles))
            for username, display, roles, _unit, _place in ACCOUNTS] + extra_accounts()


# (submitter or None for offline, kind, title, description, place, category code or None,
#  channel, requester for offline, supporters)
DEMO_NEEDS = [
    ("resident", "wish", "楼道感应灯维修", "福山居民区12号楼3单元楼道感应灯坏了一个多月，老人晚上上下楼看不清台阶。",
     "福山居民区", 6, "online", None, ["worker"]),
    ("worker", "idea", "午间公益一小时", "建议组织楼宇白领利用午休时间到周边居民区开展一小时公益服务，如陪老人聊天、整理图书角。",
     "建工大厦", 4, "online", None, ["resident"]),
    ("resident", "idea", "白领教老人用微信", "很多老人不会用手机挂号、视频通话，希望楼宇里的年轻人每周来社区教一次。",
     "市新居民区", 5, "online", None, ["worker"]),
    ("worker", "idea", "上海话白领课堂", "新上海人想学点上海话，和社区阿姨爷叔交流更方便，建议开设白领课堂。",
     "航科大厦", 5, "online", None, []),
    ("resident", "wish", "社区大管家上门维修", "独居老人家里水龙头、灯泡坏了没人修，希望有志愿者定期上门帮忙。",
     "松山居民区", 2, "online", None, ["worker"]),
    (None, "request", "老楼加装电梯意愿征询", "陈家门居民区6层老楼居民在群众议事厅提出加装电梯，希望促进会协调征询与设计。",
     "陈家门居民区", None, "meeting_hall", ("李老伯", "13700002222"), []),
    (None, "request", "楼宇白领子女暑期托管", "白领通过热线反映暑期孩子无人照看，希望楼宇联合社区开设暑期托管班。",
     "国际航运金融大厦", None, "hotline", ("周女士", None), []),
]


def load_demo_needs(out=print) -> None:
    """A few needs of the kind the scheme collected, some already in the needs menu."""

    if db.session.scalar(select(Need.id).limit(1)) is not None:
        return
    users = {u.username: u for u in db.session.scalars(select(User))}
    staff = users["staff"]
    places = {p.name: p for p in db.session.scalars(select(Place))}
    categories = {c.code: c for c in db.session.scalars(select(Category))}
    for submitter, kind, title, description, place, category, channel, requester, supporters in DEMO_NEEDS:
        data = needs.NeedInput(kind=kind, title=title, description=description, place_id=places[place].id,
                               channel=channel, show_submitter=submitter == "worker")
        if submitter is None:
            data.requester_name, data.contact_phone = requester
            need = needs.record_offline_need(staff, data)
        else:
            need = needs.submit_need(users[submitter], data)
        for name in supporters:
            needs.support_need(users[name], need)
        if category is not None:
            needs.accept_need(staff, need.id, categories[category].id)
    out(f"Demo needs loaded ({len(DEMO_NEEDS)}).")


def load_demo_projects(out=print) -> None:
    """Projects at different steps of the loop, built from the demo needs by the operations."""
    from datetime import timedelta


    if db.session.scalar(select(Project.id).limit(1)) is not None:
        return
    users = {u.username: u for u in db.session.scalars(select(User))}
    needs = {n.title: n for n in db.session.scalars(select(Need))}
    committees = {c.name: c for c in db.session.scalars(select(ProfessionalCommittee))}
    today = date.today()

    def draft(need_title, title, description, committee, budget, funding, days, beneficiaries):
        need = needs[need_title]
        return project_operations.create_project(users["staff"], project_operations.ProjectInput(
            title=title, description=description, category_id=need.category_id, place_id=need.place_id,
            need_ids=[need.id], budget=budget, planned_start=today - timedelta(days=days),
            planned_end=today + timedelta(days=90 - days), committee_id=committees[committee].id,
            goals="让群众需求落地见效，由受益群众评价成效。", expected_beneficiaries=beneficiaries,
            volunteer_places=20, funding=funding))

    def publish(project):
        project_operations.propose_project(users["staff"], project.id)
        for name in ("council", "council2", "council3"):
            project_operations.vote_on_project(users[name], project.id, VoteChoice.APPROVE, "同意立项")
        project_operations.approve_project(users["community"], project.id, "同意发布至项目清单")

    lunch = draft("午间公益一小时", "午间公益一小时", "组织楼宇白领利用午休时间，到周边居民区开展陪伴老人、整理图书角等公益服务。",
                  "公益慈善专业委员会", "8000", [{"source": "unit", "amount": "8000"}], 40, 300)
    publish(lunch)
    project_operations.claim_project(users["unitrep"], lunch.id, "建工集团党委牵头")
    project_operations.join_project(users["unitrep2"], lunch.id)
    project_operations.report_progress(users["unitrep"], lunch.id, project_operations.ProgressInput(
        percent=60, note="已在福山、市新居民区开展6场，楼宇白领志愿者踊跃报名。", participant_units=2, party_members=18,
        volunteers=42, volunteer_hours=126, beneficiaries_residents=180, beneficiaries_workers=0, spent="4200"))

    wechat = draft("白领教老人用微信", "白领教老人用微信", "楼宇青年志愿者每周到社区，手把手教老人使用微信、挂号和视频通话。",
                   "青年发展专业委员会", "5000", [{"source": "self_governance", "amount": "3000"},
                                                {"source": "unit", "amount": "2000"}], 80, 150)
    publish(wechat)
    project_operations.claim_project(users["unitrep2"], wechat.id, "设计学院团委承接")
    project_operations.report_progress(users["unitrep2"], wechat.id, project_operations.ProgressInput(
        percent=100, note="共开课12期，结业老人146人。", participant_units=1, party_members=9, volunteers=24,
        volunteer_hours=96, beneficiaries_residents=146, beneficiaries_workers=0, spent="4650"))
    project_operations.complete_project(users["unitrep2"], wechat.id, "共开课12期，146位老人学会微信视频和线上挂号，结余350元退回自治金。")

    light = draft("楼道感应灯维修", "老楼楼道照明改造", "为福山居民区老旧楼道更换感应灯，解决老人夜间上下楼安全问题。",
                  "城市管理专业委员会", "12000", [{"source": "self_governance", "amount": "12000"}], 5, 400)
    project_operations.propose_project(users["staff"], light.id)
    project_operations.vote_on_project(users["council"], light.id, VoteChoice.APPROVE, "民生实事，同意")

    _demo_evaluation(users, wechat)

    draft("社区大管家上门维修", "社区大管家", "组织有技能的党员志愿者为独居老人提供小修小补上门服务。",
          "社区服务专业委员会", "6000", [], 0, 80)
    out("Demo projects loaded (4).")


def _demo_evaluation(users, project) -> None:
    """The completed WeChat class is evaluated: survey answers, indicator scores, accepted review."""

    survey = evaluation.open_evaluation(users["staff"], project.id)
    overall = next(q for q in survey.questions if q.overall)
    others = [q for q in survey.questions if not q.overall and q.kind.value == "likert"]
    scores = [5, 5, 4, 5, 4, 4, 5, 3, 5, 4, 5, 5, 4, 5, 2, 5]
    for index, score in enumerate(scores):
        answers = [evaluation.AnswerInput(overall.id, score=score)]
        answers += [evaluation.AnswerInput(q.id, score=max(1, score - (index + q.position) % 2)) for q in others]
        evaluation.submit_response(users["staff"], survey.id, answers, method="visit" if index % 3 else "paper")
    for name in ("resident", "worker"):
        evaluation.submit_response(users[name], survey.id, [evaluation.AnswerInput(overall.id, score=5)])
    indicators = db.session.scalars(select(Indicator).order_by(Indicator.id)).all()
    evaluation.score_indicators(users["staff"], project.id,
                                [{"indicator_id": i.id, "score": 88 + (i.id % 3) * 3} for i in indicators])
    evaluation.close_survey(users["staff"], survey)  # accepted only once the survey is closed
    evaluation.accept_evaluation(users["street"], project.id, "群众满意度高，同意公开评估结果。")
