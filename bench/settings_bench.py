"""Settings for ``bench/pages.py``: the production-like base settings, plus a bare view.

``DEBUG`` stays as the base reads it (False unless the environment says otherwise) and the
middleware is the project's own. The only change is the URLconf: ``bench.urls`` is the
project's URLs plus ``/__bare__/``, a view returning "ok" that is the ceiling every page is
compared with. ``BENCH_ROOT_URLCONF`` may name another URLconf; production never reads it.
"""

import os

from clustermissions.settings.base import *  # noqa: F403

ROOT_URLCONF = os.environ.get("BENCH_ROOT_URLCONF", "bench.urls")
