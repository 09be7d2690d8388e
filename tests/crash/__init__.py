"""Crash safety (#9): SIGKILL the real server mid-burst, restart it, prove nothing is half-written."""
