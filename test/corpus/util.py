"""Small file helpers of the corpus harness."""
import os


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def last_lines(text, n):
    return "\n".join(text.strip().splitlines()[-n:])
