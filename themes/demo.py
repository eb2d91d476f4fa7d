"""Demo theme: the default site's name, tagline and footer."""

from wagtail.models import Site

from .models import SiteTheme


def build(stdout=None) -> bool:
    site = Site.objects.get(is_default_site=True)
    theme = SiteTheme.for_site(site)
    if theme.footer_text:
        return False
    theme.site_name = "党建慕课"
    theme.tagline = "不忘初心 牢记使命"
    theme.footer_text = "中共示范集团委员会 · 党建慕课学习平台"
    theme.save()
    return True
