import gc
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
    # The command line's imports make many objects and free next to none: the cyclic
    # collector walking them was ~3 M instructions (~0.5 ms) of every start-up. `run` turns it
    # off again for a command and keeps it on for the app (trustjournal/cli says why).
    gc.disable()
    from trustjournal.cli import run

    gc.enable()
    return run(sys.argv[1:], fast_exit=True)


if __name__ == "__main__":
    sys.exit(main())
