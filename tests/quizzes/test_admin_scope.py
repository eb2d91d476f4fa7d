"""Question banks and quizzes belong to organisations: a trainer manages those of the
organisations their trainer role covers, uses those and the ones above them and of the
platform, and cannot see, change, import into or export a sibling organisation's."""

import io
import re

import pytest
from openpyxl import load_workbook

from quizzes.models import Question, QuestionBank, Quiz

from .factories import make_bank, make_quiz
from .test_admin import ADD_QUESTION, _question_form, _quiz_form
from .test_import import GOOD, HEADER, _upload

pytestmark = pytest.mark.django_db

BANKS = "/admin/snippets/quizzes/questionbank/"


@pytest.fixture
def banks(org_tree):
    """One bank at every level a general-branch trainer meets: the platform's, the
    committee's (above), their own, their branch's (below), and the sibling general branch's."""
    return {
        "platform": make_bank("平台题库"),
        "committee": make_bank("党委题库", organization=org_tree["committee"]),
        "general_a": make_bank("机关总支题库", organization=org_tree["general_a"]),
        "branch_a1": make_bank("第一支部题库", organization=org_tree["branch_a1"]),
        "general_b": make_bank("生产总支题库", organization=org_tree["general_b"]),
    }


def _listed(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_trainer_lists_and_edits_only_the_banks_of_their_subtree(client, trainer_a, banks):
    client.force_login(trainer_a)

    listing = _listed(client, BANKS)
    questions = _listed(client, "/admin/snippets/quizzes/question/")

    assert "机关总支题库" in listing and "第一支部题库" in listing
    for name in ("平台题库", "党委题库", "生产总支题库"):
        assert name not in listing
        assert name not in questions  # neither the bank filter nor the rows name it
    own = banks["branch_a1"].questions.first()
    foreign = banks["general_b"].questions.first()
    assert client.get(f"/admin/snippets/quizzes/question/edit/{own.pk}/").status_code == 200
    assert client.get(f"{BANKS}edit/{banks['branch_a1'].pk}/").status_code == 200
    for url in (
        f"{BANKS}edit/{banks['general_b'].pk}/",
        f"{BANKS}edit/{banks['committee'].pk}/",
        f"/admin/snippets/quizzes/question/edit/{foreign.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    denied = client.post(f"{BANKS}delete/{banks['general_b'].pk}/")
    assert denied.status_code == 404
    assert QuestionBank.objects.filter(pk=banks["general_b"].pk).exists()


def test_a_question_goes_only_into_a_bank_the_trainer_manages(client, trainer_a, banks):
    client.force_login(trainer_a)
    options = [("甲", False), ("乙", True)]

    refused = client.post(
        ADD_QUESTION, _question_form(banks["committee"], "single", options, stem="越权的题目？")
    )
    accepted = client.post(
        ADD_QUESTION, _question_form(banks["general_a"], "single", options, stem="本级的题目？")
    )

    assert refused.status_code == 200
    assert "该题库属于你的讲师角色未覆盖的组织。" in refused.content.decode()
    assert not Question.objects.filter(stem="越权的题目？").exists()
    assert accepted.status_code == 302
    assert Question.objects.get(stem="本级的题目？").bank == banks["general_a"]


def test_a_new_bank_belongs_to_an_organisation_the_trainer_covers(client, trainer_a, org_tree):
    client.force_login(trainer_a)
    form = _listed(client, f"{BANKS}add/")
    add = {"name": "新题库", "description": ""}

    no_organisation = client.post(f"{BANKS}add/", add)
    sibling = client.post(f"{BANKS}add/", {**add, "organization": org_tree["general_b"].pk})
    own = client.post(f"{BANKS}add/", {**add, "organization": org_tree["branch_a1"].pk})

    assert "生产党总支" not in form  # the sibling is not offered
    assert no_organisation.status_code == 200 and sibling.status_code == 200
    assert "请选择你的讲师角色覆盖的组织。" in sibling.content.decode()
    assert own.status_code == 302
    assert QuestionBank.objects.get(name="新题库").organization == org_tree["branch_a1"]
    assert QuestionBank.objects.filter(name="新题库").count() == 1

    client.force_login(_site_admin())
    platform = client.post(f"{BANKS}add/", {"name": "全平台题库", "description": ""})
    assert platform.status_code == 302
    assert QuestionBank.objects.get(name="全平台题库").organization is None


def _site_admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", password="x")


def test_a_quiz_draws_from_own_higher_and_platform_banks_only(client, trainer_a, org_tree, banks):
    client.force_login(trainer_a)
    url = "/admin/snippets/quizzes/quiz/add/"

    def contest(title: str, bank: QuestionBank):
        rule = {
            "draw_rules-TOTAL_FORMS": 1,
            "draw_rules-0-bank": bank.pk,
            "draw_rules-0-count": 2,
            "draw_rules-0-tag": "",
            "draw_rules-0-difficulty": "",
            "draw_rules-0-ORDER": 1,
        }
        window = {"opens_at": "2026-12-01 09:00", "closes_at": "2026-12-01 10:00"}
        org = {"organization": org_tree["general_a"].pk, "managed_by": org_tree["general_a"].pk}
        return client.post(url, _quiz_form(title=title, **window, **org, **rule))

    sibling = contest("抽兄弟总支的题", banks["general_b"])
    higher = contest("抽党委的题", banks["committee"])
    platform = contest("抽平台的题", banks["platform"])

    assert sibling.status_code == 200
    assert "该题库未向你的组织开放。" in sibling.content.decode()
    assert not Quiz.objects.filter(title="抽兄弟总支的题").exists()
    assert higher.status_code == 302 and platform.status_code == 302
    assert Quiz.objects.get(title="抽党委的题").question_count() == 2


def test_the_bank_chooser_offers_the_banks_a_trainer_may_draw_from(client, trainer_a, banks):
    client.force_login(trainer_a)

    chooser = client.get("/admin/snippets/choose/quizzes/questionbank/")

    assert chooser.status_code == 200
    html = chooser.json()["html"]
    for name in ("平台题库", "党委题库", "机关总支题库", "第一支部题库"):
        assert name in html
    assert "生产总支题库" not in html


def test_import_and_export_stay_in_the_trainers_banks(client, trainer_a, banks):
    client.force_login(trainer_a)

    foreign = client.post(
        "/admin/quizzes/import/",
        {"bank": banks["general_b"].pk, "file": _upload([HEADER, *GOOD]), "apply": "1"},
    )
    nameless = client.post(
        "/admin/quizzes/import/",
        {"new_bank": "无组织题库", "file": _upload([HEADER, *GOOD]), "apply": "1"},
    )
    own = client.post(
        "/admin/quizzes/import/",
        {"bank": banks["branch_a1"].pk, "file": _upload([HEADER, *GOOD]), "apply": "1"},
    )

    assert "该题库属于你的讲师角色未覆盖的组织。" in foreign.content.decode()
    assert banks["general_b"].questions.count() == 8
    assert "请选择新题库所属的组织。" in nameless.content.decode()
    assert not QuestionBank.objects.filter(name="无组织题库").exists()
    assert "导入完成" in own.content.decode()
    assert banks["branch_a1"].questions.filter(stem="古田会议召开于哪一年？").exists()

    export = "/admin/quizzes/banks/{}/export.xlsx"
    assert client.get(export.format(banks["general_b"].pk)).status_code == 404
    higher = client.get(export.format(banks["committee"].pk))
    assert higher.status_code == 200  # banks above are there to build on
    assert load_workbook(io.BytesIO(higher.content)).active.max_row == 1 + 8


def test_a_site_admin_manages_every_bank(client, banks):
    client.force_login(_site_admin())

    listing = _listed(client, BANKS)

    for bank in banks.values():
        assert bank.name in listing
    assert client.get(f"{BANKS}edit/{banks['general_b'].pk}/").status_code == 200


@pytest.fixture
def quizzes(banks, org_tree):
    """Quizzes managed at each level; all of them open to the general branch's members."""
    audience = {"organization": org_tree["general_a"]}
    return {
        "platform": make_quiz(banks["platform"], title="平台测验"),
        "committee": make_quiz(banks["committee"], title="党委测验", **audience),
        "general_a": make_quiz(banks["general_a"], title="机关总支测验", **audience),
        "general_b": make_quiz(banks["general_b"], title="生产总支测验", **audience),
    }


QUIZZES = "/admin/snippets/quizzes/quiz/"


def test_a_trainer_manages_the_quizzes_of_their_subtree_whoever_takes_them(
    client, trainer_a, quizzes
):
    client.force_login(trainer_a)

    listing = _listed(client, QUIZZES)

    assert "机关总支测验" in listing
    for name in ("平台测验", "党委测验", "生产总支测验"):
        assert name not in listing  # held for the trainer's members, but not theirs to edit
    assert client.get(f"{QUIZZES}edit/{quizzes['general_a'].pk}/").status_code == 200
    for key in ("platform", "committee", "general_b"):
        assert client.get(f"{QUIZZES}edit/{quizzes[key].pk}/").status_code == 404, key
    assert client.post(f"{QUIZZES}delete/{quizzes['general_b'].pk}/").status_code == 404
    assert Quiz.objects.filter(pk=quizzes["general_b"].pk).exists()


def test_a_new_quiz_is_managed_by_one_of_the_trainers_organisations(
    client, trainer_a, org_tree, banks
):
    client.force_login(trainer_a)
    question = banks["general_a"].questions.first()
    fixed = {
        "kind": "standard",
        "selection": "fixed",
        "fixed_questions-TOTAL_FORMS": 1,
        "fixed_questions-0-question": question.pk,
        "fixed_questions-0-ORDER": 1,
    }

    form = _listed(client, f"{QUIZZES}add/")
    sibling = client.post(
        f"{QUIZZES}add/",
        _quiz_form(title="替别人管的测验", managed_by=org_tree["general_b"].pk, **fixed),
    )
    own = client.post(
        f"{QUIZZES}add/",
        _quiz_form(
            title="本总支测验",
            organization=org_tree["general_a"].pk,
            managed_by=org_tree["general_a"].pk,
            **fixed,
        ),
    )

    offered = form.split('name="managed_by"')[1].split("</select>")[0]
    assert "生产党总支" not in offered
    assert re.search(r'<option value="\d+" selected>机关党总支</option>', offered)  # the widest
    assert "请选择你的讲师角色覆盖的组织。" in sibling.content.decode()
    assert not Quiz.objects.filter(title="替别人管的测验").exists()
    assert own.status_code == 302, own.content.decode()[-2000:]
    created = Quiz.objects.get(title="本总支测验")
    assert created.managed_by == created.organization == org_tree["general_a"]


def test_the_quiz_chooser_offers_the_quizzes_a_trainer_may_put_in_a_lesson(
    client, trainer_a, quizzes
):
    client.force_login(trainer_a)

    html = client.get("/admin/snippets/choose/quizzes/quiz/").json()["html"]

    for name in ("平台测验", "党委测验", "机关总支测验"):
        assert name in html
    assert "生产总支测验" not in html


def test_a_fixed_quiz_cannot_take_a_sibling_banks_question(client, trainer_a, org_tree, banks):
    client.force_login(trainer_a)
    foreign = banks["general_b"].questions.first()

    response = client.post(
        f"{QUIZZES}add/",
        _quiz_form(
            title="借用兄弟总支的题",
            kind="standard",
            selection="fixed",
            managed_by=org_tree["general_a"].pk,
            **{
                "fixed_questions-TOTAL_FORMS": 1,
                "fixed_questions-0-question": foreign.pk,
                "fixed_questions-0-ORDER": 1,
            },
        ),
    )

    assert response.status_code == 200
    assert "该题库未向你的组织开放。" in response.content.decode()
    assert not Quiz.objects.filter(title="借用兄弟总支的题").exists()


# --- who may take a quiz: its audience ------------------------------------------------------

AUDIENCE_OUTSIDE = "受众只能是你的角色覆盖的组织。"
AUDIENCE_EVERYONE = "请选择受众：“所有人”超出了你的角色覆盖的范围。"
WINDOW = {"opens_at": "2026-12-01 09:00", "closes_at": "2026-12-01 10:00"}


def _quiz_for(client, banks, title: str, kind: str, audience) -> object:
    """Post a new quiz of this kind (managed by 机关党总支) for `audience` (None: everyone)."""
    question = banks["general_a"].questions.first()
    return client.post(
        f"{QUIZZES}add/",
        _quiz_form(
            title=title,
            kind=kind,
            selection="fixed",
            organization=audience.pk if audience is not None else "",
            managed_by=banks["general_a"].organization_id,
            **(WINDOW if kind in ("special", "contest") else {}),
            **{
                "fixed_questions-TOTAL_FORMS": 1,
                "fixed_questions-0-question": question.pk,
                "fixed_questions-0-ORDER": 1,
            },
        ),
    )


@pytest.mark.parametrize("kind", ["standard", "daily", "special", "contest"])
def test_a_quiz_of_any_kind_is_aimed_only_inside_the_trainers_subtree(
    client, trainer_a, org_tree, banks, kind
):
    client.force_login(trainer_a)

    sibling = _quiz_for(client, banks, "给兄弟支部的测验", kind, org_tree["branch_b1"])
    higher = _quiz_for(client, banks, "给全党委的测验", kind, org_tree["committee"])
    everyone = _quiz_for(client, banks, "给所有人的测验", kind, None)
    own = _quiz_for(client, banks, "给本支部的测验", kind, org_tree["branch_a1"])

    for refused in (sibling, higher):
        assert refused.status_code == 200
        assert AUDIENCE_OUTSIDE in refused.content.decode()
    assert everyone.status_code == 200
    assert AUDIENCE_EVERYONE in everyone.content.decode() or kind == "contest"
    assert set(Quiz.objects.values_list("title", flat=True)) == {"给本支部的测验"}
    assert own.status_code == 302, own.content.decode()[-2000:]
    assert Quiz.objects.get().organization == org_tree["branch_a1"]


def test_the_quiz_form_offers_only_the_trainers_organisations_as_audience(
    client, trainer_a, org_tree
):
    client.force_login(trainer_a)

    form = _listed(client, f"{QUIZZES}add/")

    offered = form.split('name="organization"')[1].split("</select>")[0]
    assert "第一党支部" in offered and "第二党支部" in offered
    assert "一线党支部" not in offered and "生产党总支" not in offered and "测试党委" not in offered
    assert re.search(r'<option value="\d+" selected>机关党总支</option>', offered)


def test_site_admins_and_trainers_of_the_whole_tree_aim_anywhere(client, people, org_tree, banks):
    from lms.accounts.models import User

    client.force_login(people["trainer"])  # trainer of the only committee
    everyone = _quiz_for(client, banks, "全体党员测验", "standard", None)
    client.force_login(User.objects.create_superuser("root", password="x"))
    sibling = _quiz_for(client, banks, "管理员给一线支部的测验", "standard", org_tree["branch_b1"])

    assert everyone.status_code == 302, everyone.content.decode()[-2000:]
    assert Quiz.objects.get(title="全体党员测验").organization is None
    assert sibling.status_code == 302, sibling.content.decode()[-2000:]
