from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The measurements at national scale (docs/benchmark.md): generators and load commands.

    Like the project's wiring, it may import every app; no app imports it."""

    name = "benchmarks"
    verbose_name = "Mesures de performance"
