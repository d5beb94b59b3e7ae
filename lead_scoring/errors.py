"""One exception type for problems a user can fix, reported as one line, never a stack trace."""

# Exit codes shared by every script (docs/operations.md).
EXIT_OK = 0
EXIT_CHECKS_FAILED = 1
EXIT_CANNOT_RUN = 2
EXIT_BUSY = 3


class UserError(Exception):
    """A problem with the input or the environment, explained in one line (the message)."""

    def __init__(self, message: str, exit_code: int = EXIT_CANNOT_RUN):
        super().__init__(message)
        self.exit_code = exit_code


def check_main(check, ready_message) -> int:
    """`python -m lead_scoring.<engine>`: run the engine's environment check; one line either way."""
    import sys

    try:
        check()
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(ready_message())
    return EXIT_OK
