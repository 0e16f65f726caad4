from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse

from config.errors import DomainError
from profiles import services
from profiles.markdown import case_study_body_render, experience_description_render
from profiles.models import CaseStudy, Experience, Profile, ProfileSkill, Skill, SkillAlias
from profiles.services.skills import skill_name_clean
from profiles.taxonomy import skill_key


class SkillAliasInline(admin.TabularInline):
    model = SkillAlias
    extra = 1
    fields = ["name"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _alias_form(formset.form)
        return formset


def _alias_form(base):
    class AliasForm(base):
        def clean_name(self):
            try:
                name = skill_name_clean(self.cleaned_data["name"])
            except DomainError as error:
                raise forms.ValidationError(error.detail) from None
            self.instance.key = skill_key(name)
            clash = SkillAlias.objects.filter(key=self.instance.key).exclude(pk=self.instance.pk).first()
            if clash or Skill.objects.filter(key=self.instance.key).exists():
                raise forms.ValidationError("This spelling already names or aliases a skill.")
            return name

    return AliasForm


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Skill.objects.filter(is_reviewed=True), label="Merge into", help_text="A canonical skill."
    )


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "is_reviewed", "alias_count", "profile_count", "created_at"]
    list_filter = ["is_reviewed", "category"]
    search_fields = ["name", "aliases__name", "slug"]
    readonly_fields = ["key", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["related"]
    inlines = [SkillAliasInline]
    actions = ["merge_into", "mark_reviewed"]
    ordering = ["is_reviewed", "name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                alias_count=Count("aliases", distinct=True),
                profile_count=Count("profile_skills", distinct=True),
            )
        )

    @admin.display(ordering="alias_count", description="aliases")
    def alias_count(self, skill):
        return skill.alias_count

    @admin.display(ordering="profile_count", description="profiles")
    def profile_count(self, skill):
        return skill.profile_count

    def save_model(self, request, obj, form, change):
        obj.key = skill_key(obj.name)
        super().save_model(request, obj, form, change)

    @admin.action(description="Merge selected skills into a canonical skill…", permissions=["change"])
    def merge_into(self, request, queryset):
        form = MergeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            target = form.cleaned_data["target"]
            merged = 0
            for source in queryset.exclude(pk=target.pk):
                services.skill_merge(source=source, target=target)
                merged += 1
            self.message_user(
                request,
                f"Merged {merged} skill(s) into {target.name}; their users now list {target.name}.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge skills",
            "form": form,
            "skills": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/profiles/skill/merge.html", context)

    @admin.action(description="Mark selected skills as reviewed (canonical)", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        count = services.skills_mark_reviewed(skills=queryset)
        self.message_user(request, f"{count} skill(s) marked as reviewed.", messages.SUCCESS)


class ProfileSkillInline(admin.TabularInline):
    model = ProfileSkill
    extra = 0
    autocomplete_fields = ["skill"]
    fields = ["skill", "kind", "years", "position"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "display_name",
        "experience_level",
        "looking_for_team",
        "visibility",
        "timezone",
        "completeness",
    ]
    list_filter = ["experience_level", "looking_for_team", "visibility"]
    search_fields = [
        "user__username", "user__email", "display_name", "headline",
        "profile_skills__skill__name", "profile_skills__skill__aliases__name",
    ]  # fmt: skip
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["completeness", "created_at", "updated_at"]
    inlines = [ProfileSkillInline]
    show_full_result_count = False
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    list_display = ["role", "organisation", "profile", "start_month", "end_month"]
    list_select_related = ["profile"]
    search_fields = ["organisation", "role", "profile__user__username", "profile__display_name"]
    autocomplete_fields = ["technologies"]
    raw_id_fields = ["profile"]
    readonly_fields = ["description_html", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        # The stored HTML follows the Markdown the operator edited.
        obj.description_html = experience_description_render(obj.description)
        super().save_model(request, obj, form, change)


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "profile", "position", "updated_at"]
    list_select_related = ["profile"]
    search_fields = ["title", "summary", "profile__user__username", "profile__display_name"]
    autocomplete_fields = ["technologies"]
    raw_id_fields = ["profile"]
    readonly_fields = ["body_html", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.body_html = case_study_body_render(obj.body)
        super().save_model(request, obj, form, change)
