"""Moderation of what people write: room and direct messages are read here and deleted
through the same services as on the site (soft delete, the room is told); nothing is
written by hand. AI conversations are private and are not listed."""

from django.contrib import admin, messages

from chat.models import DirectMessage, DirectThread, RoomMessage, ThreadParticipant, UserBlock
from chat.rooms.services import room_message_delete
from chat.threads.services import direct_message_delete
from config.errors import DomainError


class _ReadOnlyMessageAdmin(admin.ModelAdmin):
    list_select_related = ["author"]
    date_hierarchy = "created_at"
    actions = ["delete_softly"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the soft delete below keeps cursors and tells the sockets

    def _delete(self, request, message) -> None:
        raise NotImplementedError

    @admin.action(description="Delete the selected messages (their text is removed)")
    def delete_softly(self, request, queryset):
        deleted = 0
        for message in queryset.filter(deleted_at__isnull=True):
            try:
                self._delete(request, message)
            except DomainError as error:
                self.message_user(request, f"Message {message.pk}: {error.detail}", messages.ERROR)
            else:
                deleted += 1
        self.message_user(request, f"{deleted} message(s) deleted.", messages.SUCCESS)


@admin.register(RoomMessage)
class RoomMessageAdmin(_ReadOnlyMessageAdmin):
    list_display = [
        "id",
        "project",
        "author",
        "agent_name",
        "short_content",
        "status",
        "created_at",
        "deleted_at",
    ]
    list_filter = ["status", "is_agent"]
    search_fields = ["content", "author__username", "project__name", "project__slug"]
    list_select_related = ["author", "project"]

    @admin.display(description="content")
    def short_content(self, message: RoomMessage) -> str:
        return message.content[:80]

    def _delete(self, request, message) -> None:
        room_message_delete(user=request.user, project=message.project, message_id=message.pk)


@admin.register(DirectMessage)
class DirectMessageAdmin(_ReadOnlyMessageAdmin):
    """Staff deleting a direct message act for its author (abuse reports)."""

    list_display = ["id", "thread", "author", "short_content", "created_at", "deleted_at"]
    search_fields = ["content", "author__username"]

    @admin.display(description="content")
    def short_content(self, message: DirectMessage) -> str:
        return message.content[:80]

    def _delete(self, request, message) -> None:
        if message.author is None:
            raise DomainError("Its author's account is gone.")
        direct_message_delete(user=message.author, thread=message.thread, message_id=message.pk)


class ThreadParticipantInline(admin.TabularInline):
    model = ThreadParticipant
    extra = 0
    can_delete = False
    readonly_fields = ["user", "unread_count", "last_read_message_id", "last_read_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DirectThread)
class DirectThreadAdmin(admin.ModelAdmin):
    list_display = ["id", "user_low", "user_high", "created_at", "last_message_at"]
    search_fields = ["user_low__username", "user_high__username"]
    list_select_related = ["user_low", "user_high"]
    readonly_fields = ["user_low", "user_high", "created_at", "last_message_at"]
    inlines = [ThreadParticipantInline]

    def has_add_permission(self, request):
        return False


@admin.register(UserBlock)
class UserBlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    search_fields = ["blocker__username", "blocked__username"]
    list_select_related = ["blocker", "blocked"]
    readonly_fields = ["blocker", "blocked", "created_at"]

    def has_add_permission(self, request):
        return False
