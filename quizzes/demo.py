"""Demo quizzes and points: three question banks (党史, 党章党规, 理论学习), a daily-quiz bank,
the daily quiz, a course exam, a special-topic quiz, an open and a finished contest, and two
weeks of points for the demo members so that the leaderboards have something to show."""

import datetime as dt
import random

from django.utils import timezone

from lms.accounts.models import User
from lms.core import days
from lms.orgs.models import PartyOrganization

from . import points, services
from .models import Question, QuestionBank, QuestionOption, Quiz, QuizDrawRule, QuizQuestion

HISTORY_BANK = "党史知识题库"
RULES_BANK = "党章党规题库"
THEORY_BANK = "理论学习题库"
DAILY_BANK = "每日答题题库"
EXAM_TITLE = "党章党规知识测验"

S, M, T, F = (
    Question.Type.SINGLE,
    Question.Type.MULTIPLE,
    Question.Type.TRUE_FALSE,
    Question.Type.FILL_BLANK,
)
EASY, MEDIUM, HARD = Question.Difficulty.EASY, Question.Difficulty.MEDIUM, Question.Difficulty.HARD

# (type, stem, options with the correct ones marked "*" / accepted answers, explanation,
#  difficulty, knowledge points)
HISTORY = [
    (
        S,
        "中国共产党第一次全国代表大会于哪一年召开？",
        ["1919年", "*1921年", "1927年", "1949年"],
        "1921年7月，中国共产党第一次全国代表大会召开，宣告中国共产党正式成立。",
        EASY,
        ["建党"],
    ),
    (
        S,
        "中共一大最后一天的会议转移到何处举行？",
        ["上海法租界", "*浙江嘉兴南湖", "北京", "广州"],
        "因会场受到暗探注意，一大最后一天的会议转移到浙江嘉兴南湖的一条游船上举行。",
        MEDIUM,
        ["建党"],
    ),
    (
        S,
        "打响武装反抗国民党反动派第一枪的是哪次起义？",
        ["*南昌起义", "秋收起义", "广州起义", "百色起义"],
        "1927年8月1日的南昌起义打响了武装反抗国民党反动派的第一枪。",
        EASY,
        ["土地革命"],
    ),
    (
        S,
        "确立毛泽东在红军和党中央领导地位的会议是？",
        ["古田会议", "八七会议", "*遵义会议", "洛川会议"],
        "1935年1月召开的遵义会议是党的历史上一个生死攸关的转折点。",
        EASY,
        ["长征"],
    ),
    (
        S,
        "提出“思想建党、政治建军”原则的是哪次会议？",
        ["遵义会议", "*古田会议", "八七会议", "瓦窑堡会议"],
        "1929年12月的古田会议确立了思想建党、政治建军的原则。",
        MEDIUM,
        ["土地革命"],
    ),
    (
        S,
        "红军三大主力会师、长征胜利结束是在哪一年？",
        ["1934年", "1935年", "*1936年", "1937年"],
        "1936年10月，红军三大主力在甘肃会宁、将台堡会师，长征胜利结束。",
        MEDIUM,
        ["长征"],
    ),
    (
        M,
        "抗日战争时期，中国共产党领导的抗日武装有哪些？",
        ["*八路军", "*新四军", "*东北抗日联军", "北洋军"],
        "八路军、新四军和东北抗日联军都是党领导的抗日武装。",
        MEDIUM,
        ["抗日战争"],
    ),
    (
        M,
        "党在新民主主义革命时期战胜敌人的“三大法宝”是？",
        ["*统一战线", "*武装斗争", "*党的建设", "土地改革"],
        "毛泽东在《〈共产党人〉发刊词》中把统一战线、武装斗争、党的建设称为三个主要的法宝。",
        HARD,
        ["新民主主义革命"],
    ),
    (
        T,
        "八七会议确定了实行土地革命和武装反抗国民党反动派的总方针。",
        ["*正确", "错误"],
        "1927年8月7日的八七会议确定了这一总方针。",
        MEDIUM,
        ["土地革命"],
    ),
    (
        T,
        "南昌起义发生在1928年。",
        ["正确", "*错误"],
        "南昌起义发生在1927年8月1日。",
        EASY,
        ["土地革命"],
    ),
    (
        T,
        "党的十一届三中全会作出了把党和国家工作中心转移到经济建设上来的战略决策。",
        ["*正确", "错误"],
        "1978年12月召开的十一届三中全会实现了新中国成立以来党的历史上具有深远意义的伟大转折。",
        EASY,
        ["改革开放"],
    ),
    (
        T,
        "党的七届二中全会在西柏坡召开，提出了“两个务必”。",
        ["*正确", "错误"],
        "1949年3月，七届二中全会提出务必使同志们继续地保持谦虚、谨慎、不骄、不躁的作风，"
        "务必使同志们继续地保持艰苦奋斗的作风。",
        MEDIUM,
        ["新民主主义革命"],
    ),
    (F, "中国共产党成立于____年。", ["1921", "一九二一"], "1921年中国共产党成立。", EASY, ["建党"]),
    (
        F,
        "1945年召开的党的第____次全国代表大会，确立毛泽东思想为党的指导思想。",
        ["七", "7"],
        "党的七大把毛泽东思想确立为党的指导思想并写入党章。",
        MEDIUM,
        ["抗日战争"],
    ),
]

