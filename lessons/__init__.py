"""Lessons: named, annotated scenes in the link format, each claim checked by a test.

    >>> from lessons import LESSONS, parse_link, run_paths
    >>> lesson = LESSONS["canyon-momentum"]
    >>> paths = run_paths(parse_link(lesson.link).paths)
"""
from .catalogue import LESSONS, TOPICS, Lesson
from .links import DEFAULT_SCENE, Link, PathScene, Run, parse_link
from .run import run_paths, train_comparison

__all__ = ["DEFAULT_SCENE", "LESSONS", "TOPICS", "Lesson", "Link", "PathScene", "Run", "parse_link", "run_paths", "train_comparison"]
