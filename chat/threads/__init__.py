"""Direct threads: two people writing to each other (``/messages/``, ``/ws/threads/<id>/``).

One thread per pair of users. Either may block the other (``UserBlock``): while a block
stands in either direction no new message is sent and no notification is made; the
history stays readable. Each participant has a read state and an unread count.
"""
