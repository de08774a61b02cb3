"""The storage of the letters' PDFs (docs/correspondence.md §3.5): a folder, or an S3-compatible
bucket (django-storages). config/settings.py makes STORAGES["letters"] with it; the tests' settings
make theirs with it too."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import env_str


def letters_storage(kind: str, directory: Path, prefix: str = "LETTERS") -> dict:
    """The STORAGES entry of the letters' PDFs: "local" (a folder) or "s3". `prefix` names the
    environment variables read (LETTERS_S3_BUCKET…): the messaging's attachments use the same
    entry with MESSAGING_ (config/settings.py)."""
    if kind == "local":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(directory)},
        }
    if kind != "s3":
        raise ImproperlyConfigured(f"{prefix}_STORAGE must be local or s3, not {kind!r}")
    bucket = env_str(f"{prefix}_S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured(f"{prefix}_STORAGE=s3 needs {prefix}_S3_BUCKET.")
    encryption = env_str(f"{prefix}_S3_SSE", "AES256")
    object_parameters = {"ServerSideEncryption": encryption} if encryption else {}
    if encryption == "aws:kms" and env_str(f"{prefix}_S3_KMS_KEY_ID"):
        object_parameters["SSEKMSKeyId"] = env_str(f"{prefix}_S3_KMS_KEY_ID")
    options = {
        "bucket_name": bucket,
        "endpoint_url": env_str(f"{prefix}_S3_ENDPOINT_URL") or None,
        "region_name": env_str(f"{prefix}_S3_REGION") or None,
        "location": env_str(f"{prefix}_S3_PREFIX"),
        # Letters carry codes, messages' attachments tax matters: private objects, encrypted at
        # rest, never a public URL (a URL, if ever asked for, is signed and short-lived), and
        # never silently replaced.
        "default_acl": "private",
        "object_parameters": object_parameters,
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
    }
    # Keys: explicit ones, or else django-storages' and boto3's own lookup (AWS_ACCESS_KEY_ID,
    # AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, an instance role…).
    if env_str(f"{prefix}_S3_ACCESS_KEY_ID") or env_str(f"{prefix}_S3_SECRET_ACCESS_KEY"):
        options["access_key"] = env_str(f"{prefix}_S3_ACCESS_KEY_ID")
        options["secret_key"] = env_str(f"{prefix}_S3_SECRET_ACCESS_KEY")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
