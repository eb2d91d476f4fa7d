"""Demo organisation: one committee, two general branches, six branches, about 60 members."""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password

from lms.accounts.models import MemberProfile, User
from lms.core import days

from .models import MemberTransfer, OrgRole, PartyOrganization
from .services import grant_role

DEMO_PASSWORD = "partymooc-demo"  # noqa: S105 — dev-only demo data, refused in production

TREE = (
    ("DEMO", "中共示范集团委员会", PartyOrganization.Kind.COMMITTEE, None),
    ("DEMO-Z1", "机关党总支", PartyOrganization.Kind.GENERAL_BRANCH, "DEMO"),
    ("DEMO-Z1-D1", "机关第一党支部", PartyOrganization.Kind.BRANCH, "DEMO-Z1"),
    ("DEMO-Z1-D2", "机关第二党支部", PartyOrganization.Kind.BRANCH, "DEMO-Z1"),
    ("DEMO-Z1-D3", "机关第三党支部", PartyOrganization.Kind.BRANCH, "DEMO-Z1"),
    ("DEMO-Z2", "生产党总支", PartyOrganization.Kind.GENERAL_BRANCH, "DEMO"),
    ("DEMO-Z2-D1", "生产一线党支部", PartyOrganization.Kind.BRANCH, "DEMO-Z2"),
    ("DEMO-Z2-D2", "技术研发党支部", PartyOrganization.Kind.BRANCH, "DEMO-Z2"),
    ("DEMO-Z2-D3", "离退休党支部", PartyOrganization.Kind.BRANCH, "DEMO-Z2"),
)

# username, real name, gender, organisation code, position, role (organisation code, role)
DEMO_ACCOUNTS = (
    ("admin", "赵国强", "male", "DEMO", "系统管理员", None),
    ("trainer", "李明华", "female", "DEMO-Z1-D2", "党校讲师", ("DEMO", OrgRole.Kind.TRAINER)),
    ("reviewer", "王建国", "male", "DEMO-Z1-D3", "宣传委员", ("DEMO", OrgRole.Kind.REVIEWER)),
    (
        "secretary",
        "张红梅",
        "female",
        "DEMO-Z1-D1",
        "支部书记",
        ("DEMO-Z1-D1", OrgRole.Kind.BRANCH_HEAD),
    ),
    ("member", "刘洋", "male", "DEMO-Z1-D1", "党员", None),
    ("member2", "陈静", "female", "DEMO-Z2-D1", "党员", None),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑"
    "梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
    "桂英华建国红梅文博宇浩然思远志诚晓东海燕玉兰德明春生秋实"
)
POSITIONS = ("党员", "党员", "党员", "组织委员", "宣传委员", "纪检委员", "党小组长")


def _phone(rng: random.Random, used: set[str]) -> str:
    while True:
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        if phone not in used:
            used.add(phone)
            return phone


def build(stdout=None) -> bool:
    """Create the demo organisation once; returns False when it already exists."""
    if PartyOrganization.objects.filter(code="DEMO").exists():
        return False
    rng = random.Random(20260701)  # noqa: S311 — reproducible demo data, not secrets
    orgs: dict[str, PartyOrganization] = {}
    for code, name, kind, parent in TREE:
        if parent is None:
            orgs[code] = PartyOrganization.add_root(code=code, name=name, kind=kind)
        else:
            orgs[parent].refresh_from_db()
            orgs[code] = orgs[parent].add_child(code=code, name=name, kind=kind)

    password = make_password(DEMO_PASSWORD)
    phones: set[str] = set()
    today = days.today()

    def profile_for(user, real_name, gender, org_code, position, category=None):
        birth = today - timedelta(days=rng.randrange(23 * 365, 70 * 365))
        category = category or rng.choices(list(MemberProfile.Category), weights=[70, 10, 12, 8])[0]
        joined = None
        if category in (MemberProfile.Category.FULL_MEMBER, MemberProfile.Category.PROBATIONARY):
            joined = birth + timedelta(
                days=rng.randrange(19 * 365, max(19 * 365 + 1, (today - birth).days - 30))
            )
            if category == MemberProfile.Category.PROBATIONARY:
                joined = today - timedelta(days=rng.randrange(30, 360))
        MemberProfile.objects.create(
            user=user,
            real_name=real_name,
            gender=gender,
            phone=_phone(rng, phones),
            category=category,
            joined_party_on=joined,
            birth_date=birth,
            position=position,
            organization=orgs[org_code],
        )
        MemberTransfer.objects.create(
            member=user, to_organization=orgs[org_code], reason="演示数据"
        )

    for username, real_name, gender, org_code, position, role in DEMO_ACCOUNTS:
        user = User.objects.create(
            username=username,
            password=password,
            is_superuser=username == "admin",
            is_staff=username == "admin",
        )
        profile_for(user, real_name, gender, org_code, position, MemberProfile.Category.FULL_MEMBER)
        if role is not None:
            grant_role(user, orgs[role[0]], role[1])

    branches = [code for code, _n, kind, _p in TREE if kind == PartyOrganization.Kind.BRANCH]
    for number in range(1, 55):
        gender = rng.choice(("male", "female"))
        real_name = rng.choice(SURNAMES) + "".join(
            rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
        )
        user = User.objects.create(username=f"demo{number:03d}", password=password)
        profile_for(
            user, real_name, gender, branches[number % len(branches)], rng.choice(POSITIONS)
        )

    if stdout is not None:
        stdout.write(f"  organisations: {len(orgs)}, members: {MemberProfile.objects.count()}")
    return True
