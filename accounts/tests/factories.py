from datetime import UTC, datetime, timedelta

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password

from accounts.models import Subscriber
from accounts.trust import hash_answer
from core import clock

PASSWORD = "Trois pommes vertes sur la table du jardin"


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    class Params:
        # How long from now until the password expires (negative: expired that long ago).
        expires_in = None
        expired = factory.Trait(expires_in=timedelta(days=-1))
        expiring_soon = factory.Trait(expires_in=timedelta(days=30))

    email = factory.Sequence(lambda n: f"abonne{n}@example.fr")
    subscriber_number = factory.Sequence(lambda n: f"2026{7_350_000_000 + n * 7919:010d}")
    civility = "MME"
    last_name = "Rosemonde"
    first_name = "Lila"
    company_identifier = "987654324"
    company_name = "SARLALERIS"
    phone = "01 24 57 88 77"
    city = "PARIS"
    trust_question = "animal"
    trust_answer_hash = factory.LazyFunction(lambda: hash_answer("Lili"))
    registered_at = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    password_changed_at = factory.LazyAttribute(
        lambda o: (
            datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
            if o.expires_in is None
            else clock.now() + o.expires_in - settings.PASSWORD_VALIDITY
        )
    )
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
