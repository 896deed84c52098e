"""Models arrive with their issues."""


# Sub-domains of the missions app keep their models in their own packages; importing them
# here registers them with the app.
from .calls.models import *  # noqa: E402, F403
from .events.models import *  # noqa: E402, F403
