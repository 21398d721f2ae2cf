"""Deploy checks (`manage.py check --deploy`) that only a running site can answer, read from what the
web processes recorded in the shared cache."""

from django.core.checks import Tags, Warning, register

from pimpasa.client import proxy_bypass_report, proxy_count

PROXY_BYPASS_HINTS = {
    "missing_header": "requests arrived without the proxy's X-Forwarded-For header",
    "untrusted_peer": "requests arrived from an address outside PIMPASA_TRUSTED_PROXIES",
}


@register(Tags.security, deploy=True)
def proxy_bypass(app_configs, **kwargs):
    """With PIMPASA_PROXY_COUNT ≥ 1, requests that came past the proxy mean gunicorn is reachable
    directly (or the proxy does not set the header): a client could then choose its own address."""
    report = proxy_bypass_report()
    if not report:
        return []
    found = "; ".join(
        f"{PROXY_BYPASS_HINTS[reason]} (last {entry['last_seen']})"
        for reason, entry in sorted(report.items())
        if reason in PROXY_BYPASS_HINTS
    )
    return [
        Warning(
            f"PIMPASA_PROXY_COUNT is {proxy_count()}, but {found}.",
            hint=(
                "Let gunicorn listen on 127.0.0.1 or a private address only the proxy reaches, make the "
                "proxy set X-Forwarded-For (docs/deployment.md), and list the proxies' addresses in "
                "PIMPASA_TRUSTED_PROXIES. Such requests are counted by their own address meanwhile. "
                "`manage.py clear_proxy_bypass` forgets the report once fixed."
            ),
            id="pimpasa.W001",
        )
    ]
