from django import template

from chat.api.serializers import message_label
from chat.rendering import message_html

register = template.Library()

register.filter("message_html", message_html)
register.filter("message_label", message_label)
