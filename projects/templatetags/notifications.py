"""``{% notifications_bell %}``: the header's link to the notifications with the unread
count, kept current by ``static/js/notifications.js`` over ``/ws/notifications/``."""

from django import template

from projects.selectors import notifications_unread_count

register = template.Library()


@register.inclusion_tag("projects/_notifications_bell.html", takes_context=True)
def notifications_bell(context) -> dict:
    user = context["user"]
    return {"unread_count": notifications_unread_count(user) if user.is_authenticated else 0}
