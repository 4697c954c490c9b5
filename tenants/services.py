"""Writes of the province registry: sign-up, decisions and provisioning."""

import logging
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_context, schema_exists, tenant_context
from psycopg import sql

from . import roles
from .models import Application, ApplicationEvent, Domain, Province
from .validation import (
    check_province_free,
    check_subdomain_free,
    check_subdomain_shape,
    schema_name_for,
)

logger = logging.getLogger(__name__)

NATIONAL_SLUG = "national"
TEMPLATE_SLUG = "province-template"


# --- the platform's own schemas ----------------------------------------------


def ensure_platform() -> None:
    """Create the national (public) tenant and the template schema if missing.

    Run after `migrate_schemas --shared`; the template is then kept current by
    every later `migrate_schemas`, because it is a tenant row of its own.
    """
    public, _created = Province.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME,
        defaults={
            "slug": NATIONAL_SLUG,
            "name": "Kết Nối",
            "kind": Province.Kind.PUBLIC,
        },
    )
    national_hosts = [settings.BASE_DOMAIN]
    if not settings.PRODUCTION:
        national_hosts.append("127.0.0.1")
    for index, host in enumerate(national_hosts):
        Domain.objects.get_or_create(
            domain=host, defaults={"tenant": public, "is_primary": index == 0}
        )

    template, _created = Province.objects.get_or_create(
        schema_name=settings.TENANT_BASE_SCHEMA,
        defaults={
            "slug": TEMPLATE_SLUG,
            "name": "Province template",
            "kind": Province.Kind.TEMPLATE,
        },
    )
    if not schema_exists(template.schema_name):
        logger.info("Creating the template schema %s", template.schema_name)
        template.create_schema(check_if_exists=True, verbosity=0)


# --- sign-up and decisions --------------------------------------------------


def submit_application(
    *,
    province_code: int,
    union_name: str,
    contact_name: str,
    email: str,
    phone: Any,
    subdomain: str,
) -> Application:
    check_subdomain_shape(subdomain)
    with transaction.atomic():
        check_subdomain_free(subdomain)
        check_province_free(province_code)
        application = Application.objects.create(
            province_code=province_code,
            union_name=union_name.strip(),
            contact_name=contact_name.strip(),
            email=email.strip().lower(),
            phone=phone,
            subdomain=subdomain,
        )
        ApplicationEvent.objects.create(application=application, action="submitted")
    logger.info("Application %s submitted for %s", application.pk, subdomain)
    return application


def approve_application(*, application: Application, actor: Any) -> Application:
    """Approve a pending application (or retry a failed one) and queue provisioning."""
    from .tasks import provision_application_task

    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in {
            Application.Status.PENDING,
            Application.Status.FAILED,
        }:
            raise ValidationError(
                _("Only a waiting or failed application can be approved."),
                code="wrong_status",
            )
        check_subdomain_free(application.subdomain, ignore_application=application)
        check_province_free(application.province_code)
        application.status = Application.Status.APPROVED
        application.failure_reason = ""
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.save()
        ApplicationEvent.objects.create(
            application=application, actor=actor, action="approved"
        )
        application_id = str(application.pk)
        transaction.on_commit(lambda: provision_application_task.delay(application_id))
    return application


def reject_application(
    *, application: Application, actor: Any, reason: str = ""
) -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Application.Status.PENDING:
            raise ValidationError(
                _("Only a waiting application can be rejected."), code="wrong_status"
            )
        reason = reason.strip()
        if not reason:
            raise ValidationError(
                _("Give the applicant a reason for the rejection."),
                code="reason_required",
            )
        application.status = Application.Status.REJECTED
        application.rejection_reason = reason
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.save()
        ApplicationEvent.objects.create(
            application=application, actor=actor, action="rejected", detail=reason
        )
        transaction.on_commit(lambda: tell_applicant_rejected(application.pk))
    return application


def tell_applicant_rejected(application_id: Any) -> None:
    application = Application.objects.get(pk=application_id)
    status_url = reverse(
        "signup-status",
        urlconf=settings.PUBLIC_SCHEMA_URLCONF,
        kwargs={"application_id": application.pk},
    )
    body = _(
        "Your application for %(union)s was not approved.\n\n"
        "Reason: %(reason)s\n\n"
        "You can correct it and apply again. Application status: %(status)s"
    ) % {
        "union": application.union_name,
        "reason": application.rejection_reason,
        "status": status_url,
    }
    send_mail(
        _("Your Kết Nối application: %(union)s") % {"union": application.union_name},
        body,
        None,
        [application.email],
    )


# --- provisioning -----------------------------------------------------------


def provision_application(*, application_id: str) -> Application:
    """Provision the province of an approved application, recording the outcome.

    Provisioning runs in one transaction, so a failure leaves no schema, no
    tenant row and no domain behind: the reason is stored on the application,
    which staff may approve again to retry.
    """
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if application.status != Application.Status.APPROVED:
            return application
        application.status = Application.Status.PROVISIONING
        application.save(update_fields=["status"])

    started = time.perf_counter()
    try:
        province = provision_province(
            slug=application.subdomain,
            name=application.union_name,
            province_code=application.province_code,
            admin_email=application.email,
            admin_name=application.contact_name,
            application=application,
        )
    except Exception as error:
        logger.exception("Provisioning failed for application %s", application.pk)
        application.status = Application.Status.FAILED
        application.failure_reason = str(error) or error.__class__.__name__
        application.save(update_fields=["status", "failure_reason"])
        ApplicationEvent.objects.create(
            application=application, action="failed", detail=application.failure_reason
        )
        return application

    with transaction.atomic():
        application.status = Application.Status.LIVE
        application.province = province
        application.provisioned_at = timezone.now()
        application.provisioning_seconds = time.perf_counter() - started
        application.save()
        ApplicationEvent.objects.create(application=application, action="live")
        province_id, email = province.pk, application.email
        transaction.on_commit(lambda: invite_first_admin(province_id, email))
    logger.info(
        "Province %s live in %.2fs",
        province.schema_name,
        application.provisioning_seconds,
    )
    return application


