from samsvar.risk import file_urls, register_urls, report_urls

app_name = "risk"

urlpatterns: list = [
    *file_urls.urlpatterns,
    *register_urls.urlpatterns,
    *report_urls.urlpatterns,
]
