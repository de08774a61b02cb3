"""The LOGGING setting (docs/operations.md): one JSON object a line on standard error, or readable
text, each line with its request id; config/settings.py reads the choices from the environment."""


def logging_config(log_format: str, *, level: str, access_log: bool) -> dict:
    """Django's LOGGING: `log_format` "json" or "text", the root `level`, and whether each
    request's access line is logged."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "core.tracing.RequestIdFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
            },
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per request (ops.middleware); runserver prints its own in development.
            "ops.access": {"level": "INFO" if access_log else "WARNING"},
            # The worker's and the scheduler's lines: each task and job started and finished.
            "django.tasks": {"level": "INFO"},
            "ops.scheduler": {"level": "INFO"},
        },
    }
