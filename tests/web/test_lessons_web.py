"""A lesson step's task measured by the playground; a lesson file loaded from the page."""

BAD = 'title = "broken"\n[[step]]\ntext = "one"\nsettings = { hiden = [2] }\n'


def test_the_playground_measures_a_steps_task_and_parses_a_page_loaded_file(open_tab, recv):
    ws, hello, _ = open_tab()
    assert set(hello["lessons"]) == {"anatomy", "digits", "olah"}
    ws.send_json({"type": "task", "text": "step >= 5 and max_width <= 4"})
    fr = recv(ws)
    assert fr["task"]["met"] is False and fr["task"]["values"]["max_width"] == 4
    ws.send_json({"type": "step", "n": 5})
    while fr["timeline"]["step"] < 5:
        fr = recv(ws)
    assert fr["task"]["met"] is True
    ws.send_json({"type": "task", "text": "open('x')"})
    assert "not MEASURE OP NUMBER" in recv(ws, "error")["message"]
    ws.send_json({"type": "lesson", "name": "mine.toml", "text": 'title = "t"\n[[step]]\ntext = "look"\n'})
    assert recv(ws, "lesson")["lesson"]["steps"][0]["text"] == "look"
    ws.send_json({"type": "lesson", "name": "mine.toml", "text": BAD})
    assert recv(ws, "error")["message"].startswith("lesson mine: step 1: unknown setting 'hiden'")
    ws.close()
