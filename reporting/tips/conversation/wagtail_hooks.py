"""The audit log's names for the conversation's events (imported by reporting/wagtail_hooks.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_conversation_log_actions(actions):
    actions.register_action(
        "reporting.tip.message", _("Send a message to the reporter"), _("Message sent to the reporter")
    )
    actions.register_action("reporting.tip.reply", _("Answer from the reporter"), _("Reporter answered"))
    actions.register_action(
        "reporting.tip.message_shared",
        _("Share a reporter's message with an agency"),
        _("Reporter's message shared with an agency"),
    )
