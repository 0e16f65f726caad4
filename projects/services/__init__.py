"""Writes: every business rule of projects, called by pages, API, consumers and the admin.

Each service takes the acting user as ``actor`` and asks ``projects.permissions`` before
it changes anything, so no caller can forget a check.
"""
