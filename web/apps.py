from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"

    def ready(self):
        # The login time of each session, for its absolute lifetime (web.middleware).
        from django.contrib.auth.signals import user_logged_in

        from web import captcha_audio  # noqa: F401 (registers its system check)
        from web.middleware import remember_login_time

        user_logged_in.connect(remember_login_time, dispatch_uid="web.remember_login_time")
