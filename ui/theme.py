"""Colours, type sizes and the Qt style sheet, in a normal and an elder mode.

Sizes are in device-independent pixels (Qt scales them on high-density screens). The elder mode
follows the MIIT ageing-friendly design rules: main text at least 30 dp and never under 18 dp,
touch targets at least 60×60 dp (44×44 in normal mode), text contrast at least 4.5:1, placeholders
included, and 3:1 for what is not text but must be seen (field and check-box borders, a chosen
choice's fill, scroll handles, focus rings); every pair below is checked by a test, and
tests/ui/test_accessibility.py measures the rendered screens. No pop-ups.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFontDatabase

# Preferred screen fonts, first match wins: Noto Sans CJK SC gives consistent Simplified Chinese glyph
# shapes; WenQuanYi is the fallback the print-outs also use.
FONT_CANDIDATES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC")


@dataclass(frozen=True)
class Theme:
    name: str
    text_px: int  # main text
    small_px: int  # secondary text (English subtitles, status strip); never under 18
    title_px: int  # screen titles
    tile_title_px: int
    button_min_px: int  # smallest side of any touch target
    # Keys of the digit pad on a portrait screen, where it spans the width: taller than the landscape
    # elder keys, and taller again in elder mode (the height is there on 1920 px).
    portrait_pad_key_px: int
    background: str
    surface: str
    text: str
    muted: str
    accent: str  # primary tiles and buttons
    accent_text: str
    border_px: int
    scrollbar_px: int  # width of a vertical scroll bar: a touch target like any other


    def tile_colours(self) -> tuple[str, ...]:
        return TILE_COLOURS_ELDER if self.name == "elder" else TILE_COLOURS


# Deep, saturated tile backgrounds so that white text stays above 4.5:1 on every one.
TILE_COLOURS = ("#0b5cad", "#0f7a55", "#8a4b00", "#6a3fa0", "#a3262b")
TILE_COLOURS_ELDER = ("#003d80", "#005232", "#5c3100", "#45206e", "#7a0f14")

NORMAL = Theme(
    name="normal", text_px=24, small_px=18, title_px=34, tile_title_px=40, button_min_px=64,
    portrait_pad_key_px=96, background="#f3f6fa", surface="#ffffff", text="#1a1f29", muted="#4a5568",
    accent="#0b5cad", accent_text="#ffffff", border_px=1, scrollbar_px=44,
)
ELDER = Theme(
    name="elder", text_px=32, small_px=24, title_px=44, tile_title_px=52, button_min_px=88,
    portrait_pad_key_px=120, background="#ffffff", surface="#ffffff", text="#000000", muted="#1f2933",
    accent="#003d80", accent_text="#ffffff", border_px=3, scrollbar_px=60,
)

# Same in both modes. Placeholders 5.4:1 on a white field, lighter than typed text so a hint does not
# pass for an answer. A chosen choice's fill: 3.3:1 against white (seen without reading its text) while
# the text on it stays 4.9:1 (normal) and 6.6:1 (elder). The scroll track is plain; its handle 5.8:1. The
# track is painted as the bar's pages: screens' sheets clear the background of what sits in a scroll area.
PLACEHOLDER = "#5f6b7a"
SELECTED_FILL = "#5b8fd0"
SCROLL_TRACK = "#dde3ea"
FIELD_BACKGROUND = "#ffffff"



# The keyboard's candidate bar: above the MIIT 60-dp floor for elder targets, but a row lower than the
# keys, since on an 800-px screen that row is taken from the form above the keyboard.
CANDIDATE_MIN_PX = 64

# Keys stretch to share the keyboard's width; their floor is the candidate row's (above MIIT's 60 dp) rather
# than the theme's target size, so ten elder keys fit a 1080-px portrait screen, or stand beside the 收起键盘
# column on 1280 px.
# The digit pad is centred at its natural width, which its keys' full size gives it; on a portrait screen
# it spans the width with taller keys (portrait_pad_key_px).
KEY_MIN_WIDTH_PX = CANDIDATE_MIN_PX


def pick_font_family(preferred: str) -> str:
    """The configured family if installed, else the first CJK family we know; '' if none is."""
    families = set(QFontDatabase.families())
    for family in (preferred, *FONT_CANDIDATES):
        if family in families:
            return family
    return ""


def stylesheet(theme: Theme, family: str) -> str:
    """The whole application's style sheet; object names and dynamic properties select the parts."""
    font = f'font-family: "{family}";' if family else ""
    tiles = "\n".join(
        f'QPushButton[tileIndex="{i}"] {{ background: {colour}; }}' for i, colour in enumerate(theme.tile_colours())
    )
    return f"""
QWidget {{ {font} font-size: {theme.text_px}px; color: {theme.text}; }}
QMainWindow, QStackedWidget > QWidget, QFrame#bug_notice {{ background: {theme.background}; }}
QLabel[role="title"] {{ font-size: {theme.title_px}px; font-weight: bold; }}
QLabel[role="subtitle"] {{ font-size: {theme.small_px}px; color: {theme.muted}; }}
QLabel[role="body"] {{ font-size: {theme.text_px}px; }}
QFrame#status_strip {{
    background: {theme.surface}; border-bottom: {theme.border_px}px solid {theme.muted};
}}
QFrame#status_strip QLabel {{ font-size: {theme.small_px}px; color: {theme.text}; }}
QFrame#status_strip QLabel#status_station {{ font-weight: bold; }}
QFrame#status_strip QPushButton {{ padding: 4px 14px; font-size: {theme.small_px + 4}px; }}
QPushButton {{
    min-height: {theme.button_min_px}px; min-width: {theme.button_min_px}px;
    padding: 4px 24px; border-radius: 10px;
    background: {theme.accent}; color: {theme.accent_text};
    border: {theme.border_px}px solid {theme.accent};
}}
QPushButton:pressed {{ background: {theme.text}; }}
QPushButton[role="secondary"] {{
    background: {theme.surface}; color: {theme.text}; border: {max(2, theme.border_px)}px solid {theme.text};
}}
QPushButton[role="secondary"]:checked {{ background: {SELECTED_FILL}; }}
QPushButton[role="tile"] {{ border-radius: 18px; border: none; padding: 0px; }}
QFrame[role="keyboard"] QPushButton {{ padding: 0px; min-width: {KEY_MIN_WIDTH_PX}px; }}
QWidget#keyboard_page_digits QPushButton {{ min-width: {theme.button_min_px}px; }}
QWidget#keyboard_page_digits[wide="true"] QPushButton {{
    min-height: {theme.portrait_pad_key_px}px; font-size: {theme.text_px + 8}px;
}}
QFrame[role="keyboard"] QPushButton[keyRole="candidate"] {{
    font-size: {theme.text_px + 4}px; padding: 0px 14px; min-height: {CANDIDATE_MIN_PX}px;
}}
QPushButton[keyRole="mode"] {{ min-height: {CANDIDATE_MIN_PX}px; padding: 0px 12px; }}
QFrame[role="keyboard"] QLabel[keyRole="preedit"] {{ font-size: {theme.text_px}px; font-weight: bold; }}
QFrame[role="keyboard"] QLabel[keyRole="hint"] {{ font-size: {theme.text_px}px; color: {theme.muted}; }}
QWidget#keyboard_handwriting_pad {{
    background: {theme.surface}; color: {theme.text}; border: {max(2, theme.border_px)}px solid {theme.text};
    border-radius: 10px;
}}
QLineEdit {{
    placeholder-text-color: {PLACEHOLDER}; background: {FIELD_BACKGROUND};
    border: {max(2, theme.border_px)}px solid {theme.muted}; border-radius: 8px;
}}
QLineEdit:focus {{ border-color: {theme.accent}; }}
QPlainTextEdit, QTextEdit {{ placeholder-text-color: {PLACEHOLDER}; }}
QCheckBox::indicator {{
    border: {max(3, theme.border_px)}px solid {theme.text}; background: {theme.surface}; border-radius: 6px;
}}
QCheckBox::indicator:checked {{ background: {theme.accent}; }}
QScrollBar:vertical {{ width: {theme.scrollbar_px}px; background: {SCROLL_TRACK}; border-radius: 10px; }}
QScrollBar::handle:vertical {{
    background: {theme.muted}; border-radius: 10px; min-height: {theme.scrollbar_px}px; margin: 0px 4px;
}}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ width: 0px; height: 0px; border: none; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: {SCROLL_TRACK}; border-radius: 10px; }}
QLabel[role="scrollHint"] {{
    background: {theme.accent}; color: {theme.accent_text}; font-weight: bold; padding: 0px 16px;
    border-radius: 10px;
}}
{tiles}
QPushButton[role="tile"] QLabel {{ color: #ffffff; background: transparent; }}
QPushButton[role="tile"] QLabel[role="tile_title"] {{ font-size: {theme.tile_title_px}px; font-weight: bold; }}
QPushButton[role="tile"] QLabel[role="tile_subtitle"] {{ font-size: {theme.small_px}px; }}
QPushButton[role="tile"] QLabel[role="tile_note"] {{ font-size: {theme.small_px}px; }}
"""
