"""Log-in and the health answer: the pages that need no app's data."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse


@login_not_required
def health(request):
    """What a load balancer asks each app server: it answers, without the database,
    so that a slow query elsewhere does not take the server out of rotation."""
    return JsonResponse({"status": "ok"})


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True
