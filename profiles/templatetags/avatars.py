"""``{% avatar user size %}`` and ``{{ user|display_name }}`` for every page (profiles.avatars)."""

from django import template

from profiles import avatars

register = template.Library()


@register.simple_tag
def avatar(user, size=32):
    """The user's picture or initials avatar, ``size`` pixels square (a Profile works too)."""
    return avatars.avatar_html(user, size)


register.filter("display_name", avatars.display_name)
