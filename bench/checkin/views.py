"""The baseline: a bare Django view that inserts one attendance row, nothing else."""

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from events.models import Attendance


@csrf_exempt
def bare_insert(request):
    now = timezone.now()
    Attendance.objects.create(
        session_id=int(request.POST["session"]),
        name=request.POST["name"],
        phone=request.POST["phone"],
        gender="f",
        age_group="26-35",
        rw="17",
        consent_at=now,
        checked_in_at=now,
        source=Attendance.Source.SELF_SCAN,
    )
    return HttpResponse("ok")
