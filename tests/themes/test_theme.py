"""Per-site theme settings: two sites can look different; colours stay readable."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from tests.utils import ensure_site
from themes.colors import contrast_ratio
from themes.models import SiteTheme

pytestmark = pytest.mark.django_db


def test_default_colours_meet_wcag_aa():
    theme = SiteTheme()
    assert contrast_ratio("#ffffff", theme.primary_color) >= 4.5
    assert contrast_ratio(theme.accent_color, theme.primary_color) >= 4.5
    theme.clean()


def test_a_primary_colour_white_text_cannot_be_read_on_is_refused():
    theme = SiteTheme(primary_color="#ff8a80")

    with pytest.raises(ValidationError) as error:
        theme.clean()

    assert "WCAG AA" in str(error.value.message_dict["primary_color"])


def test_two_sites_look_different(client, people):
    home = ensure_site()
    default = Site.objects.get(is_default_site=True)
    other = Site.objects.create(hostname="branch.example.org", root_page=home, site_name="其他")
    SiteTheme.objects.update_or_create(
        site=default, defaults={"site_name": "示范集团党建慕课", "primary_color": "#b71c1c"}
    )
    SiteTheme.objects.update_or_create(
        site=other, defaults={"site_name": "研发党支部学习园地", "primary_color": "#0d47a1"}
    )
    client.force_login(people["member_a1"])

    first = client.get("/", HTTP_HOST="localhost")
    second = client.get("/", HTTP_HOST="branch.example.org")

    assert "示范集团党建慕课" in first.text and "--primary:#b71c1c" in first.text
    assert "研发党支部学习园地" in second.text and "--primary:#0d47a1" in second.text


def test_the_inline_theme_style_carries_the_csp_nonce(client, people):
    ensure_site()
    client.force_login(people["member_a1"])

    response = client.get("/")

    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<style nonce="{nonce}">' in response.text
