from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"

    def ready(self):
        # Background tasks run under the request id of the request that enqueued them.
        from django.tasks.signals import task_finished, task_started

        from ops.tasks import forget_request_id, resume_request_id

        task_started.connect(resume_request_id, dispatch_uid="ops.resume_request_id")
        task_finished.connect(forget_request_id, dispatch_uid="ops.forget_request_id")
