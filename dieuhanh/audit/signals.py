"""What the audit trail listens to: logins (Django's and django-axes' signals), people's flags, groups and
permissions, role assignments, the admin's log and the configuration models saved outside the admin.

Listening to signals (not calling record() from every view) is what makes the trail complete: a role given in the
admin, in a management command or by a future page is recorded the same way."""

from __future__ import annotations

from django.apps import apps
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry, LogEntryManager
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from dieuhanh.audit.models import Action
from dieuhanh.audit.recorder import record

USER_FLAGS = ("is_active", "is_staff", "is_superuser")
# Configured by administrators and operators outside the admin too (pages, services, commands): each save and
# delete is a configuration change with the fields before → after.
CONFIG_MODELS = (
    "orgunits.OrgUnit", "indicators.Indicator", "indicators.Sector", "reporting.ReportForm", "reporting.Holiday",
    "alerts.AlertRule", "alerts.Silence", "monitoring.System", "monitoring.Check", "monitoring.MaintenanceWindow",
    "dashboard.Dashboard", "accounts.ApiClient", "accounts.ApiKey", "webhooks.WebhookSubscription",
)
# Never copied into the trail (secrets), or changing on every use (not a configuration change).
_HIDDEN = ("password", "secret", "hash", "token")
_VOLATILE = {"last_used_at", "updated_at", "modified_at", "last_run_at", "last_checked_at", "next_run_at"}
_ADMIN_FLAGS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


def _fields(instance) -> dict:
    """The fields a person sets, as a reader would say them: choices by their label, a link by what it names."""
    values = {}
    for field in instance._meta.concrete_fields:
        if (field.primary_key or not field.editable or field.name in _VOLATILE
                or any(h in field.name for h in _HIDDEN)):
            continue
        value = getattr(instance, field.attname)
        if value is not None and field.is_relation:
            try:
                value = str(getattr(instance, field.name))
            except field.related_model.DoesNotExist:
                pass
        elif value not in (None, "") and field.choices:
            value = str(dict(field.flatchoices).get(value, value))
        values[field.name] = value
    return values


def _stored(sender, instance):
    if instance.pk is None or instance._state.adding:
        return None
    return sender._default_manager.filter(pk=instance.pk).first()


# Logins --------------------------------------------------------------------------------------------------------

def on_login(sender, request, user, **kwargs):
    record(Action.LOGIN, request=request, user=user, obj=user)


def on_logout(sender, request, user, **kwargs):
    record(Action.LOGOUT, request=request, user=user, obj=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Only the name typed: Django has already masked the password in `credentials`.
    username = str(credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD) or "")
    record(Action.LOGIN_FAILED, request=request, user=None, username=username, text=username)


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record(Action.LOCKOUT, request=request, user=None, username=username or "", text=username or "",
           after={"ip": ip_address})


# People: flags and passwords ----------------------------------------------------------------------------------

def _user_relevant(update_fields) -> bool:
    return update_fields is None or bool(set(update_fields) & {*USER_FLAGS, "password"})


def on_user_pre_save(sender, instance, update_fields=None, **kwargs):
    if _user_relevant(update_fields):
        instance._audit_before = _stored(sender, instance)


def on_user_post_save(sender, instance, created, update_fields=None, **kwargs):
    if created:
        record(Action.PERMISSION_CHANGE, obj=instance, before=None,
               after={"created": True, **{f: getattr(instance, f) for f in USER_FLAGS}})
        return
    old = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if old is None:
        return
    before = {f: getattr(old, f) for f in USER_FLAGS if getattr(old, f) != getattr(instance, f)}
    if before:
        record(Action.PERMISSION_CHANGE, obj=instance, before=before, after={f: getattr(instance, f) for f in before})
    # A login re-saving the same password under a stronger hash (save(update_fields=["password"]) from
    # check_password) is not a change of password; every real one (form, admin, command) saves the whole user.
    if old.password != instance.password and set(update_fields or ()) != {"password"}:
        record(Action.PASSWORD_CHANGE, obj=instance, text=instance.get_username())


# Groups and permissions ---------------------------------------------------------------------------------------

def _m2m_names(instance, sender, reverse: bool) -> tuple[str, list[str]]:
    """The names now on `instance`'s side of the relation (a person's groups, a group's people, …)."""
    user_model = get_user_model()
    forward, backward = {user_model.groups.through: ("groups", "user_set"),
                         user_model.user_permissions.through: ("user_permissions", "user_set"),
                         Group.permissions.through: ("permissions", "group_set")}[sender]
    accessor = backward if reverse else forward
    return accessor, sorted(str(o) for o in getattr(instance, accessor).all())


