"""The static files' storage outside development: whitenoise's (hashed names, gzip and Brotli
copies, written by `collectstatic`), with each file's address kept once asked.

`{% static %}` asks the storage for an address a dozen times a page; each answer reads the
manifest and cleans and re-quotes the name (about 25 µs, measured on the project's machine).
The manifest does not change while a process runs (a release restarts the processes), so an
address, once made, is kept for the life of the process. `force=True` is never kept."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class KeptUrlsStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept_urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        try:
            return self._kept_urls[name]
        except KeyError:
            url = self._kept_urls[name] = super().url(name)
            return url
