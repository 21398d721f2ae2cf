"""Row-level permissions for the admin: the model permission from the role, narrowed by pimpasa.scoping."""

from wagtail.permission_policies import ModelPermissionPolicy

from pimpasa import scoping


class SessionPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and scoping.can_see_session(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return scoping.sessions_for(user)


class AreaPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action) and scoping.areas_for(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return scoping.areas_for(user)
