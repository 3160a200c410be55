"""nbgrader configuration of the course kit (the repository is an nbgrader course directory)."""
c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "cnn-in-numpy"
c.CourseDirectory.root = "."
# Learners see this where a solution was removed.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# The loop implementations of the hidden cases take a few seconds at most; leave room for slow machines.
c.ExecutePreprocessor.timeout = 120
