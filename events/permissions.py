"""Row-level permissions for the admin: the model permission from the role, narrowed by events.scoping;
and the one door to a session's officer tools (the Run page's and field mode's views)."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from wagtail.permission_policies import ModelPermissionPolicy

from events import scoping as event_scoping
from events.services import sessions


def session_tool(view):
    """For a view of one session's officer tools (`view(request, session, ...)`, routed with the
    session's `pk`): load the session, as if it did not exist (404) for anyone who may not see it (another
    office's, another officer's), and refuse (403) anyone who sees it but may not run it."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        session = get_object_or_404(event_scoping.sessions_for(request.user).select_related("area"), pk=pk)
        # In scope already: running it needs only the permission (sessions.can_manage_session's other half).
        if not request.user.has_perm(sessions.CHANGE_SESSION):
            raise PermissionDenied
        return view(request, session, *args, **kwargs)

    return wrapper


class SessionPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and event_scoping.can_see_session(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return event_scoping.sessions_for(user)


class AreaPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and event_scoping.areas_for(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return event_scoping.areas_for(user)
