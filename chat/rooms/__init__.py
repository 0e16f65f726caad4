"""Project rooms: the members of a project talking in real time (``/ws/projects/<slug>/room/``).

Who may do what (the projects rulebook, ``projects.permissions``): members (and above)
read and write; a stranger does not learn the room exists (404 / 4403). An author edits
and deletes their own messages; maintainers and the owner also delete anyone's.
"""
