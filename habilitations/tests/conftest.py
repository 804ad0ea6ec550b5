import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits(fresh_rate_limits):
    """The habilitation request counts per connection and address: no test inherits another's."""
