"""`{% h5p_player package as player %}`: what `h5p/player.html` needs to play a package."""

from django import template

from ..services import player_for

register = template.Library()


@register.simple_tag(takes_context=True)
def h5p_player(context, package) -> dict | None:
    """The player's URLs, the member's grant to record results, and whether they completed it.

    None when there is no logged-in member to play for (or no package).
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if package is None or user is None or not user.is_authenticated:
        return None
    return player_for(user, package)
