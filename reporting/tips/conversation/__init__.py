"""The conversation between the office and the anonymous reporter of a tip: officers ask, the reporter
answers and adds evidence on the status page by tracking code (see services.py)."""
