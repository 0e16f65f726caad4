"""Development settings: what `make run` uses. Embedded defaults, nothing to install."""

from .base import *  # noqa: F403
from .base import DEVELOPMENT_SECRET_KEY, SECRET_KEY, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = ["*"] if DEBUG else ALLOWED_HOSTS
WHITENOISE_AUTOREFRESH = True
# Runs of the built-in agents take well under a second on demo data; pause briefly after
# each step so the live progress bar can be watched (0 to turn off).
AGENT_RUN_STEP_DELAY = env.float("AGENT_RUN_STEP_DELAY", default=0.5)
