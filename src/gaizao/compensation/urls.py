from django.urls import path

from gaizao.compensation import views

app_name = "compensation"
urlpatterns = [
    path("standards/", views.standard_list, name="standard_list"),
    path("standards/<int:pk>/", views.standard_detail, name="standard_detail"),
    path("households/<int:pk>/card/", views.household_card, name="household_card"),
]