RULES = [
    (
        S,
        "党的最高领导机关是？",
        [
            "*党的全国代表大会和它所产生的中央委员会",
            "党的中央纪律检查委员会",
            "党的中央军事委员会",
            "中央政治局常务委员会",
        ],
        "党章规定，党的最高领导机关是党的全国代表大会和它所产生的中央委员会。",
        EASY,
        ["党章"],
    ),
    (
        S,
        "预备党员的预备期为多长时间？",
        ["半年", "*一年", "两年", "三年"],
        "党章规定，预备党员的预备期为一年。",
        EASY,
        ["党章", "发展党员"],
    ),
    (
        S,
        "党员没有正当理由，连续几个月不参加党的组织生活、不交纳党费、不做党所分配的工作，"
        "就被认为是自行脱党？",
        ["三个月", "*六个月", "九个月", "十二个月"],
        "党章第九条规定为连续六个月。",
        MEDIUM,
        ["党章"],
    ),
    (
        S,
        "“三会一课”中的“一课”指的是？",
        ["团课", "*党课", "专题讲座", "网络课程"],
        "“三会一课”指支部党员大会、党支部委员会会议、党小组会和党课。",
        EASY,
        ["组织生活"],
    ),
    (
        M,
        "党的纪律处分有哪几种？",
        ["*警告", "*严重警告", "*撤销党内职务", "*留党察看", "*开除党籍", "罚款"],
        "党章规定党的纪律处分有五种：警告、严重警告、撤销党内职务、留党察看、开除党籍。",
        MEDIUM,
        ["党章", "纪律"],
    ),
    (
        M,
        "民主集中制的基本原则包括哪些？",
        [
            "*党员个人服从党的组织",
            "*少数服从多数",
            "*下级组织服从上级组织",
            "*全党各个组织和全体党员服从党的全国代表大会和中央委员会",
            "上级组织服从下级组织",
        ],
        "以上四个服从是党章规定的民主集中制基本原则。",
        HARD,
        ["党章"],
    ),
    (
        T,
        "党的根本宗旨是全心全意为人民服务。",
        ["*正确", "错误"],
        "这是党章的规定。",
        EASY,
        ["党章"],
    ),
    (
        T,
        "预备党员享有表决权、选举权和被选举权。",
        ["正确", "*错误"],
        "预备党员的权利，除了没有表决权、选举权和被选举权以外，同正式党员一样。",
        MEDIUM,
        ["党章", "发展党员"],
    ),
    (
        T,
        "发展党员，必须经过党的支部，坚持个别吸收的原则。",
        ["*正确", "错误"],
        "这是党章第五条的规定。",
        EASY,
        ["发展党员"],
    ),
    (
        T,
        "党支部党员大会一般每季度召开一次。",
        ["*正确", "错误"],
        "《中国共产党支部工作条例（试行）》规定，党员大会一般每季度召开1次。",
        MEDIUM,
        ["组织生活"],
    ),
    (
        F,
        "年满____岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，可以申请加入"
        "中国共产党。",
        ["十八", "18"],
        "党章第一条规定为年满十八岁。",
        EASY,
        ["发展党员"],
    ),
    (
        F,
        "企业、农村、机关等基层单位，凡是有正式党员____人以上的，都应当成立党的基层组织。",
        ["三", "3"],
        "党章第三十条规定为正式党员三人以上。",
        MEDIUM,
        ["党章", "组织生活"],
    ),
]

