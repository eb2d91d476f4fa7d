"""Demo H5P activity: a QuickCheck question about the Zunyi Conference, for the demo course.

Built from the platform's own content type, so it plays on a fresh machine.
"""

from django.core.files.base import ContentFile

from lms.accounts.models import User

from . import services
from .content_types import quick_check_package
from .models import H5PPackage
from .permissions import default_organization

DEMO_TITLE = "遵义会议知识小测"


def demo_activity() -> H5PPackage | None:
    """The demo activity, once built."""
    return H5PPackage.objects.filter(title=DEMO_TITLE).order_by("pk").first()


def build(stdout=None) -> bool:
    """Upload the demo activity once; returns False when it already exists."""
    if demo_activity() is not None:
        return False
    data = quick_check_package(
        title=DEMO_TITLE,
        question="遵义会议是在哪一年召开的？",
        answers=["1921年", "1935年", "1945年", "1949年"],
        correct=1,
        correct_feedback="回答正确！遵义会议于1935年1月在贵州遵义召开，是党的历史上生死攸关的转折点。",
        wrong_feedback="再想一想：遵义会议是在红军长征途中召开的。",
    )
    trainer = User.objects.filter(username="trainer").first()
    package = services.create_package(
        ContentFile(data, name="zunyi.h5p"),
        title=DEMO_TITLE,
        uploaded_by=trainer,
        # The committee trainer's: every trainer below may use it, only they manage it.
        organization=default_organization(trainer) if trainer else None,
    )
    if stdout is not None:
        stdout.write(f"  H5P activity: {package.title} ({package.main_library})")
    return True
