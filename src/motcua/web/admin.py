"""The background tasks' results in the admin, in Vietnamese (issue #12): django_tasks_db's own
admin with the column and field names that are plain English strings there replaced."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db import admin as tasks_admin  # registers its admin first: we replace it
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(tasks_admin.DBTaskResultAdmin):
    list_display = ("id", "task_label", "status", "enqueued_at", "started_at", "finished_at", "priority",
                    "queue_name")

    @admin.display(description=_("tác vụ"), ordering="task_path")
    def task_label(self, obj: DBTaskResult) -> str:
        return obj.task_name

    @admin.display(description=_("vết lỗi"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("chạy sau"))
    def display_run_after(self, obj: DBTaskResult):
        return super().display_run_after(obj)
