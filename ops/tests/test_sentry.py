"""Errors to Sentry only when SENTRY_DSN is set, without personal data, request bodies,
cookies or the tokens of e-mailed links."""

import sentry_sdk
from sentry_sdk.transport import Transport

from config.sentry import before_send, init_sentry


def test_sentry_is_off_unless_a_dsn_is_set(settings):
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()


class Recorded(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


def test_sentry_sends_no_personal_data_nor_request_bodies():
    sent = Recorded()
    try:
        init_sentry(
            "https://public@sentry.example.invalid/1",
            environment="test",
            traces_sample_rate=0,
            transport=sent,
        )
        options = sentry_sdk.get_client().options
        assert not options["send_default_pii"]
        collection = options["data_collection"]
        assert collection["user_info"] is False
        assert collection["http_bodies"] == []
        assert collection["stack_frame_variables"] is False
        assert options["max_request_body_size"] == "never"
        assert options["before_send"] is before_send
    finally:
        # Off again, for the tests that follow (init() without a DSN would leave a client
        # that says it is active).
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)


def test_what_is_sent_of_a_request_loses_body_cookies_and_link_tokens(db):
    event = {
        "request": {
            "url": "https://espace-pro.example.fr/mot-de-passe-oublie/lien/abc/SECRET99/?q=1",
            "data": {"password": "hunter2"},
            "cookies": {"sessionid": "s"},
            "query_string": "code=123456",
            "headers": {"Cookie": "sessionid=s", "User-Agent": "x"},
        }
    }
    request = before_send(event, {})["request"]
    assert request["url"] == "https://espace-pro.example.fr/mot-de-passe-oublie/lien/abc/[masqué]/"
    assert set(request) == {"url", "headers"}
    assert request["headers"] == {"User-Agent": "x"}
