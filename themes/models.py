"""Per-site look: name, logo and colours, edited in Wagtail's Settings menu."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .colors import HEX_COLOR, WCAG_AA_NORMAL_TEXT, contrast_ratio, darken

WHITE = "#ffffff"
TEXT_DARK = "#1f1f1f"


def _validate_hex(value: str) -> None:
    if not HEX_COLOR.match(value):
        raise ValidationError(_("Enter a colour as #rrggbb, e.g. #b71c1c."))


@register_setting(icon="view")
class SiteTheme(BaseSiteSetting):
    """The theme of one Wagtail site, so two sites (two organisations) can look different."""

    site_name = models.CharField(_("site name"), max_length=60, default="党建慕课")
    tagline = models.CharField(
        _("tagline"), max_length=120, blank=True, default="不忘初心 牢记使命"
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    primary_color = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#b71c1c",
        validators=[_validate_hex],
        help_text=_("Used for the header and buttons; white text on it must stay readable."),
    )
    accent_color = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#ffd54f",
        validators=[_validate_hex],
        help_text=_("Used for highlights on the primary colour; must be readable on it."),
    )
    footer_text = models.CharField(_("footer text"), max_length=200, blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("site_name"), FieldPanel("tagline"), FieldPanel("logo")], _("Identity")
        ),
        MultiFieldPanel([FieldPanel("primary_color"), FieldPanel("accent_color")], _("Colours")),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("site theme")

    def clean(self) -> None:
        errors = {}
        if HEX_COLOR.match(self.primary_color or ""):
            ratio = contrast_ratio(WHITE, self.primary_color)
            if ratio < WCAG_AA_NORMAL_TEXT:
                errors["primary_color"] = _(
                    "White text on this colour has a contrast of %(ratio).1f:1; WCAG AA needs "
                    "at least 4.5:1. Choose a darker colour."
                ) % {"ratio": ratio}
            elif HEX_COLOR.match(self.accent_color or ""):
                ratio = contrast_ratio(self.accent_color, self.primary_color)
                if ratio < WCAG_AA_NORMAL_TEXT:
                    errors["accent_color"] = _(
                        "This colour on the primary colour has a contrast of %(ratio).1f:1; "
                        "WCAG AA needs at least 4.5:1."
                    ) % {"ratio": ratio}
        if errors:
            raise ValidationError(errors)

    @property
    def primary_dark(self) -> str:
        return darken(self.primary_color, 0.8)

    @property
    def css_variables(self) -> str:
        return (
            f"--primary:{self.primary_color};--primary-dark:{self.primary_dark};"
            f"--accent:{self.accent_color};--on-primary:{WHITE};--text:{TEXT_DARK};"
        )
