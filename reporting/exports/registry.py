"""Which exports exist, by identifier (the value stored on an ExportJob)."""

_exporters = {}


def register(exporter_class):
    _exporters[exporter_class.identifier] = exporter_class
    return exporter_class


def get_exporter(identifier):
    """The exporter class for `identifier`; LookupError for an unknown one."""
    _load()
    try:
        return _exporters[identifier]
    except KeyError:
        raise LookupError(identifier) from None


def exporters_for(user):
    """The exporters `user` may run, in menu order."""
    _load()
    return [exporter for exporter in _exporters.values() if exporter.allowed(user)]


def _load():
    # Importing the modules registers their exporters; order here is the order in the admin.
    from . import attendance, monthly, tips  # noqa: F401
