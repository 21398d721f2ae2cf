"""Row-level permissions for tips in the admin: the model permission from the role, narrowed by
reporting.tips.scoping (like events/permissions.py for sessions and areas)."""

from wagtail.permission_policies import ModelPermissionPolicy

from reporting.tips import scoping as tip_scoping

from .models import Tip


class TipPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the roles, narrowed to the tips each user may see.

    Tips come only from the public form and are never deleted by hand (retention purges what must
    go), so "add" and "delete" are refused to everyone, superusers included.
    """

    def user_has_permission(self, user, action):
        if action in {"add", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and tip_scoping.can_see_tip(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Tip.objects.none()
        return tip_scoping.tips_for(user)
