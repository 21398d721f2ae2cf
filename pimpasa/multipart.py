"""What Django's multipart parser forgives silently, seen as the body streams past.

Django drops a part whose headers are not valid UTF-8 (a file name in a phone's legacy encoding):
the file vanishes and the form never knows. And a body cut short (a dropped connection, a client that
stops sending) ends the parse early: the fields that arrived look like a whole submission. A form
that stores what it gets (a tip) must refuse both, not store half of one.

MultipartCheck wraps the request's stream before anything reads it and watches the bytes go by,
holding at most one part's headers and a boundary's length of data, never the body.
"""

from django.http.multipartparser import MultiPartParser
from django.utils.http import parse_header_parameters

MAX_HEADER_BYTES = 64 * 1024  # Django refuses larger part headers itself


class _Watcher:
    def __init__(self, stream, boundary):
        self._stream = stream
        self._delimiter = b"--" + boundary
        self._pending = b""
        self.closed = False  # the closing delimiter ("--boundary--") went by
        self.undecodable = 0  # parts whose headers are not UTF-8

    def read(self, *args, **kwargs):
        data = self._stream.read(*args, **kwargs)
        self._scan(data)
        return data

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def _scan(self, data):
        pending = self._pending + data
        keep = len(self._delimiter) + 2
        while True:
            at = pending.find(self._delimiter)
            if at == -1:
                self._pending = pending[-keep:]
                return
            rest = pending[at + len(self._delimiter) :]
            if len(rest) < 2:
                self._pending = pending[at:]
                return
            if rest.startswith(b"--"):
                self.closed = True
                self._pending = rest[2:][-keep:]
                pending = rest[2:]
                continue
            end = rest.find(b"\r\n\r\n")
            if end == -1:
                # The headers are still coming (kept whole, up to what Django itself accepts).
                self._pending = pending[at:] if len(rest) < MAX_HEADER_BYTES else rest[-keep:]
                return
            try:
                rest[:end].decode("utf-8")
            except UnicodeDecodeError:
                self.undecodable += 1
            pending = rest[end + 4 :]


class MultipartCheck:
    """Install on a request before its body is parsed; ask afterwards whether it arrived whole."""

    def __init__(self, request):
        self._watcher = None
        self._request = request
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method != "POST" or not content_type.startswith("multipart/"):
            return
        _value, options = parse_header_parameters(content_type)
        boundary = options.get("boundary") or ""
        if not MultiPartParser.boundary_re.fullmatch(boundary):
            return  # Django's own parser refuses this body (400)
        self._watcher = _Watcher(request._stream, boundary.encode("ascii"))
        request._stream = self._watcher

    def _parsed(self):
        if self._watcher is not None:
            self._request.FILES  # noqa: B018 - parse the body now, if nothing has yet
        return self._watcher

    @property
    def truncated(self):
        """The body ended before its closing boundary."""
        watcher = self._parsed()
        return watcher is not None and not watcher.closed

    @property
    def undecodable_parts(self):
        """How many parts (files, fields) Django dropped because their headers are not UTF-8."""
        watcher = self._parsed()
        return watcher.undecodable if watcher is not None else 0
