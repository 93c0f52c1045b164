"""`{{ timer.purpose|purpose_label }}`, `{{ event.action|event_label }}`: the labels of `yizhan.hall.labels`."""

from django import template

from yizhan.hall import labels

register = template.Library()

register.filter("purpose_label", labels.purpose_label)
register.filter("event_label", labels.event_label)
