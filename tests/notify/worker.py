"""Run the queued tasks the way `manage.py db_worker` does, inside the test's transaction."""


def run_queued_tasks() -> list:
    """Claim and run every ready task exactly as `manage.py db_worker` does (Worker.run_task),
    inside the test's transaction. Returns the finished task results."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    done = []
    while True:
        result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
        if result is None:
            return done
        result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        done.append(result)
