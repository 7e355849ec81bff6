#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netzwerktimer.settings")
    # A bare checkout (nothing configured) is a development machine: run with DEBUG.
    # Anything configured for a deployment (a database or a secret key) must say DEBUG
    # itself, and the settings refuse to start without SECRET_KEY there; wsgi.py never
    # gets this default.
    if not any(name in os.environ for name in ("DEBUG", "SECRET_KEY", "DATABASE_URL")):
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