THEORY = [
    (
        S,
        "马克思主义中国化的第一个重大理论成果是？",
        ["*毛泽东思想", "邓小平理论", "“三个代表”重要思想", "科学发展观"],
        "毛泽东思想是马克思主义中国化的第一个重大理论成果。",
        EASY,
        ["理论成果"],
    ),
    (
        S,
        "科学发展观的第一要义是？",
        ["*发展", "以人为本", "全面协调可持续", "统筹兼顾"],
        "科学发展观第一要义是发展，核心是以人为本，基本要求是全面协调可持续，根本方法是统筹兼顾。",
        MEDIUM,
        ["理论成果"],
    ),
    (
        M,
        "新发展理念包括哪些？",
        ["*创新", "*协调", "*绿色", "*开放", "*共享", "保守"],
        "新发展理念是创新、协调、绿色、开放、共享的发展理念。",
        EASY,
        ["新发展理念"],
    ),
    (
        M,
        "社会主义核心价值观中，国家层面的价值目标是？",
        ["*富强", "*民主", "*文明", "*和谐", "自由", "平等"],
        "国家层面：富强、民主、文明、和谐；社会层面：自由、平等、公正、法治。",
        MEDIUM,
        ["核心价值观"],
    ),
    (
        T,
        "“四个自信”是指道路自信、理论自信、制度自信、文化自信。",
        ["*正确", "错误"],
        "坚定中国特色社会主义道路自信、理论自信、制度自信、文化自信。",
        EASY,
        ["四个自信"],
    ),
    (
        T,
        "“四个意识”是指政治意识、大局意识、核心意识、看齐意识。",
        ["*正确", "错误"],
        "增强政治意识、大局意识、核心意识、看齐意识。",
        EASY,
        ["四个意识"],
    ),
    (
        T,
        "科学发展观的核心是全面协调可持续。",
        ["正确", "*错误"],
        "科学发展观的核心是以人为本，全面协调可持续是基本要求。",
        MEDIUM,
        ["理论成果"],
    ),
    (
        F,
        "社会主义核心价值观中，个人层面的价值准则是爱国、敬业、诚信、____。",
        ["友善"],
        "个人层面：爱国、敬业、诚信、友善。",
        EASY,
        ["核心价值观"],
    ),
    (
        F,
        "中国特色社会主义最本质的特征是中国____的领导。",
        ["共产党", "中国共产党"],
        "中国共产党领导是中国特色社会主义最本质的特征。",
        EASY,
        ["党的领导"],
    ),
]


def _make_bank(
    name: str, description: str, items: list, organization: PartyOrganization | None = None
) -> QuestionBank:
    bank = QuestionBank.objects.create(
        name=name, description=description, organization=organization
    )
    for qtype, stem, answers, explanation, difficulty, tags in items:
        question = Question(
            bank=bank,
            type=qtype,
            stem=stem,
            explanation=explanation,
            difficulty=difficulty,
            accepted_answers="\n".join(answers) if qtype == F else "",
        )
        question.save()
        if qtype != F:
            QuestionOption.objects.bulk_create(
                [
                    QuestionOption(
                        question=question,
                        text=text.lstrip("*"),
                        is_correct=text.startswith("*"),
                        sort_order=order,
                    )
                    for order, text in enumerate(answers)
                ]
            )
        question.tags.add(*tags)
        question.save()
    return bank


def demo_exam() -> Quiz | None:
    """The quiz the demo course uses as its exam."""
    return Quiz.objects.filter(title=EXAM_TITLE).first()


def _answers(attempt, rng: random.Random, skill: float) -> dict:
    """Answers a member of the given skill (0–1) would give: right with that probability."""
    answers = {}
    for item in attempt.layout:
        question = Question.objects.get(pk=item["question"])
        right = rng.random() < skill
        if question.type == F:
            answers[str(question.pk)] = question.accepted_answer_list()[0] if right else "不知道"
        else:
            correct = [o for o in item["options"] if QuestionOption.objects.get(pk=o).is_correct]
            wrong = [o for o in item["options"] if o not in correct]
            answers[str(question.pk)] = correct if right or not wrong else [wrong[0]]
    return answers


