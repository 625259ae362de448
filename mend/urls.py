from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from django_otp.admin import OTPAdminSite

from mend import views
from mend.accounts.admin_login import StaffLoginForm
from mend.api import api
from mend.certificates.views import revoked_list

# Staff log in to the admin with a second factor (django-otp); a password alone is refused.
admin.site.__class__ = OTPAdminSite
admin.site.login_form = StaffLoginForm
admin.site.site_header = "Mend staff"
admin.site.site_title = "Mend staff"

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("leave/", include("mend.leave.urls_data")),
    path("staff/admin/", admin.site.urls),
    # The same address in every language: verifiers and the verify page fetch it as is.
    path("certificates/revoked.json", revoked_list, name="certificates_revoked"),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("safety/", views.safety, name="safety"),
    path("help/", include("mend.findhelp.urls")),
    path("record/", include("mend.vault.urls")),
    path("account/", include("mend.accounts.urls")),
    path("find-others/", include("mend.escrow.urls")),
    path("counselor/", include("mend.counselor.urls")),
    path("training/", include("mend.training.urls")),
    path("leave/", include("mend.leave.urls")),
    path("certificates/", include("mend.certificates.urls")),
    path("dialogue/", include("mend.dialogue.urls")),
    prefix_default_language=False,
)

handler400 = "mend.views.bad_request"
handler403 = "mend.views.permission_denied"
handler404 = "mend.views.page_not_found"
handler500 = "mend.views.server_error"
