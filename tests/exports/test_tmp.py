import pytest
from django.test import Client
from tests.exports.factories import *
from tests.factories import DEFAULT_PASSWORD
@pytest.mark.django_db
def test_pages(supervisor, settings, tmp_path, client):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    s = SessionFactory()
    AttendanceFactory.create_batch(5, session=s)
    client.force_login(supervisor)
    r = client.get("/admin/exports/"); print(r.status_code); 
    r = client.get("/admin/exports/new/?export=attendance"); print(r.status_code); print(r.content.decode()[-3000:])
    r = client.post("/admin/exports/new/", {"export": "attendance", "session": s.pk}); print(r.status_code, r.url)
    r = client.get(r.url); print(r.status_code); c=r.content.decode(); print(c[c.find('<div class="nice-padding">'):][:3000])
    r = client.get("/admin/exports/"); print(r.content.decode()[-2500:])
