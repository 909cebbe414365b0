"""An upload handler that stops reading a request body past the upload limit, instead of reading it whole first.

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bounds bodies that are not files; files stream to disk unbounded. This
handler, first in ``FILE_UPLOAD_HANDLERS``, refuses a body whose declared length is too large before reading a byte
of it, and one that turns out too large while it is read (a lying or missing ``Content-Length``). Both raise
``RequestDataTooBig``: the API answers 413 (code ``too_large``), other pages 400.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class BoundedUploadHandler(FileUploadHandler):
    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.received = 0

    @staticmethod
    def limit() -> int:
        return settings.MAX_UPLOAD_BYTES

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit():
            raise RequestDataTooBig(f"The request body is larger than {self.limit()} bytes.")
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit():
            raise RequestDataTooBig(f"The upload is larger than {self.limit()} bytes.")
        return raw_data  # the next handlers store it

    def file_complete(self, file_size):
        return None
