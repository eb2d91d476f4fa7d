"""Certificates: a PDF with the Chinese text embedded, checkable by code without logging in."""

import re

import pytest
from django.utils import timezone

from courses.completion import issue_certificate
from courses.enrolment import enroll
from courses.models import Certificate, new_certificate_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(people, course):
    enrollment, _created = enroll(people["member_a1"], course)
    enrollment.completed_at = timezone.now()
    enrollment.save()
    return issue_certificate(enrollment)


def test_codes_are_readable_and_unique():
    codes = {new_certificate_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"([A-HJ-NP-Z2-9]{4}-){3}[A-HJ-NP-Z2-9]{4}", c) for c in codes)


def test_issuing_twice_gives_the_same_certificate(people, course, certificate):
    enrollment = people["member_a1"].enrollments.get(course=course)
    assert issue_certificate(enrollment) == certificate
    assert Certificate.objects.count() == 1


def test_member_downloads_their_pdf_with_the_font_embedded(client, people, certificate):
    client.force_login(people["member_a1"])

    response = client.get(f"/learning/certificates/{certificate.code}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    assert b"/FontFile2" in pdf  # TrueType embedded, so 中文 shows on any reader
    assert b"WenQuanYi" in pdf
    assert f"/Subject ({certificate.code})".encode() in pdf


def test_other_members_cannot_download_it(client, people, certificate):
    client.force_login(people["member_a2"])
    assert client.get(f"/learning/certificates/{certificate.code}/pdf/").status_code == 404


def test_anyone_can_verify_a_code_without_logging_in(client, certificate):
    response = client.get(f"/certificates/verify/{certificate.code}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "证书真实有效" in page
    assert "刘洋" in page
    assert certificate.course_title in page


def test_verify_form_accepts_the_code_typed_loosely(client, certificate):
    loose = certificate.code.replace("-", "").lower()
    response = client.get("/certificates/verify/", {"code": loose})
    assert response.status_code == 200
    assert "证书真实有效" in response.content.decode()


def test_unknown_code_is_404_with_a_message(client, certificate):
    response = client.get("/certificates/verify/AAAA-BBBB-CCCC-DDDD/")
    assert response.status_code == 404
    assert "没有验证码为" in response.content.decode()
