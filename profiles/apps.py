from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "profiles"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from profiles.models import CaseStudyImage, Profile
        from profiles.services.images import avatar_file_cleanup, image_files_cleanup

        # Rows deleted by cascade (a case study, a profile, a user) never pass a service.
        post_delete.connect(image_files_cleanup, sender=CaseStudyImage, dispatch_uid="profiles-image-files")
        post_delete.connect(avatar_file_cleanup, sender=Profile, dispatch_uid="profiles-avatar-file")
