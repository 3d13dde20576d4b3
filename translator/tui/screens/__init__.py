"""Provides the desk's screens, one per file."""

from translator.tui.screens.add_term import AddTermScreen
from translator.tui.screens.article_list import ArticleListScreen
from translator.tui.screens.find import FindScreen
from translator.tui.screens.help import HelpScreen
from translator.tui.screens.listing import ListingScreen
from translator.tui.screens.review import ReviewScreen

__all__ = ["AddTermScreen", "ArticleListScreen", "FindScreen", "HelpScreen", "ListingScreen", "ReviewScreen"]
