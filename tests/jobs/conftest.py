from tests.hall.conftest import hall  # noqa: F401  (the small hall, for the hall's jobs)
