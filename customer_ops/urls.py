from django.urls import include, path

from customer_ops.views import home, progress

urlpatterns = [
    path("", home.home, name="home"),
    path("progress/<str:token>/", progress.customer_progress, name="customer-progress"),
    path("api/v1/", include("customer_ops.api.urls")),
]
