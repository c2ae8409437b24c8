from django.urls import path

from kotacerdas.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("<int:pk>/", views.framework_detail, name="detail"),
    path("<int:pk>/draf-baru/", views.start_draft, name="start_draft"),
    path("<int:pk>/ubah/", views.edit_draft, name="edit_draft"),
    path("<int:pk>/terbitkan/", views.publish, name="publish"),
    path("<int:pk>/entri/baru/", views.entry_add, name="entry_add"),
    path("<int:pk>/entri/<int:entry_pk>/ubah/", views.entry_edit, name="entry_edit"),
    path("<int:pk>/entri/<int:entry_pk>/hapus/", views.entry_remove, name="entry_remove"),
]
