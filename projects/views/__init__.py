"""Browser pages of projects (``projects/urls.py``)."""
