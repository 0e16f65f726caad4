"""Agent runs: the background jobs of the built-in agents (DESIGN.md, "Agent runs").

* ``params``     — the validated input of each kind of run;
* ``services``   — start, cancel, retry, apply (the writes pages, API and admin call);
* ``selectors``  — who sees which run;
* ``execution``  — what the Celery task runs: the steps, progress, retries, the reaper;
* ``events``     — the socket frames and their broadcast after commit.
"""
