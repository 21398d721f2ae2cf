"""Business rules of the public site, one module per concern, imported directly
(`from cms.services.page_tree import ensure_home_page`); this file re-exports nothing."""
