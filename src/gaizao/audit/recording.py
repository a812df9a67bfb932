"""What goes into the audit trail by itself: every save and delete of the ledger, compensation, progress,
supervision, project and organisation records, logins, denials and downloads.

Bulk writes that bypass the models (the ledger import, the escalation tick) append their own entries."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, post_save

from gaizao.audit import context, trail
from gaizao.core.masking import masked
from gaizao.core.models import SensitiveAccess

AUDITED_APPS = (
    "core",
    "org",
    "projects",
    "ledger",
    "compensation",
    "progress",
    "supervision",
    "enforcement",
    "portal",
    "petitions",
    "monitors",
    "audit",
)
NOT_AUDITED = {
    "audit.trailentry",  # the trail itself
    "audit.trailhead",
    "core.sensitiveaccess",  # each look is its own `reveal` entry
    "ledger.tally",  # counts derived from the records, rebuilt at will
    "ledger.householdevent",  # a household's history: the change itself is the household's entry
    "progress.place",  # battle-map positions, replaced whole by an import that records itself
    "portal.publishedrow",  # frozen with its publication, whose entry carries the rows' digest
}
NEVER = {"password"}


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def snapshot(instance: models.Model) -> dict:
    """The record's stored values, personal data masked, secrets left out."""
    fields = instance._meta.concrete_fields
    return masked({f.attname: f.value_from_object(instance) for f in fields if f.name not in NEVER})


def entry(action: str, instance: models.Model) -> trail.Entry:
    district = getattr(instance, "district_id", None)
    return trail.Entry(action, label(instance), instance.pk, snapshot(instance), district)


def saved(sender, instance, created, update_fields=None, raw=False, **kwargs) -> None:
    if raw:
        return
    if sender is get_user_model() and update_fields and set(update_fields) <= {"last_login"}:
        return  # the login entry says it
    trail.append([entry("create" if created else "update", instance)])


def deleted(sender, instance, **kwargs) -> None:
    trail.append([entry("delete", instance)])


def audited_models() -> list[type[models.Model]]:
    chosen = [m for m in apps.get_models() if m._meta.app_label in AUDITED_APPS and label(m) not in NOT_AUDITED]
    return [*chosen, get_user_model()]


def _request_meta(request) -> dict:
    return {"path": request.path[:200]} if request is not None else {}


def logged_in(sender, request, user, **kwargs) -> None:
    trail.record("login", "auth.user", user.pk, _request_meta(request))


def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        trail.record("logout", "auth.user", user.pk, _request_meta(request))


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    trail.record("login_failed", "auth.user", "", {"username": username, **_request_meta(request)})


def connect() -> None:
    for model in audited_models():
        uid = label(model)
        post_save.connect(saved, sender=model, dispatch_uid=f"audit-save-{uid}")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"audit-delete-{uid}")
    user_logged_in.connect(logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(login_failed, dispatch_uid="audit-login-failed")


# ---- the web's side: who is asking, what was refused, what left as a file -----------------------


def _download_name(response) -> str:
    disposition = response.headers.get("Content-Disposition", "")
    return disposition[:200] if "attachment" in disposition or "filename" in disposition else ""


class AuditMiddleware:
    """Names the request's user on every entry it causes; records refusals (403) and downloads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with context.serving(request):
            response = self.get_response(request)
            if response.status_code == 403:
                trail.record("denied", "url", "", {"path": request.path, "method": request.method})
            elif response.status_code == 200 and (name := _download_name(response)):
                trail.record("export", "url", "", {"path": request.get_full_path(), "file": name})
        return response


def revealed(user, what: str, object_type: str, object_id: int, district_id: int | None = None) -> None:
    """A look at unmasked personal data: kept for the office's own list and chained into the trail."""
    SensitiveAccess.objects.create(
        user=user, what=what, object_type=object_type, object_id=object_id, district_id=district_id
    )
    trail.record("reveal", object_type, object_id, {"what": what}, district_id)


def refused(model: type[models.Model], lookup: dict) -> None:
    """Someone asked for a record that exists outside what they may see."""
    key = lookup.get("pk", lookup.get("id", ""))
    trail.record("denied", label(model), key, {"lookup": {k: str(v) for k, v in lookup.items()}})


def updated(model: type[models.Model], pk) -> None:
    """After a queryset update, which sends no signal: the record as it now stands."""
    trail.append([entry("update", model.objects.get(pk=pk))])
