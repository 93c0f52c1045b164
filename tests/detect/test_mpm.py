"""The CIDARS moving percentile method, against cases worked out by hand (there is no R peer)."""

import numpy as np
import pytest

from yizhan.detect.errors import DetectionInputError
from yizhan.detect.mpm import mpm, type7_percentile

# A year of 10 periods, blocks of 2 periods, 1 neighbouring block on each side, 2 past years.
SMALL = {"freq": 10, "block": 2, "neighbours": 1, "years": 2}


def test_block_counts_and_percentiles_by_hand():
    counts = np.arange(60) % 5  # 0 1 2 3 4 0 1 2 3 4 ...
    result = mpm(counts, periods=[23], **SMALL)
    # current block: periods 22-23 -> 2 + 3 = 5
    # past blocks ending at 23-12, 23-10, 23-8 (year 1) and 23-22, 23-20, 23-18 (year 2):
    #   periods 10-11 -> 0+1 = 1, 12-13 -> 2+3 = 5, 14-15 -> 4+0 = 4, 0-1 -> 1, 2-3 -> 5, 4-5 -> 4
    # sorted 1 1 4 4 5 5: median (h = 2.5) = 4; P80 (h = 4) = 5
    assert result.expected.tolist() == [4.0]
    assert result.upperbound.tolist() == [5.0]
    assert result.alarm.tolist() == [False]  # 5 is not above 5


def test_alarm_when_the_block_is_above_the_percentile():
    counts = np.arange(60) % 5
    counts[22:24] = [4, 4]  # current block 8 > 5
    assert mpm(counts, periods=[23], **SMALL).alarm.tolist() == [True]


def test_type7_interpolation_between_order_statistics():
    # 9 past blocks holding 1..9 cases: P80 has h = 8 * 0.8 = 6.4 -> 7 + 0.4 * (8 - 7) = 7.4
    history = np.arange(1, 10)
    assert type7_percentile(history, 80) == pytest.approx(7.4)
    assert type7_percentile(history, 50) == 5
    assert type7_percentile(history, 95) == pytest.approx(8.6)
    for p in (50, 60, 75, 80, 90, 95):
        assert type7_percentile(history, p) == pytest.approx(np.percentile(history, p, method="linear"))


def test_daily_defaults_nine_past_weeks():
    # Daily data, defaults: the last 7 days against the same week and its neighbours in 3 past years.
    freq = 365
    counts = np.zeros(3 * freq + 14, dtype=int)
    t = counts.size - 1
    # the 9 past weeks (ending t - y*365 + j*7) get 1..9 cases, on their last day
    value = 1
    for y in (1, 2, 3):
        for j in (-1, 0, 1):
            counts[t - y * freq + j * 7] = value
            value += 1
    counts[t] = 8
    result = mpm(counts, freq=freq, periods=[t])
    assert result.upperbound.tolist() == [pytest.approx(7.4)]
    assert result.expected.tolist() == [5.0]
    assert result.alarm.tolist() == [True]  # 8 > 7.4
    first = 3 * freq + 7 + 6  # three years, one neighbouring week and the week itself
    assert mpm(counts, freq=freq).periods[0] == first


def test_weekly_default_block_is_one_period():
    counts = np.tile([1, 2, 3, 4], 60)[:200]
    result = mpm(counts, freq=52, percentile=50)
    assert result.periods[0] == 3 * 52 + 1  # one neighbouring week of one period
    assert mpm(counts, freq=52, block=1, percentile=50).upperbound.tolist() == result.upperbound.tolist()


def test_panel_and_one_series_agree():
    rng = np.random.default_rng(1)
    counts = rng.poisson(3, size=(80, 4))
    panel = mpm(counts, **SMALL, percentile=90)
    single = mpm(counts[:, 2], **SMALL, percentile=90)
    np.testing.assert_array_equal(single.upperbound, panel.upperbound[:, 2])
    np.testing.assert_array_equal(single.alarm, panel.alarm[:, 2])


@pytest.mark.parametrize(
    ("options", "named"),
    [({"percentile": 100}, "percentile"), ({"percentile": 0}, "percentile"), ({"block": 0}, "block"),
     ({"years": 0}, "years"), ({"neighbours": 5}, "neighbours")],
)
def test_bad_options_are_named(options, named):
    with pytest.raises(DetectionInputError, match=f"^{named}:"):
        mpm(np.arange(60) % 5, **{**SMALL, **options})


def test_too_little_history_is_refused():
    with pytest.raises(DetectionInputError, match="too little history"):
        mpm(np.arange(60) % 5, periods=[20], **SMALL)
