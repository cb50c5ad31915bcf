"""Settings of benchmarks/api.py's server: the project's, with the URL map that adds the bare view."""
from kinerja.settings import *  # noqa: F403

ROOT_URLCONF = "_api_site"
