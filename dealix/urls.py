from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import include, path
from django.views.defaults import page_not_found
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: API paths answer in the API's JSON shape even when no route matched."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "not found", "error_ar": "غير موجود"}, status=404)
    return page_not_found(request, exception)


handler404 = not_found


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico on pages that name no icon (the landing files)."""
    return HttpResponseRedirect(staticfiles_storage.url("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads its start-up script from a URL of ours instead of an inline <script>,
    # which the CSP (script-src 'self' + nonce) would block.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("positioning.urls")),
    path("", include("customer_ops.urls")),
]
