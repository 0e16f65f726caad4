"""``{% avatar user size %}`` and ``{{ user|display_name }}`` for every page (profiles.avatars)."""

from django import template

from profiles import avatars

register = template.Library()


@register.simple_tag(takes_context=True)
def avatar(context, user, size=32):
    """The user's picture or initials avatar, ``size`` pixels square (a Profile works too),
    showing only what the page's viewer may see of the profile."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return avatars.avatar_html(user, size, viewer=viewer, check_visibility=True)


register.filter("display_name", avatars.display_name)
