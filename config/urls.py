from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from relais.core.views import LoginView
from relais.training.views.verification import verify

urlpatterns = [
    path("", include("relais.home.urls")),
    path("", include("relais.core.urls")),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language can be chosen before logging in, on the log-in page itself.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("territory/", include("relais.organisations.territory_urls")),
    path("organisations/", include("relais.organisations.urls")),
    path("people/", include("relais.people.urls")),
    path("accounts/", include("relais.accounts.urls")),
    path("training/", include("relais.training.urls")),
    path("hub/", include("relais.hub.urls")),
    path("imports/", include("relais.imports.urls")),
    path("monitoring/", include("relais.monitoring.urls")),
    # Public: the page a certificate's QR code opens.
    path("verify/<str:token>/", verify, name="verify"),
]
