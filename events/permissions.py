"""Row-level permissions for the admin: officers act on their areas' sessions, supervisors on all."""

from wagtail.permission_policies import ModelPermissionPolicy

from .services import areas_for, manages_all_areas, sessions_for


class SessionPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return manages_all_areas(user) or sessions_for(user).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return sessions_for(user)


class AreaPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return manages_all_areas(user) or areas_for(user).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return areas_for(user)
