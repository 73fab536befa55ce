"""Roles as data: five Django groups, each with exactly the permissions declared here.

A manager sees them, and who is in them, under Settings > Groups. `sync_roles` (run after every
migrate) creates a missing group and sets each role's permissions to exactly the declared set, so a
permission added by hand in the admin is taken away again at the next deploy: least privilege holds.
Checks everywhere use permissions (`user.has_perm`), never group names; superusers may do everything.

Permissions are named "app_label.codename". A permission whose app has not landed yet is skipped with
a warning (the patient record and the audit log arrive in parallel) and granted by the first sync after.

`PAGE_PERMISSIONS` and `COLLECTION_PERMISSIONS` are Wagtail's per-tree grants (pages from the root,
images and documents in the root collection), synced the same way for the roles that list them.
"""

import logging

from django.contrib.auth.models import Group, Permission

logger = logging.getLogger(__name__)

RECEPTION, PRACTITIONER, PRESCRIBER, MANAGER, EDITOR = (
    "Reception",
    "Practitioner",
    "Prescriber",
    "Practice manager",
    "Content editor",
)

ADMIN = ["wagtailadmin.access_admin"]

# The diary: see it (with the set-up it draws on), run it, block time.
DIARY = [
    "staff.use_diary",
    "booking.view_appointment",
    "booking.view_location",
    "booking.view_room",
    "booking.view_practitioner",
    "booking.view_service",
    "booking.view_weeklyrota",
    "booking.view_timeoff",
    "booking.add_timeoff",
]
# A patient's record without its clinical part: name, contact details, date of birth.
PATIENT_CONTACT = ["patients.view_patient", "patients.add_patient", "patients.change_patient"]
CLINICAL = ["patients.view_clinical", "patients.change_clinical"]

_BOOKING_SET_UP = [
    f"booking.{action}_{model}"
    for model in ("service", "weeklyrota", "location", "room", "practitioner", "timeoff", "clinicclosure")
    for action in ("add", "change", "delete", "view")
]

ROLES: dict[str, list[str]] = {
    RECEPTION: [*ADMIN, *DIARY, *PATIENT_CONTACT],
    PRACTITIONER: [*ADMIN, *DIARY, *PATIENT_CONTACT, *CLINICAL],
    # Prescribing (prescriptions, charting) arrives later and is granted here when it does.
    PRESCRIBER: [*ADMIN, *DIARY, *PATIENT_CONTACT, *CLINICAL],
    MANAGER: [
        *ADMIN,
        *DIARY,
        *PATIENT_CONTACT,
        *CLINICAL,
        "patients.export_patient",
        "patients.merge_patient",
        "patients.erase_patient",
        "audit.view_auditevent",
        *_BOOKING_SET_UP,
        # Reports: the enquiries inbox and the advertising report's rules.
        "enquiries.view_enquiry",
        "enquiries.change_enquiry",
        "compliance.view_advertisingrule",
        # The staff list, their logins and who holds which role.
        "staff.add_staffmember",
        "staff.change_staffmember",
        "staff.view_staffmember",
        "staff.reset_two_factor",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
    ],
    EDITOR: [
        *ADMIN,
        # Snippets the website shows; staff members only to choose an author or reviewer.
        *(
            f"website.{a}_{m}"
            for m in ("testimonial", "accreditation", "searchsynonym")
            for a in ("add", "change", "delete", "view")
        ),
        "website.publish_testimonial",
        "staff.view_staffmember",
        "compliance.view_advertisingrule",
    ],
}

#: Wagtail page permissions on the whole tree (from the root page).
PAGE_PERMISSIONS: dict[str, list[str]] = {
    EDITOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
#: Image and document permissions in the root collection (so every collection).
COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    EDITOR: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
}


def _permissions(names: list[str]) -> tuple[list[Permission], list[str]]:
    """The Permission rows for "app.codename" names, and the names not (yet) in the database."""
    wanted = {tuple(name.split(".", 1)) for name in names}
    rows = Permission.objects.filter(codename__in={c for _, c in wanted}).select_related("content_type")
    found = [p for p in rows if (p.content_type.app_label, p.codename) in wanted]
    have = {(p.content_type.app_label, p.codename) for p in found}
    return found, sorted(f"{a}.{c}" for a, c in wanted - have)


def sync_roles() -> dict[str, list[str]]:
    """Create the role groups and give each exactly its declared permissions. Answers what was skipped."""
    skipped: dict[str, list[str]] = {}
    for name, names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        found, missing = _permissions(names)
        group.permissions.set(found)
        if missing:
            skipped[name] = missing
            logger.warning("Role %s: permissions not in the database yet, skipped: %s", name, ", ".join(missing))
    _sync_tree_permissions()
    return skipped


def _sync_tree_permissions() -> None:
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for name in ROLES:
        group = Group.objects.get(name=name)
        pages, _ = _permissions([f"wagtailcore.{c}" for c in PAGE_PERMISSIONS.get(name, [])])
        GroupPagePermission.objects.filter(group=group).exclude(page=root_page, permission__in=pages).delete()
        if root_page is not None:
            for permission in pages:
                GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
        collections, _ = _permissions(COLLECTION_PERMISSIONS.get(name, []))
        GroupCollectionPermission.objects.filter(group=group).exclude(
            collection=root_collection, permission__in=collections
        ).delete()
        if root_collection is not None:
            for permission in collections:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )


def sync_roles_after_migrate(sender, using="default", **kwargs):
    """post_migrate: once per migrate, after the last app (so every app's permissions exist)."""
    from django.apps import apps

    if sender.label != list(apps.get_app_configs())[-1].label or using != "default":
        return
    sync_roles()
