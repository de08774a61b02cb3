"""Receiving attachments over HTTP (docs/messaging.md §4): the upload handler of the views
that take a message's files, marked `takes_attachments` (the back office's answer, the API's
thread and message posts, the pages' *Écrire* and answer). A body larger than the fields and
`MESSAGING_MAX_ATTACHMENTS` files of `MESSAGING_ATTACHMENT_MAX_BYTES` is refused before it is
read; of each file, at most the limit and one byte are kept (on disk past 2.5 MB, as Django's
own handlers), while its whole size is counted, so that `attachments.check_file` refuses a file
too large from its size, never having held it whole. `config.uploads` picks this handler for a
marked view, the site's other one elsewhere."""

from tempfile import SpooledTemporaryFile

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers

ATTRIBUTE = "takes_attachments"
# Room for the multipart framing of each part (boundaries, headers).
PART_OVERHEAD = 4096


def takes_attachments(view):
    """Mark a view that receives a message's attachments (`AttachmentUploadHandler`)."""
    setattr(view, ATTRIBUTE, True)
    return view


def view_takes_attachments(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and getattr(match.func, ATTRIBUTE, False)


def body_limit() -> int:
    files = settings.MESSAGING_MAX_ATTACHMENTS + 1  # one too many is refused by the domain
    per_file = settings.MESSAGING_ATTACHMENT_MAX_BYTES + PART_OVERHEAD
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE + files * per_file


class _SpooledFile(SpooledTemporaryFile):
    """Closed with the request (Django closes its uploaded files when the response is), or
    when dropped: a request whose response nobody closes (a WSGI test harness) frees it too,
    without the warning of the standard class."""

    def __del__(self):
        self.close()


class AttachmentUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > body_limit():
            raise RequestDataTooBig("The multipart body exceeds the attachments' limits.")

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        # `file`: the name Django's parser closes if the body turns out malformed midway.
        self.file = _SpooledFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data, start):
        room = settings.MESSAGING_ATTACHMENT_MAX_BYTES + 1 - self.file.tell()
        if room > 0:
            self.file.write(raw_data[:room])
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        return UploadedFile(
            file=self.file,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
