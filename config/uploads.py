"""The site's one entry in FILE_UPLOAD_HANDLERS: a view marked to receive a message's
attachments gets the messaging's handler (`messaging.uploads`); every other view the pages'
(`web.identifier_lists.ListFileUploadHandler`: a list of companies where a form takes one, a
400 elsewhere)."""

from messaging.uploads import AttachmentUploadHandler, view_takes_attachments
from web.identifier_lists import ListFileUploadHandler


def upload_handler(request=None):
    if request is not None and view_takes_attachments(request):
        return AttachmentUploadHandler(request)
    return ListFileUploadHandler(request)
