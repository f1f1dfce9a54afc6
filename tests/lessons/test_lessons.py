"""Lessons: the built-ins load, every problem of a teacher's file is one line, tasks are parsed not run."""

import pytest

from netwarp.cli import main
from netwarp.errors import NetwarpError
from netwarp.lessons import builtin_names, check_file, load_lesson, parse_lesson, parse_task
from netwarp.settings import SETTINGS


def test_the_builtins_load_and_use_only_the_playgrounds_settings():
    assert builtin_names() == ["anatomy", "digits", "olah"]
    for name in builtin_names():
        lesson = load_lesson(name)
        assert lesson.title and lesson.steps
        for step in lesson.steps:
            assert step.text and all(SETTINGS[k].url for k in step.settings)
    olah = load_lesson("olah")
    hidden = [s.settings.get("hidden") for s in olah.steps]
    assert [] in hidden and [2] in hidden and [3] in hidden  # linear, the ring with 2 units, then 3
    assert {s.settings["dataset"] for s in olah.steps} >= {"moons", "circles", "spiral", "square"}


def test_tasks_are_a_small_grammar():
    t = parse_task("test_acc >= 0.95 and max_width <= 2")
    assert t.met({"test_acc": 0.96, "max_width": 2}) and not t.met({"test_acc": 0.96, "max_width": 3})
    assert not t.met({"test_acc": None, "max_width": 2})  # not measured: not met
    for bad, said in [("__import__('os')", "not MEASURE OP NUMBER"), ("accuracy > 0.5", "measure 'accuracy' is unknown"),
                      ("test_acc >= 0.9 or step > 3", "not MEASURE OP NUMBER"), ("", "must be a condition")]:
        with pytest.raises(NetwarpError, match=said):
            parse_task(bad)


BAD = '''
title = "broken"

[[step]]
text = "one"
settings = { dataset = "circles", hiden = [2], lr = -1, n = 99999 }
task = "test_acc >= lots"

[[step]]
text = "two"
view = { panels = ["field", "nowhere"], layer = 7 }
settings = { hidden = [2] }
colour = "red"
'''


def test_check_reports_each_problem_on_one_line(tmp_path, capsys):
    f = tmp_path / "mine.toml"
    f.write_text(BAD)
    problems = check_file(f)
    assert len(problems) == 7, problems
    joined = "\n".join(problems)
    for part in ["step 1: unknown setting 'hiden'", "step 1: learning rate must be", "step 1: n must be from 8 to 5000",
                 "step 1: task 'test_acc >= lots'", "step 2: unknown key 'colour'", "step 2: view.panels",
                 "step 2: view.layer 7 is past the output layer 2"]:
        assert part in joined, part
    assert all("\n" not in p for p in problems)
    assert main(["lesson", "check", str(f)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 7 and all(line.startswith(f"{f}: step ") for line in out)
    good = tmp_path / "good.toml"
    good.write_text('title = "ok"\n[[step]]\ntext = "look"\nsettings = { dataset = "moons" }\n')
    assert main(["lesson", "check", str(good)]) == 0 and capsys.readouterr().out == ""
    with pytest.raises(NetwarpError, match="lesson mine: step 1: unknown setting 'hiden'.*and 6 more"):
        load_lesson(f)


def test_list_and_bad_names(capsys, tmp_path):
    assert main(["lesson", "--list"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("anatomy: ") and "olah: " in out
    assert main(["serve", "--lesson", "nosuch", "--port", "0"]) != 0
    assert "no lesson 'nosuch'" in capsys.readouterr().err
    assert parse_lesson("title = [", "x")[1][0].startswith("not valid TOML")



def test_the_notebook_widget_opens_a_lesson(monkeypatch, tmp_path):
    from importlib import resources

    from netwarp import notebook

    made = {}
    monkeypatch.setattr(notebook, "_in_a_kernel", lambda: True)
    monkeypatch.setattr(notebook, "_widget_class", lambda: lambda **kw: made.update(kw))
    notebook.widget(lesson="olah")
    assert made["hash"] == "#lesson=olah&step=1" and made["lesson"].name == "olah"
    f = tmp_path / "mine.toml"
    f.write_text('title = "mine"\n[[step]]\ntext = "look"\nsettings = { dataset = "moons" }\n')
    notebook.widget(data="moons", lesson=str(f))
    assert made["lesson"].title == "mine" and "lesson=mine&step=1" in made["hash"]
    with pytest.raises(NetwarpError, match="no lesson 'nosuch'"):
        notebook.widget(lesson="nosuch")
    # the widget loads every page module (present mode and the lesson panel too)
    static = resources.files("netwarp.web") / "static"
    assert {f.name for f in static.iterdir() if f.name.endswith(".js")} - {"widget.js"} == set(notebook.PAGE_MODULES)
