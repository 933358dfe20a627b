"""The lesson registry: complete, well-formed, every link a scene the page can open."""
from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from app.main import app
from lessons import LESSONS, TOPICS, parse_link

client = TestClient(app)


def test_at_least_twenty_lessons_cover_every_topic_in_both_tabs():
    assert len(LESSONS) >= 20
    assert {lesson.topic for lesson in LESSONS.values()} == set(TOPICS)
    assert {lesson.tab for lesson in LESSONS.values()} == {"paths", "mlp"}


def test_every_lesson_is_short_and_its_links_parse():
    for lesson in LESSONS.values():
        assert 1 <= len(lesson.notice) <= 3, lesson.id
        assert 2 <= lesson.narrative.count(". ") + 1 <= 5, lesson.id
        for link in filter(None, (lesson.link, lesson.try_link)):
            scene = parse_link(link)
            assert scene.tab == lesson.tab
            if lesson.tab == "paths":
                # a lesson writes its learning rates: a change of the surface's suggestions must not change it
                assert scene.paths.explicit_lr and scene.paths.runs, lesson.id
            else:
                assert scene.mlp_runs, lesson.id
        assert (lesson.try_link is None) or lesson.try_next, lesson.id


def test_api_lists_the_lessons_in_order():
    answer = client.get("/api/lessons")
    assert answer.status_code == 200
    body = answer.json()
    assert [item["id"] for item in body] == list(LESSONS)
    for item in body:
        assert {"id", "title", "topic", "tab", "narrative", "notice", "link"} <= set(item)
        assert item["tab"] in ("paths", "mlp") and item["notice"]


def test_a_bad_link_names_its_key():
    import pytest
    with pytest.raises(ValueError, match="run: unknown optimizer 'nope'"):
        parse_link("surface=quadratic&run=nope;lr:0.1")
    with pytest.raises(ValueError, match="sp: unknown parameter"):
        parse_link("surface=canyon&sp=kappa:3&run=sgd;lr:0.1")


def test_a_lessons_chart_is_a_box_of_its_tab():
    """The chart a lesson brings into view is a box of the page, on the lesson's own tab."""
    page = (Path(__file__).resolve().parents[2] / "templates" / "index.html").read_text()
    mlp_at = page.index('id="panel-mlp"')
    charted = [lesson for lesson in LESSONS.values() if lesson.chart]
    assert {lesson.id for lesson in charted} >= {"schedule-step", "schedule-exponential", "schedule-linear", "loss-slice"}
    for lesson in charted:
        found = re.search(rf'id="{re.escape(lesson.chart)}"', page)
        assert found, lesson.id
        assert (found.start() > mlp_at) == (lesson.tab == "mlp"), lesson.id
