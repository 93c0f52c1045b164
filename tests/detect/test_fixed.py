"""Fixed threshold: one case of a Class A disease is an alarm."""

import numpy as np
import pytest

from yizhan.detect.errors import DetectionInputError
from yizhan.detect.fixed import fixed_threshold


def test_a_single_case_is_an_alarm_by_default():
    result = fixed_threshold([0, 1, 0, 3, 0])
    assert result.alarm.tolist() == [False, True, False, True, False]
    assert result.upperbound.tolist() == [1.0] * 5
    assert np.isnan(result.expected).all()
    assert result.periods.tolist() == [0, 1, 2, 3, 4]


def test_threshold_is_reached_not_exceeded():
    counts = np.array([[0, 2], [3, 1], [5, 3]])
    result = fixed_threshold(counts, threshold=3, periods=range(1, 3))
    assert result.alarm.tolist() == [[True, False], [True, True]]


@pytest.mark.parametrize("threshold", [0, 1.5, -2])
def test_bad_threshold_is_named(threshold):
    with pytest.raises(DetectionInputError, match="^threshold:"):
        fixed_threshold([0, 1], threshold=threshold)


def test_negative_count_is_named():
    with pytest.raises(DetectionInputError, match="period 1 \\(0-based\\), series 0"):
        fixed_threshold([0, -1])
