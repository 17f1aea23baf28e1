import os
import sys

UNSUPPORTED = (
    "trustjournal: this system is not supported yet: trustjournal runs on Linux and macOS, "
    "where it locks the journal with POSIX flock; on Windows, run it under WSL\n"
)


def main() -> int:
    if os.name != "posix":
        # Before any import that needs POSIX (fcntl), so the person reads why, not a traceback.
        sys.stderr.write(UNSUPPORTED)
        return 2
    from trustjournal.cli import run

    return run(sys.argv[1:], fast_exit=True)


if __name__ == "__main__":
    sys.exit(main())