def build(stdout=None) -> bool:
    """Create the demo banks, quizzes and points once; False when they exist."""
    if QuestionBank.objects.filter(name=HISTORY_BANK).exists():
        return False
    rng = random.Random(20260701)  # noqa: S311 — reproducible demo data, not secrets
    now = timezone.now()
    # The committee's banks and quizzes are the demo trainer's; the daily bank and the daily
    # quiz are the platform's (site admins).
    owner = PartyOrganization.objects.filter(code="DEMO").first()
    history = _make_bank(
        HISTORY_BANK, "党的历史：建党、土地革命、长征、抗战、改革开放。", HISTORY, owner
    )
    rules = _make_bank(RULES_BANK, "党章、支部工作条例等党内法规。", RULES, owner)
    _make_bank(THEORY_BANK, "党的创新理论与核心价值观。", THEORY, owner)
    daily_bank = _make_bank(DAILY_BANK, "每日答题从这里抽题。", HISTORY + RULES + THEORY)

    daily = Quiz.objects.create(
        title="每日答题",
        kind=Quiz.Kind.DAILY,
        selection=Quiz.Selection.RANDOM,
        description="每天 5 道题，每答对 1 题得 1 积分。",
    )
    QuizDrawRule.objects.create(quiz=daily, bank=daily_bank, count=5)

    exam = Quiz.objects.create(
        title=EXAM_TITLE,
        description="课程结业考试：10 道题，60 分及格，可作答 3 次。",
        time_limit_minutes=15,
        max_attempts=3,
        pass_mark=60,
        listed=True,
        managed_by=owner,
    )
    QuizQuestion.objects.bulk_create(
        [
            QuizQuestion(quiz=exam, question=q, sort_order=i)
            for i, q in enumerate(rules.questions.order_by("pk")[:10])
        ]
    )

    special = Quiz.objects.create(
        title="党史学习教育专项答题",
        kind=Quiz.Kind.SPECIAL,
        selection=Quiz.Selection.RANDOM,
        description="10 道党史题，限时 10 分钟，及格即得专项答题积分。",
        time_limit_minutes=10,
        opens_at=now - dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=14),
        managed_by=owner,
    )
    QuizDrawRule.objects.create(quiz=special, bank=history, count=10)

    committee = PartyOrganization.objects.filter(code="DEMO").first()
    members = list(
        User.objects.filter(committee.in_subtree("profile__organization"))
        .select_related("profile__organization")
        .order_by("pk")
        if committee is not None
        else []
    )
    if committee is not None:
        _contests(committee, history, rules, members, rng, now)
        _points_history(members, rng, now)
    if stdout is not None:
        stdout.write(
            f"  question banks: {QuestionBank.objects.count()}, "
            f"questions: {Question.objects.count()}, quizzes: {Quiz.objects.count()}"
        )
    return True


def _contests(committee, history, rules, members, rng, now) -> None:
    def contest(title, opens, closes):
        quiz = Quiz.objects.create(
            title=title,
            kind=Quiz.Kind.CONTEST,
            selection=Quiz.Selection.RANDOM,
            description="10 道题，限时 10 分钟，只能作答一次；按得分、再按用时排名。",
            time_limit_minutes=10,
            max_attempts=1,
            organization=committee,
            managed_by=committee,
            opens_at=opens,
            closes_at=closes,
        )
        QuizDrawRule.objects.create(quiz=quiz, bank=history, count=5)
        QuizDrawRule.objects.create(quiz=quiz, bank=rules, count=5)
        return quiz

    contest("“学党章、守党规”知识竞赛", now - dt.timedelta(days=1), now + dt.timedelta(days=6))
    finished = contest(
        "“七一”党史知识竞赛", now - dt.timedelta(days=10), now - dt.timedelta(days=3)
    )
    for member in rng.sample(members, min(24, len(members))):
        started = finished.opens_at + dt.timedelta(hours=rng.randrange(1, 150))
        attempt = services.start_attempt(member, finished, at=started).attempt
        services.submit_attempt(
            member,
            attempt.pk,
            _answers(attempt, rng, rng.uniform(0.5, 0.95)),
            at=started + dt.timedelta(seconds=rng.randrange(90, 590)),
        )
    services.award_contest_placings(finished, at=now)


def _points_history(members, rng, now) -> None:
    """Two weeks of study for each demo member, through `award_points` like real activity."""
    today = days.day_of(now)
    for member in members:
        zeal = rng.uniform(0.3, 1.0)
        for days_ago in range(13, -1, -1):
            day = today - dt.timedelta(days=days_ago)
            at = timezone.make_aware(
                dt.datetime.combine(day, dt.time(8 + rng.randrange(0, 3), rng.randrange(60)))
            )
            if days_ago == 0:
                at = min(at, now)
            if rng.random() > zeal:
                continue
            login_key = points.point_key(points.DAILY_LOGIN, member.pk, day.isoformat())
            points.award_points(member, points.DAILY_LOGIN, "", login_key, at=at)
            for code, most in (
                (points.LESSON_COMPLETED, 4),
                (points.VIDEO_MINUTES, 6),
                (points.DAILY_QUIZ_CORRECT, 5),
            ):
                events = rng.randrange(0, most + 1)
                if events:
                    key = points.point_key(code, member.pk, "demo", day.isoformat())
                    points.award_points(member, code, "", key, events=events, at=at)
