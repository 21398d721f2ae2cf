"""Which exports exist, by identifier (the value stored on an ExportJob).

Exporter modules register themselves with the `register` decorator; this module imports none of them
(ReportingConfig.ready() imports them, in the order the admin lists them), so no import runs in a circle.
"""

_exporters = {}


def register(exporter_class):
    _exporters[exporter_class.identifier] = exporter_class
    return exporter_class


def get_exporter(identifier):
    """The exporter class for `identifier`; LookupError for an unknown one."""
    try:
        return _exporters[identifier]
    except KeyError:
        raise LookupError(identifier) from None


def exporters_for(user):
    """The exporters `user` may run, in menu order."""
    return [exporter for exporter in _exporters.values() if exporter.allowed(user)]
