"""Completion certificates as PDF (reportlab), with a verification code and QR code.

The Chinese font must be TrueType for reportlab to embed it (the Noto CJK fonts are CFF
based); `make` installs WenQuanYi Zen Hei, whose path is the COURSES_CERTIFICATE_FONT setting.
"""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from .models import Certificate

FONT_NAME = "CertificateCJK"
PARTY_RED = HexColor("#b71c1c")
GOLD = HexColor("#c9a227")


def _register_font() -> str:
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(
            TTFont(FONT_NAME, settings.COURSES_CERTIFICATE_FONT, subfontIndex=0)
        )
    return FONT_NAME


def _hours(value) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def certificate_pdf(certificate: Certificate, verify_url: str, issuer: str = "") -> io.BytesIO:
    """The certificate as a one-page A4 landscape PDF."""
    font = _register_font()
    issuer = issuer or settings.WAGTAIL_SITE_NAME
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"结业证书 {certificate.code}")
    pdf.setAuthor(issuer)
    pdf.setSubject(certificate.code)

    pdf.setStrokeColor(PARTY_RED)
    pdf.setLineWidth(6)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setStrokeColor(GOLD)
    pdf.setLineWidth(1.5)
    pdf.rect(17 * mm, 17 * mm, width - 34 * mm, height - 34 * mm)

    pdf.setFillColor(PARTY_RED)
    pdf.setFont(font, 40)
    pdf.drawCentredString(width / 2, height - 55 * mm, "结 业 证 书")
    pdf.setFont(font, 13)
    pdf.setFillColor(HexColor("#5f5f5f"))
    pdf.drawCentredString(width / 2, height - 66 * mm, "CERTIFICATE OF COMPLETION")

    completed = timezone.localtime(certificate.completed_at)
    holder = certificate.holder_name
    if certificate.organization_name:
        holder = f"{holder}（{certificate.organization_name}）"
    text = (
        f"兹证明 <b>{escape(holder)}</b> 于 "
        f"{completed.year} 年 {completed.month} 月 {completed.day} 日完成课程"
        f"《{escape(certificate.course_title)}》的学习，"
        f"计 {_hours(certificate.credit_hours)} 学时。特发此证。"
    )
    style = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=18,
        leading=32,
        textColor=HexColor("#1f1f1f"),
        wordWrap="CJK",
        firstLineIndent=36,
    )
    paragraph = Paragraph(text, style)
    box_width = width - 90 * mm
    _w, box_height = paragraph.wrap(box_width, height)
    paragraph.drawOn(pdf, 45 * mm, height - 85 * mm - box_height)

    pdf.setFillColor(HexColor("#1f1f1f"))
    pdf.setFont(font, 16)
    pdf.drawRightString(width - 45 * mm, 58 * mm, issuer)
    pdf.setFont(font, 13)
    pdf.drawRightString(
        width - 45 * mm,
        50 * mm,
        f"{completed.year} 年 {completed.month} 月 {completed.day} 日",
    )

    qr = QrCodeWidget(verify_url)
    x0, y0, x1, y1 = qr.getBounds()
    size = 30 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, 40 * mm, 30 * mm)
    pdf.setFont(font, 10)
    pdf.setFillColor(HexColor("#5f5f5f"))
    pdf.drawString(75 * mm, 50 * mm, f"验证码：{certificate.code}")
    pdf.drawString(75 * mm, 43 * mm, "扫描二维码或访问以下网址核验本证书：")
    pdf.drawString(75 * mm, 36 * mm, verify_url)

    pdf.showPage()
    pdf.save()
    buffer.seek(0)
    return buffer
