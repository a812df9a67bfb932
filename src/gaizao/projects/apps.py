from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "gaizao.projects"
    verbose_name = "项目"
