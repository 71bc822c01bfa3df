"""The fixture apps are real projects with tests of their own: they are adopted and run by
the tests here (in a venv with their dependencies), never collected as this suite's tests."""

collect_ignore = ["fixtures"]
