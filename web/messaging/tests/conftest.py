import pytest
from django.core.files.storage import FileSystemStorage

from messaging.models import Attachment


@pytest.fixture(autouse=True)
def attachments_dir(tmp_path, monkeypatch):
    """Each test's attachments in a folder of its own (STORAGES["messaging"] in production)."""
    folder = tmp_path / "messaging"
    monkeypatch.setattr(
        Attachment._meta.get_field("file"), "storage", FileSystemStorage(location=folder)
    )
    return folder
