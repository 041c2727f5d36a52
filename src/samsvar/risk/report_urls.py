"""Part of the risk app URL configuration, included by samsvar.risk.urls."""

urlpatterns: list = []
