from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"

    def ready(self):
        # Background tasks run under the request id of the request that enqueued them: the id
        # is set before Django's own "Task … state=RUNNING" line is logged (its receiver is
        # moved after ours) and cleared after its "SUCCESSFUL/FAILED" line.
        from django.tasks.signals import log_task_started, task_finished, task_started

        from ops.tasks import forget_request_id, resume_request_id

        task_started.disconnect(log_task_started)
        task_started.connect(resume_request_id, dispatch_uid="ops.resume_request_id")
        task_started.connect(log_task_started)
        task_finished.connect(forget_request_id, dispatch_uid="ops.forget_request_id")
