"""The demo street's public pledges (承诺、践诺、评诺): a few Party-member residents and office
workers pledge what they will do for their neighbours, some have kept their pledge, and the
people who follow a pledge have rated it. Made by the pledges' operations; running it again
changes nothing.

Each pledger needs a volunteer profile that shows them as a Party member. Where the person has
none yet, a minimal one is added here (the volunteers' own demo fills in their skills, team and
hours); where they have one that does not say they are a Party member, their pledges are left out.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta

from sqlalchemy import select

from coordination.accounts.models import User
from coordination.core import audit
from coordination.extensions import db
from coordination.places.models import Place
from coordination.pledges import operations
from coordination.pledges import queries
from coordination.pledges.models import Pledge
from coordination.volunteers.models import VolunteerProfile

WILLINGNESS = "亮身份、亮特长、亮意愿：愿意利用业余时间为社区居民和楼宇白领服务。"

# pledger, title, what exactly, days until it is due, the place it serves (None: the pledger's own),
# how it was kept (None: not yet), followers [(username, score or None, comment)]
DEMO_PLEDGES = [
    ("resident", "每月为独居老人上门测血压一次",
     "每月第一个周六上午，带上血压计到福山居民区12号楼、15号楼的独居老人家中测量血压，记在健康小本上，"
     "发现异常及时联系社区卫生服务中心。", 300, None, None,
     [("worker", None, None), ("resident3", None, None)]),
    ("resident", "为楼宇白领开设沪语课堂",
     "每月两次在建工大厦党员服务点开设“白领沪语课堂”，教新上海人日常沪语，讲讲老弄堂的故事。", 60, "建工大厦",
     "已在建工大厦党员服务点开课6次，累计30余名白领参加，学员们已能用上海话和社区阿姨爷叔打招呼、买小菜。",
     [("worker", 5, "张阿姨讲得生动，还教我们唱沪语童谣，下次还来！"), ("worker3", 5, None), ("worker4", 4, "课时再长一点就好了。")]),
    ("worker", "每周义务修理小家电",
     "每周三午休时间在建工大厦党员服务点义务修理电风扇、电水壶、台灯等小家电，行动不便的老人可预约上门。", 120,
     "福山居民区",
     "三个月来共修好电风扇、电饭煲、台灯等小家电47件，为福山居民区8户独居老人上门维修。",
     [("resident", 4, "修得又快又好，希望周末也能来。"), ("resident3", 5, "上门修好了我家的老台灯，谢谢小林！")]),
    ("worker", "教社区老人用手机挂号和视频通话",
     "每月两次到市新居民区活动室，手把手教老人用手机预约挂号、和子女视频通话、识别诈骗电话。", 150, "市新居民区",
     None, [("resident", None, None)]),
    ("resident3", "楼组垃圾分类义务宣传员",
     "担任本楼组垃圾分类宣传员，每周两个晚上在投放点值守引导，帮助老人分清干湿垃圾。", 90, None,
     "连续值守12周，楼组分类准确率从六成提高到九成以上，还编了分类顺口溜贴在投放点。",
     [("resident4", 5, "天天看到他在投放点，辛苦了！"), ("resident5", 4, None)]),
    ("worker3", "午间公益一小时：陪伴独居老人",
     "每周一次利用午休时间到陈家门居民区陪独居老人聊天、读报、整理家务。", 200, "陈家门居民区", None,
     [("resident4", None, None)]),
]


def _party_member_profile(user: User) -> VolunteerProfile | None:
    """The person's profile if it shows them as a Party member; a minimal one if they have none."""
    profile = queries.profile_of(user)
    if profile is None:
        profile = VolunteerProfile(user_id=user.id, party_member=True, willingness=WILLINGNESS, public=True)
        db.session.add(profile)
        db.session.flush()
        audit.record(None, "seed.create", profile)
    return profile if profile.party_member else None


def load_demo_pledges(out=print) -> None:
    users = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(
        {spec[0] for spec in DEMO_PLEDGES} | {f[0] for spec in DEMO_PLEDGES for f in spec[6]})))}
    places = {p.name: p.id for p in db.session.scalars(select(Place))}
    made = 0
    for username, title, content, days, place, kept, followers in DEMO_PLEDGES:
        pledger = users.get(username)
        profile = _party_member_profile(pledger) if pledger is not None else None
        if profile is None:
            continue  # not on this street (the tests' street has the one account per role only)
        pledge = db.session.scalar(select(Pledge).where(Pledge.profile_id == profile.id, Pledge.title == title))
        if pledge is None:
            pledge = operations.make_pledge(pledger, operations.PledgeInput(
                title=title, content=content, due_on=date.today() + timedelta(days=days),
                community_id=places.get(place)))
            made += 1
        people = [(users[name], score, comment) for name, score, comment in followers if name in users]
        for follower, _score, _comment in people:
            operations.follow_pledge(follower, pledge)
        if kept and pledge.status.value == "made":
            operations.keep_pledge(pledger, pledge.id, kept)
        for follower, score, comment in people:
            if score is not None and queries.rating_by(follower, pledge) is None:
                operations.rate_pledge(follower, pledge, score, comment)
    out(f"Demo pledges loaded ({made} new).")
