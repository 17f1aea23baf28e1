import sys


def main() -> int:
    from trustjournal.cli import run

    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
