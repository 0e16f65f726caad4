from django import template

from chat.rendering import message_html, message_label

register = template.Library()

register.filter("message_html", message_html)
register.filter("message_label", message_label)
