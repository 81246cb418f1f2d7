"""Chinese input engines for the on-screen keyboard, bound through ctypes and free of Qt.

`pinyin` drives libpinyin (words and characters for typed pinyin), `handwriting` drives zinnia with the
tegaki Simplified Chinese model. Both are Debian packages (scripts/setup.sh); when one is missing the
binding raises `EngineUnavailable` and the keyboard offers what is left.
"""
