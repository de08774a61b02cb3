import pytest
from django.core.files.storage import FileSystemStorage

from messaging.models import Attachment


@pytest.fixture(autouse=True)
def attachments_dir(tmp_path, monkeypatch):
    """Each test's attachments in a folder of its own (the storage STORAGES["messaging"] in
    production); the folder is returned for tests that look at what was stored."""
    folder = tmp_path / "messaging"
    monkeypatch.setattr(
        Attachment._meta.get_field("file"), "storage", FileSystemStorage(location=folder)
    )
    return folder
