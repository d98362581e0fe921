"""List filters for review metadata."""

import datetime

from django.contrib import admin
from django.utils import timezone


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return (
            ("overdue", "Review overdue"),
            ("due_30", "Due within 30 days"),
            ("unreviewed", "Never reviewed"),
            ("current", "Reviewed, not due soon"),
        )

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=30)
        match self.value():
            case "overdue":
                return queryset.filter(review_due__lte=today)
            case "due_30":
                return queryset.filter(review_due__gt=today, review_due__lte=soon)
            case "unreviewed":
                return queryset.filter(reviewed_at__isnull=True)
            case "current":
                return queryset.filter(reviewed_at__isnull=False, review_due__gt=soon)
        return queryset
