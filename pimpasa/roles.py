"""The three roles of the back office, as Django groups with their permissions.

Editors write the public material; officers (PIMPASA) run their areas' sessions and triage their
tips; supervisors see everything of their office, export, and may see who reported a tip. Above the
offices, the Directorate's monitoring team (national) sees every office's figures and a Kantor Wilayah
(regional) its region's offices' figures, never a tip's text or a reporter's identity, except that the
national team reads (read-only, without the reporter) the tips an office's supervisor shared with it. Which office or
region a person belongs to is offices.Membership; the row-level rules are each app's `scoping` module
(offices.scoping, events.scoping, reporting.tips.scoping, reporting.exports.scoping); groups carry
only model permissions.
Run through `manage.py setup`, idempotently: a permission removed here is removed from the group.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

EDITOR = "Editor"
OFFICER = "Petugas PIMPASA"
SUPERVISOR = "Supervisor"
NATIONAL = "Pemantau Nasional"
REGIONAL = "Kantor Wilayah"

ROLE_LABELS = {
    EDITOR: _("Editor"),
    OFFICER: _("PIMPASA officer"),
    SUPERVISOR: _("Supervisor"),
    NATIONAL: _("National monitoring (Directorate)"),
    REGIONAL: _("Regional office (Kantor Wilayah)"),
}

# Model permissions per role, as "app_label.codename". Apps add theirs here as they grow.
ROLE_PERMISSIONS = {
    EDITOR: [
        "wagtailadmin.access_admin",
        # The public site: topics and the contact/hotline settings shown in every footer.
        "cms.add_topic",
        "cms.change_topic",
        "cms.delete_topic",
        "cms.view_topic",
        "cms.change_contactsettings",
        # Translate in a page's (or topic's) menu: a linked copy in the other language to rewrite.
        "simple_translation.submit_translation",
    ],
    OFFICER: [
        "wagtailadmin.access_admin",
        # Sessions of their own areas only (events.scoping); areas are read-only to them.
        "events.add_session",
        "events.change_session",
        "events.view_session",
        "events.view_area",
        # Tips of their areas and sessions (the row-level rule is in reporting.tips.scoping).
        "reporting.view_tip",
        "reporting.change_tip",
        # Referrals of the tips they may triage; agencies are read-only to them.
        "reporting.add_referral",
        "reporting.view_referral",
        "reporting.view_agency",
        # Exports: attendance of the officer's own areas only (reporting.exports.scoping.export_areas_for).
        "reporting.export_attendance",
    ],
    SUPERVISOR: [
        "wagtailadmin.access_admin",
        "cms.view_topic",
        "simple_translation.submit_translation",  # they edit pages too (PAGE_PERMISSIONS)
        "events.add_session",
        "events.change_session",
        "events.delete_session",
        "events.view_session",
        "events.manage_all_sessions",
        "events.add_area",
        "events.change_area",
        "events.delete_area",
        "events.view_area",
        "reporting.view_tip",
        "reporting.change_tip",
        "reporting.view_all_tips",
        "reporting.view_reporter_identity",
        # Share one of their office's tips with the Directorate (reporting.tips.services.shares).
        "reporting.share_tip",
        # Referrals, the agencies they go to and the deadlines (service levels) per category.
        "reporting.add_referral",
        "reporting.view_referral",
        "reporting.change_referral",
        "reporting.add_agency",
        "reporting.change_agency",
        "reporting.delete_agency",
        "reporting.view_agency",
        "reporting.add_servicelevel",
        "reporting.change_servicelevel",
        "reporting.view_servicelevel",
        # Exports: everything, and every requester's files.
        "reporting.export_attendance",
        "reporting.export_all_areas",
        "reporting.export_tips",
        "reporting.export_monthly_report",
        "reporting.manage_all_exports",
        # The monitoring page and quarterly workbook of their own office (reporting.monitoring).
        "reporting.monitor_own_office",
        # Sign-in lockouts: see them and unlock (pimpasa.logins).
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        # Second factor: reset another account's after they lost phone and recovery codes
        # (pimpasa.two_factor; audited).
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
    ],
    # Figures only: the dashboard of every office (national) or of their region's (regional). No
    # view_tip, view_session: tips' pages, their text and reporters, and attendees stay with offices.
    NATIONAL: [
        "wagtailadmin.access_admin",
        "offices.monitor_all_offices",
        "offices.view_office",
        "offices.view_region",
        # The sessions each office is asked to hold per quarter (reporting.monitoring).
        "reporting.add_sessiontarget",
        "reporting.change_sessiontarget",
        "reporting.delete_sessiontarget",
        "reporting.view_sessiontarget",
    ],
    REGIONAL: [
        "wagtailadmin.access_admin",
        "offices.monitor_region",
        "offices.view_office",
    ],
}

# Wagtail page and collection permissions: editors publish material; supervisors may too.
PAGE_PERMISSIONS = {
    EDITOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    SUPERVISOR: ["add_page", "change_page", "publish_page"],
}
COLLECTION_PERMISSIONS = {
    EDITOR: [
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    ],
    SUPERVISOR: ["choose_image", "choose_document"],
}


def _permissions(names):
    by_name = {}
    for name in names:
        app_label, codename = name.split(".", 1)
        by_name[(app_label, codename)] = name
    found = Permission.objects.filter(content_type__app_label__in={a for a, _ in by_name}).select_related(
        "content_type"
    )
    result = [p for p in found if (p.content_type.app_label, p.codename) in by_name]
    missing = set(by_name) - {(p.content_type.app_label, p.codename) for p in result}
    if missing:
        raise LookupError(f"Unknown permissions: {sorted(missing)}")
    return result


@transaction.atomic
def ensure_roles():
    """Create or update the three groups; returns them by name."""
    groups = {}
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for name, permission_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(permission_names))
        if root_page is not None:
            for codename in PAGE_PERMISSIONS.get(name, []):
                permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
                GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
        if root_collection is not None:
            for codename in COLLECTION_PERMISSIONS.get(name, []):
                app_label = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
                permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
        groups[name] = group
    return groups