def on_m2m_changed(sender, instance, action, reverse, **kwargs):
    if action in ("pre_add", "pre_remove", "pre_clear"):
        instance._audit_m2m_before = _m2m_names(instance, sender, reverse)[1]
    elif action in ("post_add", "post_remove", "post_clear"):
        field, after = _m2m_names(instance, sender, reverse)
        before = getattr(instance, "_audit_m2m_before", None)
        instance._audit_m2m_before = None
        if before != after:
            record(Action.PERMISSION_CHANGE, obj=instance, before={field: before}, after={field: after})


# Roles ---------------------------------------------------------------------------------------------------------

def _role(assignment) -> dict:
    return {"user": assignment.user.get_username(), "role": assignment.get_role_display(),
            "unit": str(assignment.orgunit)}


def on_role_pre_save(sender, instance, **kwargs):
    old = _stored(sender, instance)
    instance._audit_before = _role(old) if old else None


def on_role_post_save(sender, instance, created, **kwargs):
    before = None if created else getattr(instance, "_audit_before", None)
    after = _role(instance)
    if created or before != after:
        record(Action.ROLE_CHANGE, obj=instance, unit=instance.orgunit_id, before=before, after=after)


def on_role_post_delete(sender, instance, **kwargs):
    record(Action.ROLE_CHANGE, obj=instance, unit=instance.orgunit_id, before=_role(instance), after=None)


# Configuration -------------------------------------------------------------------------------------------------

def _config_watched(label: str) -> bool:
    return label in {m.lower() for m in CONFIG_MODELS}


def on_logentry_saved(sender, instance, created, **kwargs):
    if created:
        _logentry_record(instance)


def _logentry_record(entry: LogEntry) -> None:
    model = entry.content_type.model_class() if entry.content_type_id else None
    label = model._meta.label_lower if model else ""
    if _config_watched(label):
        return  # its own save or delete is recorded with the fields before → after
    record(Action.CONFIG_CHANGE, user=entry.user, text=entry.object_repr, object_type=label,
           object_id=entry.object_id or "",
           after={"admin": _ADMIN_FLAGS.get(entry.action_flag, entry.action_flag),
                  "message": entry.get_change_message()})


_original_log_actions = LogEntryManager.log_actions


def _log_actions(self, *args, **kwargs):
    """The admin logs several objects at once (a bulk delete) with bulk_create, which sends no post_save."""
    entries = _original_log_actions(self, *args, **kwargs)
    if isinstance(entries, list) and len(entries) > 1:
        for entry in entries:
            _logentry_record(entry)
    return entries


def on_config_pre_save(sender, instance, **kwargs):
    old = _stored(sender, instance)
    instance._audit_before = _fields(old) if old else None


def on_config_post_save(sender, instance, created, **kwargs):
    before = None if created else getattr(instance, "_audit_before", None)
    after = _fields(instance)
    if before is not None:
        changed = [k for k in after if before.get(k) != after[k]]
        if not changed:
            return
        before, after = {k: before.get(k) for k in changed}, {k: after[k] for k in changed}
    record(Action.CONFIG_CHANGE, obj=instance, before=before, after=after)


def on_config_post_delete(sender, instance, **kwargs):
    record(Action.CONFIG_CHANGE, obj=instance, before=_fields(instance), after=None)


def connect() -> None:
    uid = "audit"
    user_logged_in.connect(on_login, dispatch_uid=f"{uid}-login")
    user_logged_out.connect(on_logout, dispatch_uid=f"{uid}-logout")
    user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}-login-failed")
    from axes.signals import user_locked_out

    user_locked_out.connect(on_locked_out, dispatch_uid=f"{uid}-lockout")
    user_model = get_user_model()
    pre_save.connect(on_user_pre_save, sender=user_model, dispatch_uid=f"{uid}-user-pre")
    post_save.connect(on_user_post_save, sender=user_model, dispatch_uid=f"{uid}-user-post")
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(on_m2m_changed, sender=through, dispatch_uid=f"{uid}-m2m-{through._meta.label}")
    role = apps.get_model("accounts", "RoleAssignment")
    pre_save.connect(on_role_pre_save, sender=role, dispatch_uid=f"{uid}-role-pre")
    post_save.connect(on_role_post_save, sender=role, dispatch_uid=f"{uid}-role-post")
    post_delete.connect(on_role_post_delete, sender=role, dispatch_uid=f"{uid}-role-delete")
    post_save.connect(on_logentry_saved, sender=LogEntry, dispatch_uid=f"{uid}-logentry")
    LogEntryManager.log_actions = _log_actions
    for label in CONFIG_MODELS:
        model = apps.get_model(label)
        pre_save.connect(on_config_pre_save, sender=model, dispatch_uid=f"{uid}-cfg-pre-{label}")
        post_save.connect(on_config_post_save, sender=model, dispatch_uid=f"{uid}-cfg-post-{label}")
        post_delete.connect(on_config_post_delete, sender=model, dispatch_uid=f"{uid}-cfg-del-{label}")
