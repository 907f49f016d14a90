"""django_tasks_db under a Vietnamese name in the admin (its own is "Tasks Database Backend",
a plain string no catalogue can translate). Its model and field names are translated by the
catalogue in motcua/vendor_locale."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Tác vụ nền")