@transaction.atomic
def provision_province(
    *,
    slug: str,
    name: str,
    province_code: int | None,
    admin_email: str,
    admin_name: str = "",
    admin_password: str | None = None,
    application: Application | None = None,
) -> Province:
    """Make a province live: tenant row, cloned schema, domain, site, groups, admin.

    Idempotent: for a province that exists, each step finds its work done.
    """
    province = Province.objects.filter(slug=slug).first()
    if province is None:
        check_subdomain_shape(slug)
        check_subdomain_free(slug, ignore_application=application)
        if province_code is not None:
            check_province_free(province_code)
        province = Province.objects.create(
            schema_name=schema_name_for(slug),
            slug=slug,
            name=name,
            province_code=province_code,
        )
    if not schema_exists(province.schema_name):
        CloneSchema().clone_schema(settings.TENANT_BASE_SCHEMA, province.schema_name)
        restore_constraint_names(settings.TENANT_BASE_SCHEMA, province.schema_name)
    Domain.objects.get_or_create(
        domain=province.host, defaults={"tenant": province, "is_primary": True}
    )
    with tenant_context(province):
        configure_site(province)
        ensure_groups()
        ensure_province_admin(
            email=admin_email, name=admin_name, password=admin_password
        )
    connection.set_schema_to_public()
    return province


_CONSTRAINTS_SQL = """
    SELECT rel.relname, con.conname, pg_get_constraintdef(con.oid)
    FROM pg_constraint con
    JOIN pg_class rel ON rel.oid = con.conrelid
    JOIN pg_namespace nsp ON nsp.oid = rel.relnamespace
    WHERE nsp.nspname = %s
    ORDER BY 1, 3, 2
"""


def restore_constraint_names(template: str, schema: str) -> int:
    """Give the clone's constraints the names they have in the template.

    The clone recreates unique constraints under PostgreSQL's default names,
    but migrations find constraints by the names Django gave them; a later
    migration that drops or alters one would fail on cloned provinces.
    Constraints are matched by table and definition. Returns how many were
    renamed.
    """
    with connection.cursor() as cursor:
        cursor.execute(_CONSTRAINTS_SQL, [template])
        wanted: dict[tuple[str, str], list[str]] = {}
        for table, name, definition in cursor.fetchall():
            wanted.setdefault((table, definition), []).append(name)
        cursor.execute(_CONSTRAINTS_SQL, [schema])
        found: dict[tuple[str, str], list[str]] = {}
        for table, name, definition in cursor.fetchall():
            found.setdefault((table, definition), []).append(name)
        renamed = 0
        for (table, definition), names in found.items():
            targets = wanted.get((table, definition), [])
            if len(targets) != len(names):
                continue
            for old, new in zip(sorted(names), sorted(targets), strict=True):
                if old == new:
                    continue
                statement = sql.SQL("ALTER TABLE {}.{} RENAME CONSTRAINT {} TO {}")
                names_sql = [sql.Identifier(n) for n in (schema, table, old, new)]
                # Django's cursor wrappers expect text, not a composed query.
                cursor.execute(
                    statement.format(*names_sql).as_string(cursor.connection)
                )
                renamed += 1
    return renamed


def configure_site(province: Province) -> None:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    port = int(settings.PUBLIC_PORT or (443 if settings.PRODUCTION else 80))
    wanted = {"hostname": province.host, "port": port, "site_name": province.name}
    if any(getattr(site, field) != value for field, value in wanted.items()):
        for field, value in wanted.items():
            setattr(site, field, value)
        site.is_default_site = True
        site.save()

    home = site.root_page.specific
    if home.title != province.name:
        home.title = province.name
        home.seo_title = province.name
        home.save_revision().publish()


def ensure_groups() -> None:
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for group_name in roles.GROUP_LABELS:
        group, _created = Group.objects.get_or_create(name=group_name)
        if group_name in roles.ADMIN_GROUPS:
            group.permissions.add(access_admin)
    # Each app may grant the groups its own admin permissions.
    for config in apps.get_app_configs():
        grant = getattr(config, "grant_role_permissions", None)
        if grant is not None:
            grant()


def ensure_province_admin(*, email: str, name: str, password: str | None) -> Any:
    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(username=email).first()
    if user is None:
        user = User(username=email, email=email, first_name=name[:150])
        user.is_staff = True
        user.is_superuser = True
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name=roles.PROVINCE_ADMINS))
    return user


def first_admin_link(province: Province, email: str) -> str:
    """A link that lets the province's first administrator set a password."""
    User = get_user_model()
    with tenant_context(province):
        user = User.objects.get(username=email.lower())
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        path = reverse(
            "wagtailadmin_password_reset_confirm",
            urlconf=settings.ROOT_URLCONF,
            kwargs={"uidb64": uid, "token": token},
        )
    return province.url.rstrip("/") + path


def invite_first_admin(province_id: int, email: str) -> None:
    province = Province.objects.get(pk=province_id)
    link = first_admin_link(province, email)
    body = _(
        "Your province's site on Kết Nối is live: %(site)s\n\n"
        "Set your administrator password here:\n%(link)s\n\n"
        "Then sign in to the administration at %(site)sadmin/"
    ) % {"site": province.url, "link": link}
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        send_mail(
            _("Your Kết Nối site is ready: %(name)s") % {"name": province.name},
            body,
            None,
            [email],
        )
