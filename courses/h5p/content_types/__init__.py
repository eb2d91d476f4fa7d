"""The platform's own H5P content type, PartyMooc.QuickCheck, and packages built from it.

The demo course and the test suite use it: an .h5p package that plays on a fresh machine
without any third-party H5P library.
"""

import io
import json
import zipfile
from pathlib import Path

QUICK_CHECK = "PartyMooc.QuickCheck"
QUICK_CHECK_FOLDER = Path(__file__).parent / "PartyMooc.QuickCheck-1.0"


def quick_check_package(
    *,
    title: str,
    question: str,
    answers: list[str],
    correct: int,
    correct_feedback: str = "回答正确！",
    wrong_feedback: str = "再想一想。",
) -> bytes:
    """An .h5p file (bytes) of one QuickCheck question."""
    manifest = {
        "title": title,
        "language": "zh-hans",
        "mainLibrary": QUICK_CHECK,
        "embedTypes": ["div", "iframe"],
        "license": "U",
        "preloadedDependencies": [
            {"machineName": QUICK_CHECK, "majorVersion": 1, "minorVersion": 0}
        ],
    }
    content = {
        "question": question,
        "answers": answers,
        "correct": correct,
        "correctFeedback": correct_feedback,
        "wrongFeedback": wrong_feedback,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("h5p.json", json.dumps(manifest, ensure_ascii=False))
        archive.writestr("content/content.json", json.dumps(content, ensure_ascii=False))
        for path in sorted(QUICK_CHECK_FOLDER.iterdir()):
            archive.write(path, f"{QUICK_CHECK_FOLDER.name}/{path.name}")
    return buffer.getvalue()
