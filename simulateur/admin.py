from django.contrib import admin

from .models import Bareme, TauxEffort


class TauxEffortInline(admin.TabularInline):
    model = TauxEffort
    extra = 0


@admin.register(Bareme)
class BaremeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plancher", "plancher_estime", "plafond", "plafond_estime"]
    list_filter = ["dispositif"]
    inlines = [TauxEffortInline]
    save_as = True  # next year's period starts as a copy of this one
