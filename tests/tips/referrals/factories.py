import factory

from reporting.tips.models import Agency, AgencyContact


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"BP3MI Uji {n}")
    kind = Agency.Kind.BP3MI

    @factory.post_generation
    def contacts(agency, create, extracted, **kwargs):
        if not create:
            return
        for order, email in enumerate(
            extracted if extracted is not None else [f"desk{agency.pk}@agency.test"]
        ):
            AgencyContact.objects.create(agency=agency, email=email, sort_order=order)
