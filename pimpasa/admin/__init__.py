"""The back office's shared pieces: the login form, yes/no for booleans, the admin's own translations,
the audit views narrowed by pimpasa.audit_scope."""
