"""The playground's compute pool and BLAS threads: together within the cores, overridable."""

import pytest

from netwarp import cli, threads
from netwarp.web import pool
from netwarp.web.app import create_app


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    monkeypatch.delenv(threads.ENV, raising=False)
    monkeypatch.setattr(threads, "cores", lambda: 2)
    before = threads.current()
    yield
    monkeypatch.delenv(threads.ENV, raising=False)
    threads.set_threads(None)
    pool.configure()
    threads.set_cap(None)
    threads.apply(before)


def shape_seen(**kwargs):
    create_app(hosts={"testserver"}, **kwargs)
    return pool.executor()._max_workers, threads.current(), threads.candidates(threads.CROSSOVER * 100)


def test_by_default_one_pool_thread_and_blas_threads_up_to_the_cores():
    threads.apply(2)
    assert shape_seen() == (1, 1, [1, 2])  # 1 pool thread; huge products may try both cores
    assert pool.describe() == "1 compute thread x up to 2 BLAS threads on 2 cores"


def test_threads_override_shrinks_the_pool():
    assert shape_seen(threads=2) == (1, 2, [2])


def test_the_environment_variable_is_read_at_start(monkeypatch):
    monkeypatch.setenv(threads.ENV, "2")
    assert shape_seen() == (1, 2, [2])


@pytest.mark.parametrize("value", ["0", "300"])
def test_serve_threads_out_of_range_is_one_line(value, capsys):
    code = cli.main(["serve", "--port", "0", "--threads", value])
    err = capsys.readouterr().err
    assert code == 2 and err.strip() == f"netwarp: error: --threads must be a whole number of threads from 1 to 256, got {value}"


def test_a_bad_environment_variable_stops_serve_with_one_line(monkeypatch, capsys):
    monkeypatch.setenv(threads.ENV, "many")
    code = cli.main(["serve", "--port", "0"])
    err = capsys.readouterr().err
    assert code == 2 and err.strip() == f"netwarp: error: {threads.ENV} must be a whole number of threads from 1 to 256, got 'many'"
